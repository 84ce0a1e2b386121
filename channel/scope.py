"""How channel rows are scoped (see outreach.scope).

Posts belong to their partnership's commune; a donor reads the posts about their own funded work
(``partner``) and nothing else. Which of a commune's posts a cadre reads (not those meant for one
donor) is the feed's rule: channel.selectors.visible_posts.

Faults reported by the public carry a villager's phone number: office staff of the asset's
commune only (auditors and administrators see every row, as everywhere). Subscriptions and
deliveries are each user's own: nobody else reads them but auditors and administrators.

Messages families send through the Zalo OA, and their senders: office staff only, of the
household's commune once the sender is linked to a member; a sender nobody linked yet has no
commune, so any office staff may read their messages and link them (channel.notify.inbound).
"""

from django.db.models import Q

from channel.models import (
    InboundMessage,
    Post,
    PostPhoto,
    PublicFaultReport,
    ReportLinkCode,
    ZaloFollower,
)
from outreach.scope import Role, register

register(Post, commune="partnership__commune", partner="partner")
register(PostPhoto, commune="post__partnership__commune", partner="post__partner")
register(PublicFaultReport, commune="asset__partnership__commune", roles={Role.OFFICE_STAFF})
register(ReportLinkCode, commune=None, roles={Role.OFFICE_STAFF})


def _inbound_in(communes: list[int]) -> Q:
    return (
        Q(household__commune_id__in=communes)
        | Q(household__isnull=True, follower__member__isnull=True)
        | Q(household__isnull=True, follower__member__household__commune_id__in=communes)
    )


def _follower_in(communes: list[int]) -> Q:
    return Q(member__isnull=True) | Q(member__household__commune_id__in=communes)


register(InboundMessage, commune=_inbound_in, roles={Role.OFFICE_STAFF})
register(ZaloFollower, commune=_follower_in, roles={Role.OFFICE_STAFF})
