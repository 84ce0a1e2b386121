"""Writes of the connection channel: posts and their photos, subscriptions, faults reported by
the public and the office's answer to them, the codes of shared donor report links, and the
office's public profile shown on the verification page. The e-mails of new posts and the
processing of photos run in the background (channel.background, queued through channel.tasks).
"""

import functools
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Asset, MaintenanceLog
from activities.services import maintenance_record
from channel import tasks
from channel.models import (
    ImageState,
    NotifyPreference,
    Post,
    PostPhoto,
    PublicFaultReport,
    ReportLinkCode,
    SiteProfile,
    Subscription,
)
from channel.notify import uses
from core import images
from core.services import actor_or_none, model_update, service
from outreach.models import Donation, ReportLink
from outreach.scope import require_in_scope

# What an administrator may change in the site profile (the admin shows these, in this order).
SITE_PROFILE_FIELDS = ("office_name", "phone", "address", "zalo_oa_name", "verify_note")


def _checked(files: Iterable, field: str) -> list[tuple[object, str]]:
    files = [upload for upload in files if upload]
    try:
        formats = images.check_uploads(files)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from error
    return list(zip(files, formats, strict=True))


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
    require_in_scope(actor, post)
    checked = _checked(photos, "photos")
    _check_post(post)
    post.created_by = actor_or_none(actor)
    post.published_at = timezone.now()
    post.full_clean()
    post.save()
    for upload, image_format in checked:
        upload.name = images.random_name(image_format)
        photo = PostPhoto(
            post=post,
            image=upload,
            caption=photo_caption,
            consent_to_publish=photo_consent,
            uploaded_by=actor_or_none(actor),
        )
        photo.full_clean()
        photo.save()
        transaction.on_commit(functools.partial(tasks.post_photo_process_task.delay, photo.pk))
    transaction.on_commit(functools.partial(tasks.post_notify_task.delay, post.pk, site_url))
    return post


# --- Subscriptions and e-mails -----------------------------------------------------------------


@service
def subscription_set(*, actor, user, frequency: str | None) -> Subscription | None:
    """Subscribe ``user`` to the posts they may read (``frequency``), or unsubscribe (None)."""
    if frequency is None:
        Subscription.objects.filter(user=user).delete()
        return None
    # Reached by e-mail, or by Zalo or SMS on the number of their preference (channel.notify).
    phones = NotifyPreference.objects.filter(user=user).exclude(phone="")
    if not user.email and not phones.exists():
        raise ValidationError(_("Add an e-mail address or a mobile number first."))
    subscription = Subscription.objects.filter(user=user).first() or Subscription(user=user)
    subscription.frequency = frequency
    subscription.full_clean()
    subscription.save()
    return subscription


@service
def subscription_choose(
    *, actor, user, frequency: str | None, phone: str, channel: str
) -> Subscription | None:
    """Save how ``user`` is told (number, channel) and whether, how often, of new posts.

    One transaction: a subscription that cannot reach the user saves nothing, the number
    included.
    """
    uses.notify_preference_set(actor=actor, user=user, phone=phone, channel=channel)
    return subscription_set(actor=actor, user=user, frequency=frequency)


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
        upload.name = images.random_name(image_format)
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
        transaction.on_commit(functools.partial(tasks.fault_photo_process_task.delay, report.pk))
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
    report.handled_by = actor_or_none(actor)
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
    if profile is None:
        profile = SiteProfile(pk=SiteProfile.PK)
    tidied = {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }
    model_update(profile, tidied, fields=SITE_PROFILE_FIELDS)
    return profile
