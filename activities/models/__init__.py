"""What the partnership did and delivered, and the money trail that paid for it, one module per
area: activities, distributions (with receipts and verification), assets, money."""

from activities.models.activity import Activity, Participation, Photo
from activities.models.asset import Asset, MaintenanceLog
from activities.models.distribution import (
    CHOOSING,
    CONFIRMABLE,
    Distribution,
    Receipt,
    Verification,
    VerificationRound,
)
from activities.models.money import Allocation, Grant, GrantPayment, allocation_net

__all__ = [
    "CHOOSING",
    "CONFIRMABLE",
    "Activity",
    "Allocation",
    "Asset",
    "Distribution",
    "Grant",
    "GrantPayment",
    "MaintenanceLog",
    "Participation",
    "Photo",
    "Receipt",
    "Verification",
    "VerificationRound",
    "allocation_net",
]
