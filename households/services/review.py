"""Reviews and review flags: a household's status is its latest approved review's."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import service
from households.models import Household, Review
from outreach.scope import require_in_scope


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
    require_in_scope(actor, household)
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
    require_in_scope(actor, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    _flag(household, reason)
    return household
