"""Verification rounds: a random sample of a closed distribution's confirmed receipts re-checked at
the door."""

import math
import random

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from activities.models import (
    Distribution,
    Receipt,
    Verification,
    VerificationRound,
)
from activities.services.common import BATCH
from core.services import actor_or_none, service
from outreach.scope import require_in_scope

__all__ = [
    "verification_record",
    "verification_round_start",
]


@service
def verification_round_start(
    *, actor, distribution: Distribution, sample_percent: int, note: str = ""
) -> VerificationRound:
    """Draw a random share of a closed distribution's confirmed receipts to re-check at the door.

    At least one receipt is drawn; ``SystemRandom`` draws it, so that nobody can foresee (or
    steer) which households will be visited.
    """
    require_in_scope(actor, distribution)
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if distribution.status != Distribution.Status.CLOSED:
        raise ValidationError(_("Receipts are checked once the distribution is closed."))
    if sample_percent is None or not 1 <= int(sample_percent) <= 100:
        raise ValidationError({"sample_percent": _("The share to check is between 1 and 100%.")})
    sample_percent = int(sample_percent)
    confirmed = list(
        Receipt.objects.filter(distribution=distribution, confirmed_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not confirmed:
        raise ValidationError(_("This distribution has no confirmed receipt to check."))
    size = max(1, math.ceil(len(confirmed) * sample_percent / 100))
    drawn = sorted(random.SystemRandom().sample(confirmed, size))
    verification_round = VerificationRound(
        distribution=distribution,
        started_by=actor_or_none(actor),
        sample_percent=sample_percent,
        note=note,
    )
    verification_round.full_clean()
    verification_round.save()
    bulk_create_with_history(
        [Verification(round=verification_round, receipt_id=pk) for pk in drawn],
        Verification,
        batch_size=BATCH,
        default_user=actor_or_none(actor),
    )
    return verification_round


@service
def verification_record(
    *, actor, verification: Verification, outcome: str, note: str = ""
) -> Verification:
    """Record what a visit found: received, not received, or received with a problem."""
    require_in_scope(actor, verification)
    verification = Verification.objects.select_for_update().get(pk=verification.pk)
    if outcome not in Verification.Outcome.values or outcome == Verification.Outcome.PENDING:
        raise ValidationError({"outcome": _("Say what the visit found.")})
    note = (note or "").strip()
    if outcome in (Verification.Outcome.PROBLEM, Verification.Outcome.NOT_RECEIVED) and not note:
        raise ValidationError({"note": _("Describe what the household told you.")})
    verification.outcome = outcome
    verification.note = note
    verification.verified_by = actor_or_none(actor)
    verification.verified_at = timezone.now()
    verification.full_clean()
    verification.save(update_fields=["outcome", "note", "verified_by", "verified_at", "updated_at"])
    return verification
