"""A partnership carried over to the commune its commune merged into (the 2025 reform).

The map is reloaded by ``load_admin_units``, which leaves every record on the unit it was made
in. Whether the partnership goes on with the new commune is the office's decision, not the
map's: this service records it. The households are people who still live where they lived: they
move to the villages their villages carried on into (``outreach.units.villages_carry_on``);
what was recorded before (receipts, grants, assets, activities, review campaigns and their
village lists) keeps the places it was made in, and the households' history keeps their old
address.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from core.services import service
from households.models import Household, ReviewCampaign
from outreach.models import Commune, Partnership, RoleAssignment
from outreach.scope import require_in_scope

_BATCH = 2_000


def _check(partnership: Partnership, into: Commune, first_day: datetime.date) -> Commune:
    old = partnership.commune
    if old.pk == into.pk:
        raise ValidationError(_("The partnership already works with this commune."))
    if old.current.pk != into.pk:
        raise ValidationError(
            _("%(old)s did not merge into %(new)s: the partnership cannot continue there.")
            % {"old": old.name, "new": into.name}
        )
    if not into.is_valid_on(first_day) or (old.valid_until and old.valid_until >= first_day):
        raise ValidationError(
            _("The partnership can continue with %(new)s only from the day %(old)s ended.")
            % {"new": into.name, "old": old.name}
        )
    if ReviewCampaign.objects.filter(commune=old, closed=False).exists():
        raise ValidationError(
            _("%(old)s has a review campaign still open: close it with its decision first.")
            % {"old": old.name}
        )
    return old


def _moves(old: Commune, into: Commune) -> list[Household]:
    households = list(Household.objects.filter(commune=old).select_related("village__merged_into"))
    stranded = sorted(
        {h.village.name for h in households if h.village.current.commune_id != into.pk}
    )
    if stranded:
        raise ValidationError(
            _("These villages of %(old)s did not carry on into %(new)s: %(villages)s.")
            % {"old": old.name, "new": into.name, "villages": ", ".join(stranded)}
        )
    codes = {h.code for h in households}
    taken = sorted(
        Household.objects.filter(commune=into, code__in=codes).values_list("code", flat=True)
    )
    if taken:
        raise ValidationError(
            _("%(new)s already has households with these codes: %(codes)s.")
            % {"new": into.name, "codes": ", ".join(taken[:20])}
        )
    now = timezone.now()
    for household in households:
        household.village = household.village.current
        household.commune = into
        household.updated_at = now
    return households


def continuation_of(partnership: Partnership) -> tuple[Commune, datetime.date]:
    """Return the commune ``partnership`` would continue with and the first day there: the
    commune its commune merged into, from the day after its last.

    Raise ``ValidationError`` when its commune has not merged."""
    old = partnership.commune
    if not old.merged_into_id or old.valid_until is None:
        raise ValidationError(_("%(old)s has not merged into another commune.") % {"old": old.name})
    return old.current, old.valid_until + datetime.timedelta(days=1)


@service
def partnership_continue(
    *, actor, partnership: Partnership, into: Commune, first_day: datetime.date
) -> Partnership:
    """Carry ``partnership`` over to ``into``, the commune its commune merged into, from
    ``first_day``: its households move to the villages theirs carried on into and the commune's
    cadres go on in the new commune; earlier records keep their places."""
    require_in_scope(actor, partnership, commune=into)
    partnership = (
        Partnership.objects.select_for_update().select_related("commune").get(pk=partnership.pk)
    )
    into = Commune.objects.get(pk=into.pk)
    old = _check(partnership, into, first_day)
    households = _moves(old, into)
    now = timezone.now()
    bulk_update_with_history(
        households,
        Household,
        ["village", "commune", "updated_at"],
        batch_size=_BATCH,
        default_user=actor,
        default_change_reason=_("The partnership continued with %(new)s") % {"new": into.name},
    )
    RoleAssignment.objects.filter(role=RoleAssignment.Role.COMMUNE_CADRE, commune=old).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=first_day)
    ).update(commune=into, updated_at=now)
    partnership.commune = into
    partnership.full_clean()
    partnership.save(update_fields=["commune", "updated_at"])
    return partnership
