"""The channel's panel on the concern page (core.panels): the Zalo messages recorded on the
concern, the answers sent back and, for office staff, the form to answer by Zalo.

households/ must not import channel/: the concern page only names the slot
(``{% panels "concern" concern %}``); ``register()`` is called from ChannelConfig.ready().
"""

from django.http import HttpRequest

from channel.notify import inbound
from channel.notify.views_inbound import ConcernAnswerForm
from core.panels import register_panel
from households.models import Concern
from outreach.access import may
from outreach.scope import Role

TEMPLATE = "channel/inbound/concern_panel.html"


def concern_panel(*, obj: Concern, request: HttpRequest | None) -> dict | None:
    """Return the panel's context for ``obj``, or None when no message came by Zalo about it.

    The concern page already checked that the user may see the concern; one query for a
    concern that did not come by Zalo, two for one that did.
    """
    zalo_messages, answers = inbound.concern_messages(concern=obj)
    if not zalo_messages:
        return None
    user = getattr(request, "user", None)
    can_answer = may(user, Role.OFFICE_STAFF) and any(m.follower_id for m in zalo_messages)
    return {
        "concern": obj,
        "zalo_messages": zalo_messages,
        "answers": answers,
        "answer_form": ConcernAnswerForm.fresh() if can_answer else None,
    }


def register() -> None:
    """Show the panel on the concern page (call it from ChannelConfig.ready())."""
    register_panel("concern", template=TEMPLATE, context=concern_panel)
