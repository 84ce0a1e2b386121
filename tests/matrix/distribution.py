"""Permission-matrix entries of the distribution pages (tests/test_permission_matrix.py runs them).

Reading pages serve office staff, cadres and auditors; confirming receipts and recording visits
serve staff and cadres; every other write serves office staff only. An object outside the user's
communes answers 404, like a missing one (auditors and administrators see every commune).
Write requests are chosen so that every role meets the same state: a refused transition or an
invalid form, which leaves the object as it was for the next role.
"""

from django.utils import timezone

from activities.models import Distribution
from tests import factories as f

CLOSED = Distribution.Status.CLOSED

_BASE = {"anonymous": 302, "donor": 403, "expired": 403}
READERS = {**_BASE, "*": 200}
STAFF_ONLY = {**_BASE, "cadre": 403, "auditor": 403, "staff": 200, "admin": 200}
STAFF_AND_CADRES = {**_BASE, "auditor": 403, "*": 200}


def _outside(statuses: dict, *, admin=None, auditor=None) -> dict:
    """The same page on an object of the other partnership: 404 to staff and cadres."""
    outside = {**statuses}
    for role in ("staff", "cadre"):
        if outside.get(role, outside.get("*")) != 403:
            outside[role] = 404
    if admin is not None:
        outside["admin"] = admin
    if auditor is not None:
        outside["auditor"] = auditor
    return outside


def _redirected(statuses: dict) -> dict:
    return {role: 302 if status == 200 else status for role, status in statuses.items()}


def _distribution(where: str, **fields):
    return lambda world: {"pk": f.DistributionFactory(partnership=world[where], **fields).pk}


def _receipt(where: str, **fields):
    def build(world) -> dict:
        receipt = f.ReceiptFactory(distribution__partnership=world[where], **fields)
        return {"code": receipt.short_code}

    return build


def _allocation(where: str):
    def build(world) -> dict:
        allocation = f.AllocationFactory(
            donation__partnership=world[where], distribution__status=CLOSED
        )
        return {"pk": allocation.distribution_id, "allocation_pk": allocation.pk}

    return build


def _round(where: str):
    def build(world) -> dict:
        return {
            "pk": f.VerificationRoundFactory(distribution__partnership=world[where]).pk,
        }

    return build


def _verification(where: str):
    def build(world) -> dict:
        verification = f.VerificationFactory(round__distribution__partnership=world[where])
        return {"pk": verification.pk}

    return build


PAGES = {
    "activities:distribution-list": ("get", {}, READERS),
    "activities:distribution-create": ("get", {}, STAFF_ONLY),
    "activities:distribution-detail": [
        ("get", _distribution("inside"), READERS),
        ("get", _distribution("outside"), _outside(READERS)),
    ],
    "activities:distribution-update": [
        ("get", _distribution("inside"), STAFF_ONLY),
        ("get", _distribution("outside"), _outside(STAFF_ONLY)),
    ],
    # An empty form: the page comes back with its errors.
    "activities:distribution-allocate": [
        ("post", _distribution("inside"), STAFF_ONLY),
        ("post", _distribution("outside"), _outside(STAFF_ONLY)),
    ],
    # The distribution is closed: the removal is refused, back to the distribution's page.
    "activities:distribution-allocation-remove": [
        ("post", _allocation("inside"), _redirected(STAFF_ONLY)),
        ("post", _allocation("outside"), _outside(_redirected(STAFF_ONLY))),
    ],
    "activities:distribution-recipients": [
        ("get", _distribution("inside"), STAFF_ONLY),
        ("get", _distribution("outside"), _outside(STAFF_ONLY)),
    ],
    "activities:distribution-recipient-add": [
        ("get", _distribution("inside"), STAFF_ONLY),
        ("get", _distribution("outside"), _outside(STAFF_ONLY)),
    ],
    # Approving an approved distribution is refused: both writers are sent back to its page.
    "activities:distribution-approve": [
        ("post", _distribution("inside", status="approved"), _redirected(STAFF_ONLY)),
        ("post", _distribution("outside", status="approved"), _outside(_redirected(STAFF_ONLY))),
    ],
    # The closing page lists what is left to resolve; a draft cannot be closed: the refusal is
    # shown on the page, the draft stays as it was.
    "activities:distribution-close": [
        ("get", _distribution("inside", status="approved"), STAFF_ONLY),
        ("get", _distribution("outside", status="approved"), _outside(STAFF_ONLY)),
        ("post", _distribution("inside"), STAFF_ONLY),
        ("post", _distribution("outside"), _outside(STAFF_ONLY)),
    ],
    "activities:distribution-sheet": [
        ("get", _distribution("inside"), READERS),
        ("get", _distribution("outside"), _outside(READERS)),
    ],
    "activities:distribution-confirm": [
        ("get", _distribution("inside"), STAFF_AND_CADRES),
        ("get", _distribution("outside"), _outside(STAFF_AND_CADRES)),
    ],
    "activities:receipt-detail": [
        ("get", _receipt("inside"), READERS),
        ("get", _receipt("outside"), _outside(READERS)),
        ("get", {"code": "NOSUCHCODE"}, {**_BASE, "*": 404}),
    ],
    # The receipt's distribution is a draft: confirming is refused, back to the receipt.
    "activities:receipt-confirm": [
        ("post", _receipt("inside"), _redirected(STAFF_AND_CADRES)),
        ("post", _receipt("outside"), _outside(_redirected(STAFF_AND_CADRES))),
    ],
    # No file: the receipt's page comes back with the form's error.
    "activities:receipt-signature": [
        ("post", _receipt("inside"), STAFF_AND_CADRES),
        ("post", _receipt("outside"), _outside(STAFF_AND_CADRES)),
    ],
    # A confirmed receipt cannot be removed: refused, back to the receipt.
    "activities:receipt-remove": [
        ("post", _receipt("inside", confirmed_at=timezone.now()), _redirected(STAFF_ONLY)),
        (
            "post",
            _receipt("outside", confirmed_at=timezone.now()),
            _outside(_redirected(STAFF_ONLY)),
        ),
    ],
    "activities:verification-round-create": [
        ("get", _distribution("inside", status=CLOSED), STAFF_ONLY),
        ("get", _distribution("outside", status=CLOSED), _outside(STAFF_ONLY)),
    ],
    "activities:verification-round-detail": [
        ("get", _round("inside"), READERS),
        ("get", _round("outside"), _outside(READERS)),
    ],
    "activities:verification-record": [
        ("get", _verification("inside"), STAFF_AND_CADRES),
        ("get", _verification("outside"), _outside(STAFF_AND_CADRES)),
    ],
}
