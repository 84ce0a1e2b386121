"""Each user's whole name in one field, ``first_name``, family name first (core.admin.users).

The names stored before were split the way Django's admin asks: family (and middle) name in
``last_name``, given name in ``first_name``. Every page but three already read them family part
first (core.templatetags.people.display_name), so joining them in that order keeps what those
pages showed: "Nguyễn Thị Thu" + "Hà" → "Nguyễn Thị Thu Hà". A row with only one part keeps it.
Backwards, the last word goes back to ``first_name`` and the rest to ``last_name``.
"""

from django.conf import settings
from django.db import migrations


def join_names(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    limit = User._meta.get_field("first_name").max_length
    changed = []
    for user in User.objects.exclude(last_name="").only("pk", "first_name", "last_name"):
        user.first_name = " ".join(
            part for part in (user.last_name.strip(), user.first_name.strip()) if part
        )[:limit]
        user.last_name = ""
        changed.append(user)
    User.objects.bulk_update(changed, ["first_name", "last_name"], batch_size=500)


def split_names(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    changed = []
    for user in User.objects.filter(last_name="").exclude(first_name="").only("pk", "first_name"):
        family, _space, given = user.first_name.strip().rpartition(" ")
        user.first_name, user.last_name = given, family
        changed.append(user)
    User.objects.bulk_update(changed, ["first_name", "last_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_job_heartbeat_attempts_task"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(join_names, split_names)]
