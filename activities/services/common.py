"""What the services of several areas share: the locked open distribution, the partnership rule
of an activity, the batch size of bulk writes (the actor on record is ``core.services``')."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from activities.models import Activity, Distribution

__all__ = ["BATCH", "lock_open", "same_partnership"]

# Rows written per statement when many are inserted or updated at once.
BATCH = 500


def lock_open(distribution: Distribution) -> Distribution:
    """Lock a distribution's row; refuse one that is closed."""
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if distribution.status == Distribution.Status.CLOSED:
        raise ValidationError(_("A closed distribution cannot change."))
    return distribution


def same_partnership(record, activity: Activity | None, message: str) -> None:
    """Refuse an activity of another partnership than ``record``'s (a distribution or a grant)."""
    if activity is not None and activity.partnership_id != record.partnership_id:
        raise ValidationError({"activity": message})
