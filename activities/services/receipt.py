"""Receipts: confirmed one by one or by ticking the signed sheet, marked not delivered with a
reason, signed for with a photo; closing a distribution marks and closes in one step.

Receipts are confirmed in bulk under row locks (receipts first, in id order, then the
distribution), so that two people ticking the same sheet at once never count a receipt twice.
"""

import dataclasses
import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from activities.models import (
    CONFIRMABLE,
    Distribution,
    Receipt,
)
from activities.services.common import BATCH, lock_open
from activities.services.distribution import distribution_transition
from core import images
from core.services import actor_or_none, service
from outreach.scope import require_in_scope

__all__ = [
    "ConfirmResult",
    "distribution_close",
    "receipt_confirm",
    "receipt_signature_attach",
    "receipts_confirm",
    "receipts_mark_not_delivered",
]


@dataclasses.dataclass(frozen=True)
class ConfirmResult:
    """What ``receipts_confirm`` did: receipts it confirmed, and those confirmed before."""

    confirmed: int
    already: int


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
    require_in_scope(actor, distribution)
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
        receipt.confirmed_by = actor_or_none(actor)
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
        batch_size=BATCH,
        default_user=actor_or_none(actor),
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
    require_in_scope(actor, distribution)
    if not reasons:
        raise ValidationError(_("Choose at least one receipt and say why it was not delivered."))
    ids = sorted(int(pk) for pk in reasons)
    receipts = list(
        Receipt.objects.select_for_update()
        .filter(distribution_id=distribution.pk, pk__in=ids)
        .select_related("household")
        .order_by("pk")
    )
    distribution = lock_open(distribution)
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
        receipt.not_delivered_by = actor_or_none(actor)
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
        batch_size=BATCH,
        default_user=actor_or_none(actor),
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
    """Keep the photo of a household's signature on its receipt (a real image only).

    The photo is cleaned before it is saved (``core.images.upload_clean``): upright, without its
    EXIF (GPS included), under a random name, so the raw upload never reaches the storage.
    """
    require_in_scope(actor, receipt)
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    status = Distribution.objects.values_list("status", flat=True).get(pk=receipt.distribution_id)
    if status == Distribution.Status.CLOSED:
        raise ValidationError(_("A closed distribution cannot change."))
    try:
        # The same check as every photo: real JPEG, PNG or WebP, within the size and pixel limits.
        clean = images.upload_clean(image)
    except ValidationError as error:
        raise ValidationError({"signature": error.messages}) from error
    receipt.signature = clean
    receipt.full_clean()
    receipt.save(update_fields=["signature", "updated_at"])
    return receipt
