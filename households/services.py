"""Writes to households, members and reviews."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import service
from core.text import fold
from households.models import Concern, Household, Member, Review
from outreach.models import Village

HOUSEHOLD_EDITABLE = (
    "village",
    "code",
    "head_name",
    "address",
    "phone",
    "housing_condition",
    "notes",
)
MEMBER_EDITABLE = (
    "full_name",
    "sex",
    "birth_year",
    "relation",
    "ethnicity",
    "has_disability",
    "disability_note",
    "national_id",
)


def household_search_text(household: Household, member_names: list[str] | None = None) -> str:
    """Build the folded text that search matches: code, head and member names."""
    if member_names is None:
        member_names = (
            list(household.members.values_list("full_name", flat=True)) if household.pk else []
        )
    return fold(" ".join([household.code, household.head_name, *member_names]))


@service
def household_create(
    *,
    actor,
    village: Village,
    code: str,
    head_name: str,
    address: str = "",
    phone: str = "",
    housing_condition: str = "",
    notes: str = "",
) -> Household:
    """Register a household in a village; its code must be new in the commune."""
    household = Household(
        commune_id=village.commune_id,
        village=village,
        code=code.strip(),
        head_name=" ".join(head_name.split()),
        address=address,
        phone=phone,
        housing_condition=housing_condition,
        notes=notes,
        created_by=actor,
    )
    household.full_clean()
    household.save()
    return household


@service
def household_update(*, actor, household: Household, **fields) -> Household:
    """Change a household's own fields (not its status: that comes from reviews)."""
    unknown = set(fields) - set(HOUSEHOLD_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    household = Household.objects.select_for_update().get(pk=household.pk)
    for name, value in fields.items():
        setattr(household, name, value)
    household.full_clean()
    household.save()
    return household


@service
def household_archive(*, actor, household: Household, archived: bool = True) -> Household:
    """Archive (or restore) a household: it leaves the lists but nothing about it is lost."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    household.archived = archived
    household.archived_at = timezone.now() if archived else None
    household.save(update_fields=["archived", "archived_at", "updated_at"])
    return household


@service
def member_add(*, actor, household: Household, **fields) -> Member:
    """Add a person to a household."""
    unknown = set(fields) - set(MEMBER_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    member = Member(household=household, **fields)
    member.full_clean()
    member.save()
    return member


@service
def member_update(*, actor, member: Member, **fields) -> Member:
    """Change a member's details."""
    unknown = set(fields) - set(MEMBER_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    member = Member.objects.select_for_update().get(pk=member.pk)
    for name, value in fields.items():
        setattr(member, name, value)
    member.full_clean()
    member.save()
    return member


def _refresh_status(household: Household) -> None:
    latest = household.reviews.filter(approved=True).order_by("-reviewed_on", "-pk").first()
    household.status = latest.status if latest else ""
    household.last_reviewed_on = latest.reviewed_on if latest else None
    household.save(update_fields=["status", "last_reviewed_on", "updated_at"])


@service
def review_record(
    *,
    actor,
    household: Household,
    reviewed_on: datetime.date,
    status: str,
    reason: str,
    approved: bool = True,
) -> Review:
    """Record a review's decision; the household's status becomes its latest approved review's."""
    # The row lock serialises two reviewers so the derived status matches the latest review.
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.archived:
        raise ValidationError(_("An archived household cannot be reviewed."))
    if reviewed_on and reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("A review cannot be dated in the future.")})
    before = (
        household.reviews.filter(approved=True, reviewed_on__lte=reviewed_on)
        .order_by("-reviewed_on", "-pk")
        .values_list("status", flat=True)
        .first()
    )
    review = Review(
        household=household,
        reviewer=actor,
        reviewed_on=reviewed_on,
        status=status,
        previous_status=before or "",
        reason=reason.strip() if reason else "",
        approved=approved,
    )
    review.full_clean()
    review.save()
    _refresh_status(household)
    if household.flagged_for_review:
        # The review asked for has been made.
        household.flagged_for_review = False
        household.flag_reason = ""
        household.save(update_fields=["flagged_for_review", "flag_reason", "updated_at"])
    return review


def _flag(household: Household, reason: str) -> None:
    """Set the flag on a household already locked by the caller."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the household should be reviewed.")})
    if household.archived:
        raise ValidationError(_("An archived household cannot be reviewed."))
    limit = Household._meta.get_field("flag_reason").max_length
    household.flagged_for_review = True
    household.flag_reason = reason if len(reason) <= limit else reason[: limit - 1] + "…"
    household.save(update_fields=["flagged_for_review", "flag_reason", "updated_at"])


@service
def household_flag(*, actor, household: Household, reason: str) -> Household:
    """Ask for a household to be reviewed before its yearly review falls due."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _flag(household, reason)
    return household


def case_file_viewed(*, actor, household: Household, path: str = "") -> None:
    """Record that ``actor`` opened ``household``'s case file (DESIGN.md principle 3)."""
    from households.models import CaseFileView

    CaseFileView.objects.create(household=household, user=actor, path=path[:255])


def _check_handler(household: Household, handled_by) -> None:
    """Refuse a follow-up by someone without a role in the household's commune."""
    from households.selectors import concern_handlers

    if (
        handled_by is not None
        and not concern_handlers(household=household).filter(pk=handled_by.pk).exists()
    ):
        raise ValidationError(
            {"handled_by": _("This person has no role in the household's commune.")}
        )


@service
def concern_record(
    *,
    actor,
    household: Household,
    kind: str,
    raised_on: datetime.date,
    text: str,
    handled_by=None,
) -> Concern:
    """Record what a family said on its case file; a change of circumstance asks for a review."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    if raised_on and raised_on > timezone.localdate():
        raise ValidationError({"raised_on": _("A concern cannot be dated in the future.")})
    _check_handler(household, handled_by)
    concern = Concern(
        household=household,
        kind=kind,
        raised_on=raised_on,
        text=(text or "").strip(),
        handled_by=handled_by,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    concern.full_clean()
    concern.save()
    if kind == Concern.Kind.CHANGE and not household.archived:
        _flag(household, _("Change of circumstance: %(text)s") % {"text": concern.text})
    return concern


@service
def concern_update(
    *,
    actor,
    concern: Concern,
    status: str,
    resolution: str = "",
    handled_by=None,
    resolved_on: datetime.date | None = None,
) -> Concern:
    """Update the follow-up of a concern: who handles it, where it stands, how it was resolved.

    A resolved concern needs a resolution and gets a resolution date (today unless given). Once
    resolved it is closed: the only change allowed is reopening it (a new status, the same
    handler and resolution, which stay on record).
    """
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    resolution = (resolution or "").strip()
    if concern.status == Concern.Status.RESOLVED:
        # Closed: reopening (the status alone) is the only change allowed.
        handler_id = handled_by.pk if handled_by is not None else None
        if (
            status == Concern.Status.RESOLVED
            or resolution != concern.resolution
            or handler_id != concern.handled_by_id
        ):
            raise ValidationError(_("A resolved concern cannot be changed; reopen it first."))
    if status == Concern.Status.RESOLVED:
        if not resolution:
            raise ValidationError({"resolution": _("Say how the concern was resolved.")})
        resolved_on = resolved_on or timezone.localdate()
        if resolved_on > timezone.localdate():
            raise ValidationError({"resolved_on": _("A date cannot be in the future.")})
        if resolved_on < concern.raised_on:
            raise ValidationError(
                {"resolved_on": _("A concern cannot be resolved before it was raised.")}
            )
    else:
        resolved_on = None
    if (handled_by.pk if handled_by is not None else None) != concern.handled_by_id:
        _check_handler(concern.household, handled_by)
    concern.status = status
    concern.resolution = resolution
    concern.handled_by = handled_by
    concern.resolved_on = resolved_on
    concern.full_clean()
    concern.save()
    return concern
