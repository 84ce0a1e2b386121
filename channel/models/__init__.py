"""Models of the connection channel: the bulletin, public fault reports, report link codes and
the site profile (channel.models.bulletin); notices, their delivery log, the Zalo connection
and the messages families send back (channel.models.notify)."""

from channel.models.bulletin import (
    SITE_PROFILE_PK,
    Delivery,
    ImageState,
    Post,
    PostPhoto,
    PublicFaultReport,
    ReportLinkCode,
    SiteProfile,
    Subscription,
    dialable,
    validate_official_phone,
)
from channel.models.notify import (
    Channel,
    InboundMessage,
    Notice,
    NoticeAttempt,
    NoticeKind,
    NotifyPreference,
    QuotaDay,
    ReceiptCheck,
    ZaloConnection,
    ZaloFollower,
    ZaloTemplate,
)

__all__ = [
    "SITE_PROFILE_PK",
    "Channel",
    "Delivery",
    "ImageState",
    "InboundMessage",
    "Notice",
    "NoticeAttempt",
    "NoticeKind",
    "NotifyPreference",
    "Post",
    "PostPhoto",
    "PublicFaultReport",
    "QuotaDay",
    "ReceiptCheck",
    "ReportLinkCode",
    "SiteProfile",
    "Subscription",
    "ZaloConnection",
    "ZaloFollower",
    "ZaloTemplate",
    "dialable",
    "validate_official_phone",
]
