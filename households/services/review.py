"""The flag that asks for a household's review before its yearly review falls due.

Reviews themselves are made only by a commune decision closing a review campaign
(``households.services.campaign``)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.services import service
from households.models import Household
from outreach.scope import require_in_scope


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
