from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Partnership and partners")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from outreach import scope  # noqa: F401  (registers how its rows are scoped)
        from outreach.roles import sync_after_migrate

        # The roles' permissions follow the models of every app they cover (outreach.roles.APPS).
        post_migrate.connect(sync_after_migrate, dispatch_uid="bacung-role-permissions")
