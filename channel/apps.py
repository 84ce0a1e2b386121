from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelConfig(AppConfig):
    """The connection channel: news of the work for families and donors, and the public check
    that a request really comes from the office. Depends on activities (it sits beside reports)."""

    name = "channel"
    verbose_name = _("Connection channel")

    def ready(self) -> None:
        # The roles get this app's permissions from outreach.roles (its post_migrate receiver).
        from channel import (
            scope,  # noqa: F401  (registers how its rows are scoped)
            tasks,
        )
        from core.recovery import register_recoverer

        # Photos and post e-mails whose task was lost (broker away, worker killed) go again.
        register_recoverer(tasks.photos_pending)
        register_recoverer(tasks.posts_unsent)
