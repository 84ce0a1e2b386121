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
        # Notices held for the morning, and those whose delivery task was lost, go when due.
        register_recoverer(tasks.notices_due)
        # Messages from the OA's webhook whose processing task was lost.
        register_recoverer(tasks.inbound_pending)

        # The Zalo panel on the concern page (households/ knows nothing of this app).
        from channel.notify import panels_inbound

        panels_inbound.register()
        # The distribution page's receipt notices, the case file's "Messages" section, and who
        # can be reached (an e-mail or a mobile number) for the reminders of the apps below.
        from channel.notify import panels_uses

        panels_uses.register()

        # The apps below the channel send their notices (reminders, digests) through it.
        from channel.notify.service import send_core_notice
        from core.notices import register_sender

        register_sender(send_core_notice)
