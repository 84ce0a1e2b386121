"""The case file's follow-up: who opened it, what the family said and how it was handled."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import actor_or_none, service
from households.models import Concern, Household
from households.services.review import _flag
from outreach.scope import require_in_scope


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
    require_in_scope(actor, household)
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
        recorded_by=actor_or_none(actor),
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
    require_in_scope(actor, concern)
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
