"""Create the roles of DESIGN.md as groups with their model permissions.

Lives in the highest app with models so that every model's permissions exist. Permissions are
normally made after all migrations (post_migrate); they are made here first so the groups can
hold them on a fresh database. Scope (which communes, which partner) is in RoleAssignment.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ("outreach", "households", "activities", "core")

# codename prefixes per model (model names are lower case)
CADRE_VIEW = [
    "village",
    "commune",
    "household",
    "member",
    "review",
    "activity",
    "participation",
    "photo",
    "distribution",
    "receipt",
    "asset",
    "maintenancelog",
    "grant",
]
CADRE_WRITE = ["add_review", "change_receipt", "add_maintenancelog"]
STAFF_EXCLUDED_MODELS = ["roleassignment"]


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managed = Permission.objects.filter(content_type__app_label__in=APPS)

    roles = {
        "Administrator": Permission.objects.all(),
        "Office staff": managed.exclude(codename__startswith="delete_").exclude(
            content_type__model__in=STAFF_EXCLUDED_MODELS
        ),
        "Commune cadre": managed.filter(
            codename__in=[f"view_{model}" for model in CADRE_VIEW] + CADRE_WRITE
        ),
        "Donor": Permission.objects.none(),
        "Auditor": managed.filter(codename__startswith="view_"),
    }
    for name, permissions in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


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
