"""How channel rows are scoped (see outreach.scope).

Posts belong to their partnership's commune; a donor reads the posts about their own funded work
(``partner``) and nothing else. Which of a commune's posts a cadre reads (not those meant for one
donor) is the feed's rule: channel.selectors.visible_posts.

Faults reported by the public carry a villager's phone number: office staff of the asset's
commune only (auditors and administrators see every row, as everywhere). Subscriptions and
deliveries are each user's own: nobody else reads them but auditors and administrators.
"""

from channel.models import Post, PostPhoto, PublicFaultReport, ReportLinkCode
from outreach.scope import Role, register

register(Post, commune="partnership__commune", partner="partner")
register(PostPhoto, commune="post__partnership__commune", partner="post__partner")
register(PublicFaultReport, commune="asset__partnership__commune", roles={Role.OFFICE_STAFF})
register(ReportLinkCode, commune=None, roles={Role.OFFICE_STAFF})
