"""Writes of the connection channel: posts and their photos, subscriptions, the e-mails that tell
subscribers of new posts (each post to each user at most once), faults reported by the public and
the office's answer to them, the codes of shared donor report links, and the office's public
profile shown on the verification page.
"""

import datetime
import functools
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities import images
from activities.models import Asset, MaintenanceLog
from activities.services import maintenance_record
from channel.models import (
    Delivery,
    ImageState,
    Post,
    PostPhoto,
    PublicFaultReport,
    ReportLinkCode,
    SiteProfile,
    Subscription,
)
from core.services import service
from outreach.models import Donation, ReportLink

# What an administrator may change in the site profile (the admin shows these, in this order).
SITE_PROFILE_FIELDS = ("office_name", "phone", "address", "zalo_oa_name", "verify_note")
# A post still reaches a daily-digest subscriber this long after it was published.
DIGEST_LOOKBACK = datetime.timedelta(days=7)


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _random_name(image_format: str) -> str:
    # The name a phone gave a file may name a household; the extension is what the file really is.
    return f"{uuid.uuid4().hex[:20]}.{images.EXTENSIONS[image_format]}"


def _checked(files: Iterable, field: str) -> list[tuple[object, str]]:
    files = [upload for upload in files if upload]
    try:
        formats = images.check_uploads(files)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from error
    return list(zip(files, formats, strict=True))


def _enqueue(task_name: str, *args) -> None:
    # Imported here: the task module imports these services.
    from channel import tasks

    getattr(tasks, task_name).delay(*args)


# --- Posts -------------------------------------------------------------------------------------


def _check_post(post: Post) -> None:
    """Check that what a post names belongs to its partnership."""
    errors = {}
    commune_id = post.partnership.commune_id
    if post.audience != Post.Audience.VILLAGE:
        post.village = None
    if post.audience != Post.Audience.PARTNER:
        post.partner = None
    if post.audience == Post.Audience.VILLAGE and post.village is None:
        errors["village"] = _("Choose the village the post is meant for.")
    if post.audience == Post.Audience.PARTNER and post.partner is None:
        errors["partner"] = _("Choose the donor the post is meant for.")
    if post.village is not None and post.village.commune_id != commune_id:
        errors["village"] = _("The village is not in the partnership's commune.")
    if (
        post.partner is not None
        and not Donation.objects.filter(partnership=post.partnership, partner=post.partner).exists()
    ):
        errors["partner"] = _("This donor has given nothing to the partnership.")
    if post.activity is not None and post.activity.partnership_id != post.partnership_id:
        errors["activity"] = _("The activity belongs to another partnership.")
    if post.distribution is not None and post.distribution.partnership_id != post.partnership_id:
        errors["distribution"] = _("The distribution belongs to another partnership.")
    if errors:
        raise ValidationError(errors)


@service
def post_publish(
    *,
    actor,
    post: Post,
    photos: Iterable = (),
    photo_caption: str = "",
    photo_consent: bool = False,
    site_url: str = "",
) -> Post:
    """Publish a post with its photos and tell the subscribers who may read it.

    The photos are checked before anything is written, stored pending and processed in the
    background; the e-mails go once the transaction has committed (``post_notify_task``).
    ``site_url`` (``https://host``) makes the links in the e-mails absolute.
    """
    checked = _checked(photos, "photos")
    _check_post(post)
    post.created_by = _user_or_none(actor)
    post.published_at = timezone.now()
    post.full_clean()
    post.save()
    for upload, image_format in checked:
        upload.name = _random_name(image_format)
        photo = PostPhoto(
            post=post,
            image=upload,
            caption=photo_caption,
            consent_to_publish=photo_consent,
            uploaded_by=_user_or_none(actor),
        )
        photo.full_clean()
        photo.save()
        transaction.on_commit(functools.partial(_enqueue, "post_photo_process_task", photo.pk))
    transaction.on_commit(functools.partial(_enqueue, "post_notify_task", post.pk, site_url))
    return post


def _process_into(image_field, *, display=None, thumbnail=None) -> images.Processed | None:
    """Replace a stored upload by its clean picture (no EXIF, no GPS) and save its copies.

    Returns None when the file cannot be read as a photo.
    """
    try:
        with image_field.open("rb") as source:
            result = images.process(source)
    except (images.ImageProblem, FileNotFoundError):
        return None
    storage, name = image_field.storage, image_field.name
    # Delete, then save under the same name: the storage keeps the name when it is free.
    storage.delete(name)
    image_field.name = storage.save(name, ContentFile(result.image))
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    copy_name = f"{stem}.{result.copy_extension}"
    for field, content in ((display, result.display), (thumbnail, result.thumbnail)):
        if field is not None:
            if field.name:
                field.storage.delete(field.name)
            field.save(copy_name, ContentFile(content), save=False)
    return result


@service
def post_photo_process(*, actor, photo: PostPhoto) -> PostPhoto:
    """Turn a post's photo upright, strip its EXIF (GPS included) and make its smaller copies."""
    photo = PostPhoto.objects.select_for_update().get(pk=photo.pk)
    if photo.state == ImageState.READY:
        return photo
    result = _process_into(photo.image, display=photo.display, thumbnail=photo.thumbnail)
    photo.state = ImageState.FAILED if result is None else ImageState.READY
    photo.save(update_fields=["image", "display", "thumbnail", "state", "updated_at"])
    return photo


# --- Subscriptions and e-mails -----------------------------------------------------------------


@service
def subscription_set(*, actor, user, frequency: str | None) -> Subscription | None:
    """Subscribe ``user`` to the posts they may read (``frequency``), or unsubscribe (None)."""
    if frequency is None:
        Subscription.objects.filter(user=user).delete()
        return None
    if not user.email:
        raise ValidationError(_("Add an e-mail address to your account first."))
    subscription = Subscription.objects.filter(user=user).first() or Subscription(user=user)
    subscription.frequency = frequency
    subscription.full_clean()
    subscription.save()
    return subscription


def _link(site_url: str, path: str) -> str:
    return f"{(site_url or getattr(settings, 'SITE_URL', '')).rstrip('/')}{path}"


def _send(user, template: str, context: dict) -> None:
    """Send one e-mail, in the site's language (a task has no request to choose one)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"email/{template}_subject.txt", context).strip()
        body = render_to_string(f"email/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def _claim(post: Post, user, *, digest: bool) -> bool:
    """Record that ``post`` goes to ``user``; False if it went already (or is being sent).

    On PostgreSQL a second worker's insert waits for the first one's transaction and then fails
    on the unique constraint: the post is sent once even when two workers run the same task.
    """
    try:
        with transaction.atomic():
            Delivery.objects.create(post=post, user=user, digest=digest)
    except IntegrityError:
        return False
    return True


def post_notify(*, post_id: int, site_url: str = "") -> int:
    """Send a post to each subscriber who may read it and wants each post; return how many.

    Each e-mail is sent inside the transaction that records its delivery: if sending fails the
    delivery is rolled back and a retry sends it; if it was recorded, no run sends it again.
    Not a ``@service``: one transaction per recipient, so that one bad address stops nobody else.
    """
    from django.urls import reverse

    from channel.selectors import post_visible_to

    post = Post.objects.select_related("partnership", "village", "partner").filter(pk=post_id)
    post = post.first()
    if post is None:
        return 0
    subscriptions = (
        Subscription.objects.filter(frequency=Subscription.Frequency.IMMEDIATE)
        .exclude(user__email="")
        .exclude(user__channel_deliveries__post=post)
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    link = _link(site_url, reverse("channel:post-detail", args=[post.pk]))
    # A partnership's subscribers are its staff, cadres and donors: dozens, so one scope check
    # each (the same rule as the feed, not a copy of it) costs little in a background task.
    for subscription in subscriptions:
        user = subscription.user
        if not user.is_active or not post_visible_to(user=user, post=post):
            continue
        with transaction.atomic():
            if not _claim(post, user, digest=False):
                continue
            _send(user, "channel_post", {"post": post, "user": user, "link": link})
        sent += 1
    return sent


def digest_send(*, now: datetime.datetime | None = None, site_url: str = "") -> int:
    """Send each daily-digest subscriber the posts of the last week they may read and have not
    been sent yet, in one e-mail; return how many e-mails went."""
    from django.urls import reverse

    from channel.selectors import visible_posts

    now = now or timezone.now()
    subscriptions = (
        Subscription.objects.filter(frequency=Subscription.Frequency.DAILY)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    sent = 0
    for subscription in subscriptions:
        user = subscription.user
        if not user.is_active:
            continue
        posts = list(
            visible_posts(user)
            .filter(published_at__gte=now - DIGEST_LOOKBACK, published_at__lte=now)
            .exclude(deliveries__user=user)
            .order_by("published_at", "pk")[:50]
        )
        with transaction.atomic():
            posts = [post for post in posts if _claim(post, user, digest=True)]
            if not posts:
                continue
            entries = [
                (post, _link(site_url, reverse("channel:post-detail", args=[post.pk])))
                for post in posts
            ]
            _send(user, "channel_digest", {"entries": entries, "user": user})
        sent += 1
    return sent


# --- Faults reported by the public -------------------------------------------------------------


@service
def fault_report_submit(
    *, actor, asset: Asset, what: str, phone: str = "", photo=None
) -> PublicFaultReport:
    """Record a villager's fault report: in the office's queue and the asset's log at once.

    The log entry keeps the asset's state (``status_after`` = the current one): anyone can open
    the page, so only the office's confirmation (``fault_report_confirm``) makes it faulty.
    """
    checked = _checked([photo] if photo else [], "photo")
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status == Asset.Status.REMOVED:
        raise ValidationError(_("This asset was removed: there is nothing to report."))
    report = PublicFaultReport(asset=asset, what=what.strip(), phone=phone.strip())
    if checked:
        upload, image_format = checked[0]
        upload.name = _random_name(image_format)
        report.photo = upload
        report.photo_state = ImageState.PENDING
    report.full_clean()
    report.log = maintenance_record(
        actor=None,
        asset=asset,
        kind=MaintenanceLog.Kind.FAULT,
        happened_on=timezone.localdate(),
        note=_("Reported by the public, to be checked: %(what)s") % {"what": report.what},
        status_after=asset.status,
        reported_by_public=True,
    )
    report.save()
    if checked:
        transaction.on_commit(functools.partial(_enqueue, "fault_photo_process_task", report.pk))
    return report


@service
def fault_photo_process(*, actor, report: PublicFaultReport) -> PublicFaultReport:
    """Strip the EXIF (GPS included) of a reported fault's photo and turn it upright."""
    report = PublicFaultReport.objects.select_for_update().get(pk=report.pk)
    if report.photo_state != ImageState.PENDING or not report.photo:
        return report
    result = _process_into(report.photo)
    report.photo_state = ImageState.FAILED if result is None else ImageState.READY
    report.save(update_fields=["photo", "photo_state", "updated_at"])
    return report


def _locked_new_report(report: PublicFaultReport) -> PublicFaultReport:
    report = PublicFaultReport.objects.select_for_update().select_related("asset").get(pk=report.pk)
    if report.status != PublicFaultReport.Status.NEW:
        raise ValidationError(_("This report was handled already."))
    return report


@service
def fault_report_confirm(*, actor, report: PublicFaultReport, note: str = "") -> PublicFaultReport:
    """Confirm a public report: the asset becomes faulty, with an entry in its log."""
    report = _locked_new_report(report)
    maintenance_record(
        actor=actor,
        asset=report.asset,
        kind=MaintenanceLog.Kind.FAULT,
        happened_on=timezone.localdate(),
        note=note or _("Fault reported by the public, confirmed by the office."),
        status_after=Asset.Status.FAULTY,
    )
    return _handled(report, actor, PublicFaultReport.Status.CONFIRMED, note)


@service
def fault_report_dismiss(*, actor, report: PublicFaultReport, note: str = "") -> PublicFaultReport:
    """Dismiss a public report (not a fault, already known, a prank); the asset keeps its state."""
    report = _locked_new_report(report)
    return _handled(report, actor, PublicFaultReport.Status.DISMISSED, note)


def _handled(report: PublicFaultReport, actor, status: str, note: str) -> PublicFaultReport:
    report.status = status
    report.handled_by = _user_or_none(actor)
    report.handled_at = timezone.now()
    report.staff_note = note
    report.full_clean()
    report.save(update_fields=["status", "handled_by", "handled_at", "staff_note", "updated_at"])
    return report


# --- Codes of shared donor report links --------------------------------------------------------


@service
def report_link_code_issue(*, actor, link: ReportLink) -> ReportLinkCode:
    """Return the short code of a shared report link, issuing it the first time."""
    code, _created = ReportLinkCode.objects.get_or_create(link=link)
    return code


# --- The office's public profile ---------------------------------------------------------------


@service
def site_profile_update(*, actor, **fields) -> SiteProfile:
    """Change the office's public profile, creating its one row the first time.

    A call that changes nothing writes nothing, so the history holds real changes only.
    """
    unknown = set(fields) - set(SITE_PROFILE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    profile = SiteProfile.objects.select_for_update().filter(pk=SiteProfile.PK).first()
    adding = profile is None
    if adding:
        profile = SiteProfile(pk=SiteProfile.PK)
    changed = []
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    if not (adding or changed):
        return profile
    profile.full_clean()
    if adding:
        profile.save()
    else:
        profile.save(update_fields=[*changed, "updated_at"])
    return profile
