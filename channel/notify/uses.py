"""What the office's notices are used for: new bulletin posts and the daily digest to their
subscribers, the notice to each family of what it received in a distribution, and the user's
own choice of mobile number and channel.

Every notice goes through the one way to send (``channel.notify.service.notice_send``): the
channel follows the person's preference and what is configured, and a notice is sent once per
key however often these run. The reminders of the apps below the channel (reviews, assets, the
donor digest, campaign steps) come through ``core.notices`` instead (``send_core_notice``).
"""

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.models import Distribution, Receipt
from channel.models import (
    Channel,
    Notice,
    NoticeKind,
    NotifyPreference,
    Post,
    SiteProfile,
    ZaloFollower,
)
from channel.notify.service import notice_send
from core.phones import normalise_phone
from core.services import service
from households.models import Member
from outreach.scope import require_in_scope


def reachable_users(users: QuerySet) -> QuerySet:
    """Keep the ``users`` a notice can reach: an e-mail address or a mobile number
    (registered as ``core.notices.reachable`` for the apps below the channel)."""
    return users.filter(Q(email__gt="") | Q(notify_preference__phone__gt=""))


# --- The user's own choice -----------------------------------------------------------------


@service
def notify_preference_set(*, actor, user, phone: str, channel: str) -> NotifyPreference:
    """Record ``user``'s mobile number and preferred channel (an invalid number is refused
    with the reason, on the number's field)."""
    try:
        phone = normalise_phone(phone)
    except ValidationError as error:
        raise ValidationError({"phone": error.error_list}) from error
    if channel in (Channel.ZNS, Channel.SMS) and not phone:
        raise ValidationError(
            {"phone": _("Add your mobile number to receive messages by Zalo or SMS.")}
        )
    if channel == Channel.EMAIL and not user.email:
        raise ValidationError(
            {"channel": _("Your account has no e-mail address: choose another way.")}
        )
    preference = NotifyPreference.objects.filter(user=user).first() or NotifyPreference(user=user)
    if preference.pk and (preference.phone, preference.channel) == (phone, channel):
        return preference
    preference.phone = phone
    preference.channel = channel
    preference.full_clean()
    preference.save()
    return preference


# --- Bulletin posts ----------------------------------------------------------------------------


def _rendered(template: str, context: dict) -> tuple[str, str]:
    """Return the e-mail's subject and body, in the site's language (tasks have no request)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"email/{template}_subject.txt", context).strip()
        body = render_to_string(f"email/{template}_body.txt", context)
    return " ".join(subject.split()), body


def post_notice(*, post: Post, user, link: str, office: str) -> Notice:
    """Tell ``user`` of ``post`` (once: the key names the post and the user)."""
    subject, body = _rendered("channel_post", {"post": post, "user": user, "link": link})
    return notice_send(
        kind=NoticeKind.POST,
        key=f"post:{post.pk}:user:{user.pk}",
        user=user,
        data={
            "title": post.title,
            "office": office,
            "date": timezone.localtime(post.published_at).strftime("%d/%m/%Y"),
        },
        link=link,
        subject=subject,
        email_body=body,
    )


def digest_notice(*, user, entries: list, link: str, office: str) -> Notice:
    """Tell ``user`` of the posts of ``entries`` (``(post, link)``) in one notice."""
    subject, body = _rendered("channel_digest", {"entries": entries, "user": user})
    # The posts of one digest are claimed once (Delivery): the last one names the digest.
    last = max(post.pk for post, _link in entries)
    return notice_send(
        kind=NoticeKind.POST_DIGEST,
        key=f"post_digest:user:{user.pk}:last:{last}",
        user=user,
        data={"count": len(entries), "office": office, "title": entries[-1][0].title},
        link=link,
        subject=subject,
        email_body=body,
    )


# --- What a family received --------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ReceiptNotices:
    """What telling a distribution's families came to."""

    queued: int  # notices recorded now (their delivery is queued)
    already: int  # families told before
    no_phone: int  # families that no message can reach: no mobile number, no Zalo


def _reachable_by(household, members: list[Member], followers: set[int]) -> bool:
    if household.pk in followers:
        return True
    for phone in [household.phone, *(member.phone for member in members)]:
        try:
            if normalise_phone(phone):
                return True
        except ValidationError:
            continue
    return False


def _items(receipt: Receipt) -> str:
    description = receipt.distribution.item_description
    return description if receipt.quantity == 1 else f"{receipt.quantity} × {description}"


@service
def distribution_notify(*, actor, distribution: Distribution) -> ReceiptNotices:
    """Tell each family whose receipt is confirmed what it received, by message, once.

    A family told before is not told again (the notice's key is the receipt's); a family that
    no message can reach is counted, not sent to, so that it is told once a number is added.
    """
    require_in_scope(actor, distribution)
    distribution = Distribution.objects.select_related("partnership").get(pk=distribution.pk)
    if distribution.status == Distribution.Status.DRAFT:
        raise ValidationError(
            _("This distribution is a draft: nothing was handed out yet, so nobody is told.")
        )
    receipts = list(
        Receipt.objects.filter(distribution=distribution, confirmed_at__isnull=False)
        .exclude(notices__kind=NoticeKind.RECEIPT)
        .select_related("household", "distribution")
        .order_by("pk")
    )
    confirmed = Receipt.objects.filter(distribution=distribution, confirmed_at__isnull=False)
    already = confirmed.count() - len(receipts)
    household_ids = [receipt.household_id for receipt in receipts]
    members: dict[int, list[Member]] = {}
    for member in Member.objects.filter(household_id__in=household_ids).exclude(phone=""):
        members.setdefault(member.household_id, []).append(member)
    followers = set(
        ZaloFollower.objects.filter(
            member__household_id__in=household_ids, following=True
        ).values_list("member__household_id", flat=True)
    )
    profile = SiteProfile.objects.filter(pk=SiteProfile.PK).first()
    office_phone = profile.phone if profile else ""
    day = distribution.distributed_on.strftime("%d/%m/%Y")
    queued = no_phone = 0
    for receipt in receipts:
        household = receipt.household
        if not _reachable_by(household, members.get(household.pk, []), followers):
            no_phone += 1
            continue
        notice_send(
            actor=actor,
            kind=NoticeKind.RECEIPT,
            key=f"receipt:{receipt.pk}",
            household=household,
            receipt=receipt,
            data={
                "head": household.head_name,
                "items": _items(receipt),
                "date": day,
                "distribution": distribution.title,
                "office_phone": office_phone,
            },
        )
        queued += 1
    return ReceiptNotices(queued=queued, already=already, no_phone=no_phone)


def distribution_notice_counts(*, distribution: Distribution) -> dict:
    """Count a distribution's confirmed receipts, its families without a mobile number and
    its receipt notices by status, in one query (the distribution page's panel)."""
    receipt_notice = Q(notices__kind=NoticeKind.RECEIPT)
    # Approximate on purpose (a number kept as typed may be a landline): the exact test is
    # the sending's (``distribution_notify``), this one is one query whatever the size.
    no_phone = (
        Q(household__phone="")
        & ~Exists(Member.objects.filter(household_id=OuterRef("household_id")).exclude(phone=""))
        & ~Exists(Notice.objects.filter(receipt_id=OuterRef("pk"), kind=NoticeKind.RECEIPT))
    )
    counts = Receipt.objects.filter(
        distribution=distribution, confirmed_at__isnull=False
    ).aggregate(
        confirmed=Count("pk", distinct=True),
        no_phone=Count("pk", distinct=True, filter=no_phone),
        told=Count("notices", filter=receipt_notice),
        sent=Count("notices", filter=receipt_notice & Q(notices__status=Notice.Status.SENT)),
        failed=Count("notices", filter=receipt_notice & Q(notices__status=Notice.Status.FAILED)),
    )
    counts["waiting"] = counts["told"] - counts["sent"] - counts["failed"]
    counts["untold"] = counts["confirmed"] - counts["told"]
    return counts
