"""Create the roles of DESIGN.md as groups with their model permissions.

Lives in the highest app with models so that every model's permissions exist. Permissions are
normally made after all migrations (post_migrate); they are made here first so the groups can
hold them on a fresh database. Scope (which communes, which partner) is in RoleAssignment.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from outreach.roles import sync_role_permissions


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_ordering_by_indexed_columns"),
        ("households", "0003_search_trigram_index"),
        ("outreach", "0002_role_assignment"),
        ("core", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
