"""Permission-matrix entries of the money and asset pages (donations, grants, assets, villages).

Donations and allocations are the office's and the auditors' (cadres and donors: 403); grants,
assets and villages are read by cadres too; writing is for office staff (auditors: 403). Objects
of the other partnership answer 404 to staff and cadres, as if missing.
"""

from tests import factories as f

OUT = {"anonymous": 302, "donor": 403, "expired": 403}


def _statuses(**roles) -> dict:
    return {**OUT, "*": 403, **roles}


def _donation(where):
    return lambda world: {"pk": f.DonationFactory(partnership=world[where]).pk}


def _allocation(where):
    return lambda world: {"pk": f.AllocationFactory(donation__partnership=world[where]).pk}


def _grant(where):
    return lambda world: {"pk": f.GrantFactory(partnership=world[where]).pk}


def _asset(where):
    return lambda world: {"pk": f.AssetFactory(partnership=world[where]).pk}


def _asset_code(where):
    return lambda world: {"code": f.AssetFactory(partnership=world[where]).short_code}


def _village(where):
    return lambda world: {"pk": f.VillageFactory(commune=world[where].commune).pk}


# Readers of money: office staff and auditors; of grants and assets: cadres as well.
MONEY_INSIDE = _statuses(staff=200, auditor=200, admin=200)
MONEY_OUTSIDE = _statuses(staff=404, auditor=200, admin=200)
STAFF_INSIDE = _statuses(staff=200, admin=200)
STAFF_OUTSIDE = _statuses(staff=404, admin=200)
READ_INSIDE = _statuses(staff=200, cadre=200, auditor=200, admin=200)
READ_OUTSIDE = _statuses(staff=404, cadre=404, auditor=200, admin=200)

PAGES = {
    "activities:donation-list": ("get", {}, MONEY_INSIDE),
    "activities:donation-create": ("get", {}, STAFF_INSIDE),
    "activities:donation-detail": [
        ("get", _donation("inside"), MONEY_INSIDE),
        ("get", _donation("outside"), MONEY_OUTSIDE),
    ],
    "activities:donation-update": [
        ("get", _donation("inside"), STAFF_INSIDE),
        ("get", _donation("outside"), STAFF_OUTSIDE),
    ],
    # An empty form comes back with its errors (200); a GET goes to the donation's page.
    "activities:donation-allocate": [
        ("post", _donation("inside"), STAFF_INSIDE),
        ("post", _donation("outside"), STAFF_OUTSIDE),
        ("get", _donation("inside"), _statuses(staff=302, admin=302)),
    ],
    # GET asks for confirmation; the POST that removes is tested in money_views/test_allocations.
    "activities:allocation-remove": [
        ("get", _allocation("inside"), STAFF_INSIDE),
        ("get", _allocation("outside"), STAFF_OUTSIDE),
    ],
    "activities:grant-list": ("get", {}, READ_INSIDE),
    "activities:grant-create": ("get", {}, STAFF_INSIDE),
    "activities:grant-detail": [
        ("get", _grant("inside"), READ_INSIDE),
        ("get", _grant("outside"), READ_OUTSIDE),
    ],
    "activities:grant-update": [
        ("get", _grant("inside"), STAFF_INSIDE),
        ("get", _grant("outside"), STAFF_OUTSIDE),
    ],
    "activities:grant-allocate": [
        ("post", _grant("inside"), STAFF_INSIDE),
        ("post", _grant("outside"), STAFF_OUTSIDE),
    ],
    # An empty payment is refused on the grant's page: nothing recorded for the next role.
    "activities:grant-payment": [
        ("post", _grant("inside"), STAFF_INSIDE),
        ("post", _grant("outside"), STAFF_OUTSIDE),
    ],
    "activities:asset-list": ("get", {}, READ_INSIDE),
    "activities:asset-create": ("get", {}, STAFF_INSIDE),
    # Without ?village= there is nothing to print.
    "activities:asset-labels": ("get", {}, _statuses(staff=404, cadre=404, auditor=404, admin=404)),
    "activities:asset-detail": [
        ("get", _asset("inside"), READ_INSIDE),
        ("get", _asset("outside"), READ_OUTSIDE),
    ],
    # Staff and cadres add to the log (a cadre a check or a fault).
    "activities:asset-log": [
        ("get", _asset("inside"), _statuses(staff=200, cadre=200, admin=200)),
        ("get", _asset("outside"), _statuses(staff=404, cadre=404, admin=200)),
    ],
    "activities:asset-fault": [
        ("get", _asset("inside"), _statuses(staff=200, cadre=200, admin=200)),
        ("get", _asset("outside"), _statuses(staff=404, cadre=404, admin=200)),
    ],
    "activities:asset-label": [
        ("get", _asset("inside"), READ_INSIDE),
        ("get", _asset("outside"), READ_OUTSIDE),
    ],
    # Public: readers whose scope holds the asset go to its page, anyone else to the public fault
    # report page (tests/activities/test_asset_views.py checks where each one lands).
    "activities:asset-by-code": [
        ("get", _asset_code("inside"), {"*": 302}),
        ("get", _asset_code("outside"), {"*": 302}),
        ("get", {"code": "NOSUCH22"}, {"*": 302}),
    ],
    "activities:village-detail": [
        ("get", _village("inside"), READ_INSIDE),
        ("get", _village("outside"), READ_OUTSIDE),
    ],
}
