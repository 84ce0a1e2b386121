"""Services of the distribution pages (see activities.services).

Recipients are added in bulk and receipts confirmed in bulk under row locks, so that two people
working on the same sheet at once neither list a household twice nor count a receipt twice.
Verification rounds re-check a random sample of a closed distribution's confirmed receipts.
"""

import dataclasses
import datetime
import math
import random
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from activities import images
from activities.models import (
    CONFIRMABLE,
    Allocation,
    Distribution,
    Receipt,
    Verification,
    VerificationRound,
)

# The package defines these before it imports this module (see its last lines).
from activities.services import (
    allocation_remove,
    distribution_transition,
    donation_allocate,
    require_funded,
)
from core.services import service
from households.models import Household
from outreach.models import Donation

__all__ = [
    "ConfirmResult",
    "RecipientsResult",
    "distribution_allocate",
    "distribution_allocation_remove",
    "distribution_close",
    "distribution_recipients_add",
    "receipt_confirm",
    "receipt_signature_attach",
    "receipts_confirm",
    "receipts_mark_not_delivered",
    "verification_record",
    "verification_round_start",
]

# Rows inserted per INSERT statement when listing many households at once.
_BATCH = 500


@dataclasses.dataclass(frozen=True)
class RecipientsResult:
    """What ``distribution_recipients_add`` did: households listed, and those already listed."""

    added: int
    skipped: int


@dataclasses.dataclass(frozen=True)
class ConfirmResult:
    """What ``receipts_confirm`` did: receipts it confirmed, and those confirmed before."""

    confirmed: int
    already: int


def _actor_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_open(distribution: Distribution) -> Distribution:
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    if distribution.status == Distribution.Status.CLOSED:
        raise ValidationError(_("A closed distribution cannot change."))
    return distribution


@service
def distribution_allocate(
    *, actor, distribution: Distribution, donation: Donation, amount_vnd: int, note: str = ""
) -> Allocation:
    """Fund a distribution that is not closed with part of a donation of its partnership.

    The distribution is locked first, so that it cannot close while the money is assigned;
    ``donation_allocate`` then locks the donation and checks what it has left.
    """
    distribution = _lock_open(distribution)
    return donation_allocate(
        actor=actor,
        donation=donation,
        amount_vnd=amount_vnd,
        distribution=distribution,
        note=note,
    )


@service
def distribution_allocation_remove(*, actor, allocation: Allocation) -> None:
    """Give a distribution's allocation back to its donation, unless the distribution is closed."""
    _lock_open(allocation.distribution)
    allocation_remove(actor=actor, allocation=allocation)


@service
def distribution_recipients_add(
    *,
    actor,
    distribution: Distribution,
    households_queryset_or_ids: QuerySet | Iterable[int],
    quantity: int = 1,
) -> RecipientsResult:
    """List many households as recipients of a distribution at once, skipping those listed.

    The distribution row is locked for the whole insert, as ``receipt_add`` locks it, so two
    people adding recipients at once wait for each other; the unique constraint on
    (distribution, household) is the last guard. Households outside the partnership's commune
    and archived households are left out.
    """
    distribution = _lock_open(distribution)
    if not distribution.accepts_recipients:
        raise ValidationError(
            _("Recipients can only be chosen while the distribution is a draft or approved.")
        )
    if quantity is None or int(quantity) < 1:
        raise ValidationError({"quantity": _("The quantity must be at least 1.")})
    quantity = int(quantity)
    if isinstance(households_queryset_or_ids, QuerySet):
        wanted = households_queryset_or_ids.order_by().values("pk")
    else:
        wanted = list(households_queryset_or_ids)
    candidates = Household.objects.filter(
        pk__in=wanted,
        commune_id=distribution.partnership.commune_id,
        archived=False,
    )
    listed = Receipt.objects.filter(distribution=distribution).values("household_id")
    total = candidates.count()
    rows = list(candidates.exclude(pk__in=listed).order_by("pk").values_list("pk", "village_id"))
    require_funded(distribution, adding_vnd=len(rows) * quantity * distribution.value_per_item_vnd)
    receipts = [
        Receipt(
            distribution=distribution,
            household_id=household_id,
            village_id=village_id,
            quantity=quantity,
            value_vnd=quantity * distribution.value_per_item_vnd,
        )
        for household_id, village_id in rows
    ]
    # Row by row full_clean() would cost a query per household (its uniqueness check); the
    # rules were checked above for the whole set and the database's constraints hold the rest.
    try:
        with transaction.atomic():
            bulk_create_with_history(
                receipts, Receipt, batch_size=_BATCH, default_user=_actor_or_none(actor)
            )
    except IntegrityError as error:
        raise ValidationError(_("This household is already listed in this distribution.")) from (
            error
        )
    return RecipientsResult(added=len(receipts), skipped=total - len(receipts))


def _require_confirmable(distribution: Distribution, at: datetime.datetime) -> None:
    if distribution.status not in CONFIRMABLE:
        if distribution.status == Distribution.Status.CLOSED:
            raise ValidationError(_("A closed distribution cannot change."))
        raise ValidationError(_("The distribution must be approved before receipts are confirmed."))
    if timezone.localdate(at) < distribution.distributed_on:
        raise ValidationError(
            _("The distribution is on %(day)s: a receipt cannot be confirmed before that day.")
            % {"day": f"{distribution.distributed_on:%d/%m/%Y}"}
        )
    if at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(_("A receipt cannot be confirmed in the future."))


@service
def receipts_confirm(
    *,
    actor,
    distribution: Distribution,
    receipt_ids: Iterable[int],
    confirmed_at: datetime.datetime | None = None,
) -> ConfirmResult:
    """Confirm the ticked receipts of a sheet; those confirmed already are counted, not changed.

    The one confirmation path (``receipt_confirm`` confirms one receipt through it): only while
    the distribution accepts confirmations (``CONFIRMABLE``), not before its date. Confirming a
    receipt marked not delivered takes the mark off: the household came after all.

    The receipts are locked first, in id order, then the distribution: two people ticking the
    same sheet at once wait for each other and each receipt is confirmed once, by whoever came
    first.
    """
    ids = sorted({int(pk) for pk in receipt_ids})
    if not ids:
        raise ValidationError(_("Tick at least one receipt."))
    receipts = list(
        Receipt.objects.select_for_update()
        .filter(distribution_id=distribution.pk, pk__in=ids)
        .order_by("pk")
    )
    distribution = Distribution.objects.select_for_update().get(pk=distribution.pk)
    now = confirmed_at or timezone.now()
    _require_confirmable(distribution, now)
    if len(receipts) != len(ids):
        raise ValidationError(_("Some of the ticked receipts are not on this distribution."))
    if distribution.status == Distribution.Status.APPROVED:
        distribution.status = Distribution.Status.DISTRIBUTING
        distribution.save(update_fields=["status", "updated_at"])
    fresh = [receipt for receipt in receipts if not receipt.confirmed_at]
    for receipt in fresh:
        receipt.confirmed_by = _actor_or_none(actor)
        receipt.confirmed_at = now
        receipt.not_delivered_reason = ""
        receipt.not_delivered_note = ""
        receipt.not_delivered_at = None
        receipt.not_delivered_by = None
        receipt.updated_at = timezone.now()
    # One UPDATE and one history INSERT per batch rather than two queries per receipt.
    bulk_update_with_history(
        fresh,
        Receipt,
        [
            "confirmed_by",
            "confirmed_at",
            "not_delivered_reason",
            "not_delivered_note",
            "not_delivered_at",
            "not_delivered_by",
            "updated_at",
        ],
        batch_size=_BATCH,
        default_user=_actor_or_none(actor),
        default_date=timezone.now(),
    )
    confirmed = len(fresh)
    return ConfirmResult(confirmed=confirmed, already=len(receipts) - confirmed)


@service
def receipt_confirm(
    *, actor, receipt: Receipt, confirmed_at: datetime.datetime | None = None
) -> Receipt:
    """Confirm that the household received its items; confirming twice changes nothing.

    One receipt of ``receipts_confirm``, which holds the rules.
    """
    receipts_confirm(
        actor=actor,
        distribution=receipt.distribution,
        receipt_ids=[receipt.pk],
        confirmed_at=confirmed_at,
    )
    return Receipt.objects.get(pk=receipt.pk)


@service
def receipts_mark_not_delivered(
    *, actor, distribution: Distribution, reasons: Mapping[int, tuple[str, str]]
) -> int:
    """Mark receipts that will not be delivered, each with its reason and a note.

    ``reasons`` maps a receipt's id to ``(reason, note)``; "other" needs a note. A confirmed
    receipt cannot be marked. Returns how many were marked (a mark can be changed until close).
    """
    if not reasons:
        raise ValidationError(_("Choose at least one receipt and say why it was not delivered."))
    ids = sorted(int(pk) for pk in reasons)
    receipts = list(
        Receipt.objects.select_for_update()
        .filter(distribution_id=distribution.pk, pk__in=ids)
        .select_related("household")
        .order_by("pk")
    )
    distribution = _lock_open(distribution)
    if distribution.status == Distribution.Status.DRAFT:
        raise ValidationError(_("A draft distribution has nothing to deliver yet."))
    if len(receipts) != len(ids):
        raise ValidationError(_("Some of the ticked receipts are not on this distribution."))
    now = timezone.now()
    errors = []
    for receipt in receipts:
        reason, note = reasons[receipt.pk]
        note = (note or "").strip()
        if receipt.confirmed_at:
            errors.append(
                _("%(household)s: the receipt is confirmed, it was delivered.")
                % {"household": receipt.household.code}
            )
        elif reason not in Receipt.NotDelivered.values:
            errors.append(
                _("%(household)s: choose why it was not delivered.")
                % {"household": receipt.household.code}
            )
        elif reason == Receipt.NotDelivered.OTHER and not note:
            errors.append(
                _("%(household)s: say what happened.") % {"household": receipt.household.code}
            )
        receipt.not_delivered_reason = reason
        receipt.not_delivered_note = note
        receipt.not_delivered_at = now
        receipt.not_delivered_by = _actor_or_none(actor)
        receipt.updated_at = now
    if errors:
        raise ValidationError(errors)
    bulk_update_with_history(
        receipts,
        Receipt,
        [
            "not_delivered_reason",
            "not_delivered_note",
            "not_delivered_at",
            "not_delivered_by",
            "updated_at",
        ],
        batch_size=_BATCH,
        default_user=_actor_or_none(actor),
        default_date=now,
    )
    return len(receipts)


@service
def distribution_close(
    *,
    actor,
    distribution: Distribution,
    not_delivered: Mapping[int, tuple[str, str]] | None = None,
) -> Distribution:
    """Close a distribution in one step: mark the receipts listed in ``not_delivered`` (receipt id
    to ``(reason, note)``), then close (``distribution_transition`` holds the rules). Either both
    happen or neither does."""
    if not_delivered:
        receipts_mark_not_delivered(actor=actor, distribution=distribution, reasons=not_delivered)
    return distribution_transition(
        actor=actor, distribution=distribution, to=Distribution.Status.CLOSED
    )


@service
def receipt_signature_attach(*, actor, receipt: Receipt, image) -> Receipt:
    """Keep the photo of a household's signature on its receipt (a real image only)."""
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    status = Distribution.objects.values_list("status", flat=True).get(pk=receipt.distribution_id)
    if status == Distribution.Status.CLOSED:
        raise ValidationError(_("A closed distribution cannot change."))
    try:
        # The same check as every photo: real JPEG, PNG or WebP, within the size and pixel limits.
        images.check_upload(image)
    except ValidationError as error:
        raise ValidationError({"signature": error.messages}) from error
    image.seek(0)
    receipt.signature = image
    receipt.full_clean()
    receipt.save(update_fields=["signature", "updated_at"])
    return receipt


@service
def verification_round_start(
    *, actor, distribution: Distribution, sample_percent: int, note: str = ""
) -> VerificationRound:
    """Draw a random share of a closed distribution's confirmed receipts to re-check at the door.

    At least one receipt is drawn; ``SystemRandom`` draws it, so that nobody can foresee (or
    steer) which households will be visited.
    """
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
        started_by=_actor_or_none(actor),
        sample_percent=sample_percent,
        note=note,
    )
    verification_round.full_clean()
    verification_round.save()
    bulk_create_with_history(
        [Verification(round=verification_round, receipt_id=pk) for pk in drawn],
        Verification,
        batch_size=_BATCH,
        default_user=_actor_or_none(actor),
    )
    return verification_round


@service
def verification_record(
    *, actor, verification: Verification, outcome: str, note: str = ""
) -> Verification:
    """Record what a visit found: received, not received, or received with a problem."""
    verification = Verification.objects.select_for_update().get(pk=verification.pk)
    if outcome not in Verification.Outcome.values or outcome == Verification.Outcome.PENDING:
        raise ValidationError({"outcome": _("Say what the visit found.")})
    note = (note or "").strip()
    if outcome in (Verification.Outcome.PROBLEM, Verification.Outcome.NOT_RECEIVED) and not note:
        raise ValidationError({"note": _("Describe what the household told you.")})
    verification.outcome = outcome
    verification.note = note
    verification.verified_by = _actor_or_none(actor)
    verification.verified_at = timezone.now()
    verification.full_clean()
    verification.save(update_fields=["outcome", "note", "verified_by", "verified_at", "updated_at"])
    return verification
