"""The model permissions of each role (DESIGN.md's roles table), kept in step with the models.

Next to RoleAssignment, which gives a user a role: the groups hold the model permissions, the
assignments the scope (which communes, which partner: see outreach.scope). Applied by the data
migration activities 0003_roles and again after every ``migrate`` (post_migrate, connected in
outreach.apps), so a model added later gets its permissions in the roles without a new migration.
"""

from core import roles

APPS = ("outreach", "households", "activities", "channel", "core")
CADRE_VIEW = [
    "village",
    "commune",
    "household",
    "member",
    "review",
    "concern",
    "activity",
    "participation",
    "photo",
    "distribution",
    "receipt",
    "verificationround",
    "verification",
    "asset",
    "maintenancelog",
    "grant",
    "post",
    "postphoto",
]
CADRE_WRITE = [
    "add_review",
    "change_receipt",
    "add_maintenancelog",
    "add_concern",
    "change_concern",
    "change_verification",
]
# Who may do what is the administrators' business; who read which file, the auditors'; the
# office's Zalo connection and which template carries which notice, the administrators'.
STAFF_EXCLUDED_MODELS = [
    "roleassignment",
    "casefileview",
    "zaloconnection",
    "zalotemplate",
    "quotaday",
]


def role_permissions(Permission) -> dict:
    """Return, per role (group name), the permissions it holds."""
    managed = Permission.objects.filter(content_type__app_label__in=APPS)
    return {
        roles.ADMINISTRATOR: Permission.objects.all(),
        roles.OFFICE_STAFF: managed.exclude(codename__startswith="delete_").exclude(
            content_type__model__in=STAFF_EXCLUDED_MODELS
        ),
        roles.COMMUNE_CADRE: managed.filter(
            codename__in=[f"view_{model}" for model in CADRE_VIEW] + CADRE_WRITE
        ),
        roles.DONOR: Permission.objects.none(),
        roles.AUDITOR: managed.filter(codename__startswith="view_"),
    }


def sync_role_permissions(Group, Permission) -> None:
    """Create the role groups and set exactly their permissions."""
    for name, permissions in role_permissions(Permission).items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)


def sync_after_migrate(sender, **kwargs) -> None:
    """post_migrate receiver: permissions of new models join their roles.

    Runs after each app of ``APPS``: on a fresh database an app's permissions are made just
    before its own post_migrate, so the last of them (channel) completes the set.
    """
    if sender.label not in APPS:
        return
    from django.contrib.auth.models import Group, Permission

    sync_role_permissions(Group, Permission)
