from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelConfig(AppConfig):
    """The connection channel: news of the work for families and donors, and the public check
    that a request really comes from the office. Depends on activities (it sits beside reports)."""

    name = "channel"
    verbose_name = _("Connection channel")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from activities.roles import sync_after_migrate
        from channel import scope  # noqa: F401  (registers how its rows are scoped)

        # Again after this app's permissions exist (they are made after activities' receiver ran
        # on a fresh database), so that the roles hold them from the first migrate.
        post_migrate.connect(sync_after_migrate, sender=self)
