"""Permission-matrix entries of the report downloads and the donor's photos.

The pages these extend (donor report, dashboard, annual report, shared link) are declared in
tests/test_permission_matrix.py. A donor's photo opens only for a user whose readable money paid
for its activity: the world's donor (their partner funded it), office staff of the partnership,
auditors and administrators; anyone else, or a photo nobody's money paid for, is 404.
"""

import datetime

from activities.services import donation_allocate, photo_process
from outreach.models import RoleAssignment
from tests import factories as f

FIGURES = {"anonymous": 302, "cadre": 403, "donor": 403, "expired": 403, "*": 200}


def _funded_photo(where):
    def build(world):
        partner = RoleAssignment.objects.get(user=world["users"]["donor"]).partner
        partnership = world[where]
        activity = f.ActivityFactory(partnership=partnership)
        distribution = f.DistributionFactory(partnership=partnership, activity=activity)
        donation = f.DonationFactory(partnership=partnership, partner=partner, value_vnd=1_000_000)
        donation_allocate(
            actor=None, donation=donation, amount_vnd=1_000_000, distribution=distribution
        )
        photo = f.PhotoFactory(
            activity=activity, consent_to_publish=True, taken_on=datetime.date(2024, 1, 30)
        )
        photo_process(actor=None, photo=photo)
        return {"pk": photo.pk, "size": "thumbnail"}

    return build


def _unfunded_photo(world):
    photo = f.PhotoFactory(activity__partnership=world["inside"], consent_to_publish=True)
    photo_process(actor=None, photo=photo)
    return {"pk": photo.pk, "size": "thumbnail"}


PAGES = {
    "reports:donor-report-download": (
        "get",
        {"fmt": "pdf"},
        # The world's donor has no donations yet; staff and auditors see none either.
        {"anonymous": 302, "cadre": 403, "expired": 403, "*": 404},
    ),
    "reports:donor-photo": [
        (
            "get",
            _funded_photo("inside"),
            {"anonymous": 302, "cadre": 403, "expired": 403, "*": 200},
        ),
        # The donor's money, in another partnership: the donor and auditors see it, not staff.
        (
            "get",
            _funded_photo("outside"),
            {"anonymous": 302, "cadre": 403, "expired": 403, "staff": 404, "*": 200},
        ),
        (
            "get",
            _unfunded_photo,
            {"anonymous": 302, "cadre": 403, "expired": 403, "*": 404},
        ),
    ],
    "reports:dashboard-download": ("get", {"fmt": "xlsx"}, FIGURES),
    "reports:annual-report-xlsx": ("get", {"year": 2024}, FIGURES),
    "reports:shared-donor-report-download": (
        "get",
        {"token": "made-up", "fmt": "pdf"},
        {"*": 404},
    ),
    "reports:shared-donor-photo": (
        "get",
        {"token": "made-up", "pk": 1, "size": "thumbnail"},
        {"*": 404},
    ),
}
