"""Reads of the connection channel, always cut to the reader's scope.

Who reads which post:
- office staff, auditors and administrators: every post of their scope;
- commune cadres: the posts of their commune meant for the partnership or one of its villages
  (a post about one donor's funded work is for that donor and the office);
- donors: only the posts about their own funded work, with only the photos people agreed to show;
- anyone, without logging in: a post marked public, by its random code, with consented photos.
"""

import dataclasses
import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Asset, Distribution, Receipt
from channel.filters import FaultReportFilter, PostFilter
from channel.models import (
    ImageState,
    Notice,
    Post,
    PostPhoto,
    PublicFaultReport,
    ReportLinkCode,
    SiteProfile,
)
from core.codes import normalise_code
from core.phones import masked_phone
from outreach.access import OFFICE_READERS, RECORD_READERS, Allowed, may
from outreach.models import Partner, Partnership
from outreach.scope import Role, partners_for, roles_of, scoped


def _sees_consented_photos_only(user) -> bool:
    return not may(user, *RECORD_READERS)


def visible_posts(user) -> QuerySet:
    """Return the posts ``user`` may read (unordered, without relations)."""
    posts = scoped(Post.objects.all(), user)
    # Office staff and auditors read every post of their scope, whatever its audience.
    if may(user, *OFFICE_READERS):
        return posts
    # A cadre who is also a donor keeps their donor's posts (scoped matched them by partner).
    if Role.DONOR in roles_of(user):
        return posts.filter(
            ~Q(audience=Post.Audience.PARTNER) | Q(partner_id__in=partners_for(user))
        )
    return posts.exclude(audience=Post.Audience.PARTNER)


def post_visible_to(*, user, post: Post) -> bool:
    """Tell whether ``user`` may read ``post`` (the feed's rule, for one post)."""
    return visible_posts(user).filter(pk=post.pk).exists()


def _photos_for(user) -> QuerySet:
    photos = PostPhoto.objects.filter(state=ImageState.READY).order_by("pk")
    if _sees_consented_photos_only(user):
        photos = photos.filter(consent_to_publish=True)
    return photos


def _with_relations(posts: QuerySet, user) -> QuerySet:
    return posts.select_related(
        "partnership", "village", "partner", "activity", "distribution", "created_by"
    ).prefetch_related(Prefetch("photos", queryset=_photos_for(user), to_attr="shown_photos"))


def post_list(*, user, filters) -> PostFilter:
    """Filter the posts ``user`` may read, newest first (by audience, village, year)."""
    posts = _with_relations(visible_posts(user), user).order_by("-published_at", "-pk")
    return PostFilter(filters or None, queryset=posts)


def post_get(*, user, pk: int) -> Post:
    """Return one post ``user`` may read, with the photos they may see (or 404)."""
    return get_object_or_404(_with_relations(visible_posts(user), user), pk=pk)


def pending_photo_count(*, post: Post) -> int:
    """Return how many of a post's photos are still being processed."""
    return post.photos.filter(state=ImageState.PENDING).count()


def public_post_get(*, code: str) -> Post:
    """Return the public post named by ``code`` with its consented photos (or 404)."""
    posts = Post.objects.filter(is_public=True).select_related(
        "partnership", "village", "distribution", "activity"
    )
    posts = posts.prefetch_related(
        Prefetch(
            "photos",
            queryset=PostPhoto.objects.filter(
                state=ImageState.READY, consent_to_publish=True
            ).order_by("pk"),
            to_attr="shown_photos",
        )
    )
    return get_object_or_404(posts, short_code=normalise_code(code))


def photo_for(*, user, pk: int) -> PostPhoto:
    """Return a processed post photo that ``user`` (perhaps anonymous) may see (or 404).

    A photo with consent on a public post is anyone's; otherwise the reader must read its post,
    and donors see only consented photos.
    """
    photo = PostPhoto.objects.filter(pk=pk, state=ImageState.READY).select_related("post").first()
    if photo is None:
        raise Http404
    if photo.post.is_public and photo.consent_to_publish:
        return photo
    if not getattr(user, "is_authenticated", False) or not post_visible_to(
        user=user, post=photo.post
    ):
        raise Http404
    if _sees_consented_photos_only(user) and not photo.consent_to_publish:
        raise Http404
    return photo


# --- Choices of the post form ------------------------------------------------------------------


def funding_partners(*, partnerships: QuerySet) -> QuerySet:
    """Return the donors that gave to any of ``partnerships`` (the audiences a post may name)."""
    return (
        Partner.objects.filter(donations__partnership__in=partnerships).distinct().order_by("name")
    )


def recent_activities(*, user, partnerships: QuerySet, limit: int = 100) -> QuerySet:
    """Return the latest activities of ``partnerships`` that ``user`` sees, for a post to name."""
    ids = list(
        scoped(Activity.objects.filter(partnership__in=partnerships), user)
        .order_by("-starts_on", "-pk")
        .values_list("pk", flat=True)[:limit]
    )
    return Activity.objects.filter(pk__in=ids).order_by("-starts_on", "-pk")


def recent_distributions(*, user, partnerships: QuerySet, limit: int = 100) -> QuerySet:
    """Return the latest distributions of ``partnerships`` that ``user`` sees."""
    ids = list(
        scoped(Distribution.objects.filter(partnership__in=partnerships), user)
        .order_by("-distributed_on", "-pk")
        .values_list("pk", flat=True)[:limit]
    )
    return Distribution.objects.filter(pk__in=ids).order_by("-distributed_on", "-pk")


# --- Faults reported by the public -------------------------------------------------------------


def fault_report_list(*, user, filters) -> FaultReportFilter:
    """Filter the public fault reports ``user`` may see (by status), newest first."""
    reports = (
        scoped(PublicFaultReport.objects.all(), user)
        .select_related("asset", "asset__village", "handled_by")
        .order_by("-created_at", "-pk")
    )
    return FaultReportFilter(filters or None, queryset=reports)


def fault_report_get(*, user, pk: int) -> PublicFaultReport:
    """Return one public fault report in ``user``'s scope (or 404)."""
    reports = scoped(PublicFaultReport.objects.all(), user).select_related("asset")
    return get_object_or_404(reports, pk=pk)


def fault_report_detail(*, user, pk: int) -> tuple[PublicFaultReport, Allowed]:
    """Return one public fault report (as ``fault_report_get``) and what ``user`` may do with
    it: office staff confirm or dismiss it while it is new; auditors only read."""
    report = fault_report_get(user=user, pk=pk)
    return report, Allowed(
        handle=report.status == PublicFaultReport.Status.NEW and may(user, Role.OFFICE_STAFF)
    )


def public_asset_get(*, code: str) -> Asset | None:
    """Return the asset whose label carries ``code``, with what its public page shows."""
    return (
        Asset.objects.select_related("village", "village__commune", "partnership")
        .filter(short_code=normalise_code(code))
        .first()
    )


# --- The verification page ---------------------------------------------------------------------

# Each kind of code verify_code checks, named by the paper it is printed on.
CODE_KINDS = {
    "distribution": _("Distribution code (on the sign-off sheet)"),
    "receipt": _("Receipt code"),
    "asset": _("Asset label code"),
    "report": _("Donor report link code"),
    "notice": _("Code at the end of a message"),
}


@dataclasses.dataclass(frozen=True)
class Verified:
    """What the verification page may say about a genuine code: never a person or a household."""

    kind: str  # a key of CODE_KINDS
    title: str
    date: datetime.date | None = None
    village: str = ""
    commune: str = ""
    office: str = ""
    state: str = ""
    asset_code: str = ""
    # A message's: when it was sent, to which number (masked) or address, by which channel.
    sent_at: datetime.datetime | None = None
    sent_to: str = ""
    sent_by: str = ""

    @property
    def kind_name(self) -> str:
        """Return what kind of code this is, as the page names it."""
        return CODE_KINDS[self.kind]


def verify_code(code: str) -> Verified | None:
    """Return what is safe to show about ``code`` (a sheet, receipt, label, report or message),
    or None.

    One indexed lookup per kind of code; the codes are random, so a miss tells nothing. A
    message's code is genuine only once the message was sent: a code of a message that failed
    or waits is "not found", like any other.
    """
    code = normalise_code(code)
    if not code or len(code) > 12:
        return None
    distribution = (
        Distribution.objects.select_related("partnership__office", "partnership__commune")
        .filter(short_code=code)
        .first()
    )
    if distribution is not None:
        return Verified(
            kind="distribution",
            title=distribution.title,
            date=distribution.distributed_on,
            commune=distribution.partnership.commune.name,
            office=distribution.partnership.office.name,
            state=distribution.get_status_display(),
        )
    receipt = (
        Receipt.objects.select_related(
            "distribution__partnership__office", "distribution__partnership__commune", "village"
        )
        .filter(short_code=code)
        .first()
    )
    if receipt is not None:
        distribution = receipt.distribution
        return Verified(
            kind="receipt",
            title=distribution.title,
            date=distribution.distributed_on,
            village=receipt.village.name,
            commune=distribution.partnership.commune.name,
            office=distribution.partnership.office.name,
        )
    asset = (
        Asset.objects.select_related("village", "partnership__office", "partnership__commune")
        .filter(short_code=code)
        .first()
    )
    if asset is not None:
        return Verified(
            kind="asset",
            title=asset.get_kind_display(),
            date=asset.installed_on,
            village=asset.village.name,
            commune=asset.partnership.commune.name,
            office=asset.partnership.office.name,
            asset_code=asset.short_code,
        )
    link_code = ReportLinkCode.objects.select_related("link").filter(short_code=code).first()
    if link_code is not None:
        link = link_code.link
        return Verified(
            kind="report",
            title="",
            date=link.expires_on,
            state="works" if link.works_on(timezone.localdate()) else "ended",
        )
    notice = (
        Notice.objects.filter(short_code=code, status=Notice.Status.SENT)
        .only("phone", "email", "channel", "sent_at")
        .first()
    )
    if notice is not None:
        # Never the person's name nor the text: only that the office sent it, when and how.
        return Verified(
            kind="notice",
            title="",
            sent_at=notice.sent_at,
            sent_to=masked_phone(notice.phone) if notice.phone else _masked_email(notice.email),
            sent_by=notice.get_channel_display(),
            office=site_profile_get().office_name,
        )
    return None


def _masked_email(email: str) -> str:
    """Return an address with most of its name hidden (``n***@example.vn``)."""
    name, _at, domain = (email or "").partition("@")
    return f"{name[:1]}***@{domain}" if name and domain else ""


def active_campaigns(*, today: datetime.date, limit: int = 20) -> list:
    """Return the office's current work a family may hear of: distributions approved or under
    way, and activities running around today (title, date, commune; nothing personal)."""
    distributions = list(
        Distribution.objects.filter(
            status__in=[Distribution.Status.APPROVED, Distribution.Status.DISTRIBUTING]
        )
        .select_related("partnership__commune")
        .only("title", "distributed_on", "partnership__commune__name")
        .order_by("-distributed_on", "-pk")[:limit]
    )
    window = datetime.timedelta(days=30)
    activities = list(
        Activity.objects.filter(starts_on__lte=today + window, starts_on__gte=today - window)
        .select_related("partnership__commune")
        .only("title", "starts_on", "partnership__commune__name")
        .order_by("-starts_on", "-pk")[:limit]
    )
    campaigns = [(d.distributed_on, d.title, d.partnership.commune.name) for d in distributions]
    campaigns += [(a.starts_on, a.title, a.partnership.commune.name) for a in activities]
    return sorted(campaigns, reverse=True)[:limit]


def site_profile_get() -> SiteProfile:
    """Return the office's public profile, or a blank unsaved one until it is filled in."""
    return SiteProfile.objects.filter(pk=SiteProfile.PK).first() or SiteProfile()


def official_contacts() -> list[Partner]:
    """Return the offices running a partnership, with their official phone and e-mail."""
    return list(
        Partner.objects.filter(pk__in=Partnership.objects.values("office"))
        .exclude(phone="", email="")
        .order_by("name")
    )
