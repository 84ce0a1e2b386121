"""Writes to activities, distributions, receipts, assets, grants, and the allocations that fund
them, one module per area; this package offers them all (``from activities.services import …``).

money: allocations, donations, grants and their payments. activity: activities, participants,
photos. asset: assets and their logs. distribution: distributions, funding, recipients, the
workflow. receipt: confirmation, not delivered, signatures, closing. verification: rounds at the
door. common: what several of them share.
"""

from activities.services.activity import (
    activity_photos_add,
    activity_record,
    activity_save,
    participants_save,
    photo_process,
    photo_remove,
    photo_update,
)
from activities.services.asset import (
    asset_register,
    maintenance_record,
)
from activities.services.distribution import (
    RecipientsResult,
    distribution_allocate,
    distribution_allocation_remove,
    distribution_recipients_add,
    distribution_save,
    distribution_transition,
    receipt_add,
    receipt_remove,
)
from activities.services.money import (
    allocation_remove,
    allocation_update,
    donation_allocate,
    donation_allocated_vnd,
    donation_record,
    donation_update,
    grant_payment_record,
    grant_save,
    require_funded,
)
from activities.services.receipt import (
    ConfirmResult,
    distribution_close,
    receipt_confirm,
    receipt_signature_attach,
    receipts_confirm,
    receipts_mark_not_delivered,
)
from activities.services.verification import (
    verification_record,
    verification_round_start,
)

__all__ = [
    "ConfirmResult",
    "RecipientsResult",
    "activity_photos_add",
    "activity_record",
    "activity_save",
    "allocation_remove",
    "allocation_update",
    "asset_register",
    "distribution_allocate",
    "distribution_allocation_remove",
    "distribution_close",
    "distribution_recipients_add",
    "distribution_save",
    "distribution_transition",
    "donation_allocate",
    "donation_allocated_vnd",
    "donation_record",
    "donation_update",
    "grant_payment_record",
    "grant_save",
    "maintenance_record",
    "participants_save",
    "photo_process",
    "photo_remove",
    "photo_update",
    "receipt_add",
    "receipt_confirm",
    "receipt_remove",
    "receipt_signature_attach",
    "receipts_confirm",
    "receipts_mark_not_delivered",
    "require_funded",
    "verification_record",
    "verification_round_start",
]
