"""What the notices add to the pages of the apps below the channel, which never import it:

* the distribution page: "Tell the families by message" with how far the notices went
  (office staff);
* the household's case file: its "Messages" section (notices, replies, receipts checked by
  message; office staff, auditors, administrators);
* ``core.notices.reachable``: a reminder reaches a user by e-mail or by their mobile number.

``register()`` is called once, from ``ChannelConfig.ready``.
"""

from activities.models import Distribution
from channel.notify import log, uses
from core import notices
from core.panels import register_panel
from households.case_file import register_section
from outreach.access import may
from outreach.scope import Role


def distribution_panel(*, obj: Distribution, request) -> dict | None:
    """Return the context of the distribution's notices panel, or None for who may not send
    (one query: the counts)."""
    user = getattr(request, "user", None)
    if user is None or not may(user, Role.OFFICE_STAFF):
        return None
    draft = obj.status == Distribution.Status.DRAFT
    return {
        "distribution": obj,
        "draft": draft,
        "counts": None if draft else uses.distribution_notice_counts(distribution=obj),
    }


def register() -> None:
    """Add the notices' panels and section to the lower apps' pages."""
    register_panel(
        "distribution",
        template="channel/notices/_distribution_panel.html",
        context=distribution_panel,
    )
    register_section(
        "messages",
        order=60,
        template="channel/notices/_case_file_messages.html",
        context=log.case_file_messages,
    )
    notices.register_reachable(uses.reachable_users)
