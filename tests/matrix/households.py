"""Permission-matrix entries of the household pages (tests/test_permission_matrix.py runs them).

Reading pages serve office staff, cadres and auditors; writing pages refuse auditors and donors.
An object outside the user's communes answers 404, like a missing one (auditors and
administrators see every commune).
"""

from tests import factories as f


def _household(where: str):
    def build(world) -> dict:
        return {"pk": f.HouseholdFactory(village__commune=world[where].commune).pk}

    return build


def _member(where: str):
    def build(world) -> dict:
        household = f.HouseholdFactory(village__commune=world[where].commune)
        return {"pk": f.MemberFactory(household=household).pk}

    return build


def _concern(where: str):
    def build(world) -> dict:
        household = f.HouseholdFactory(village__commune=world[where].commune)
        return {"pk": f.ConcernFactory(household=household).pk}

    return build


ANON_OUT = {"anonymous": 302, "donor": 403, "expired": 403}
# Office staff, cadres and auditors read; auditors see every commune.
READ_INSIDE = {**ANON_OUT, "*": 200}
READ_OUTSIDE = {**ANON_OUT, "staff": 404, "cadre": 404, "*": 200}
# Office staff only (and administrators).
STAFF_INSIDE = {"anonymous": 302, "staff": 200, "admin": 200, "*": 403}
STAFF_OUTSIDE = {"anonymous": 302, "staff": 404, "admin": 200, "*": 403}
# Office staff and cadres (reviews, concerns), never auditors.
FIELD_INSIDE = {"anonymous": 302, "staff": 200, "cadre": 200, "admin": 200, "*": 403}
FIELD_OUTSIDE = {"anonymous": 302, "staff": 404, "cadre": 404, "admin": 200, "*": 403}


def _pair(method: str, build, inside: dict, outside: dict) -> list:
    return [(method, build("inside"), inside), (method, build("outside"), outside)]


PAGES = {
    "households:household-list": ("get", {}, READ_INSIDE),
    "households:household-create": [
        ("get", {}, STAFF_INSIDE),
        # An empty form is shown again, nothing saved.
        ("post", {}, STAFF_INSIDE),
    ],
    "households:household-detail": _pair("get", _household, READ_INSIDE, READ_OUTSIDE),
    "households:household-print": _pair("get", _household, READ_INSIDE, READ_OUTSIDE),
    "households:household-update": [
        *_pair("get", _household, STAFF_INSIDE, STAFF_OUTSIDE),
        ("post", _household("inside"), STAFF_INSIDE),
    ],
    "households:household-archive": [
        *_pair(
            "post",
            _household,
            {**STAFF_INSIDE, "staff": 302, "admin": 302},
            {**STAFF_OUTSIDE, "admin": 302},
        ),
        # Archiving is a POST; a GET changes nothing.
        ("get", _household("inside"), {**STAFF_INSIDE, "staff": 405, "admin": 405}),
    ],
    "households:household-flag": [
        *_pair("get", _household, FIELD_INSIDE, FIELD_OUTSIDE),
        ("post", _household("inside"), FIELD_INSIDE),
    ],
    "households:member-create": [
        *_pair("get", _household, STAFF_INSIDE, STAFF_OUTSIDE),
        ("post", _household("inside"), STAFF_INSIDE),
    ],
    "households:member-update": [
        # Cadres and auditors read the member's page; only office staff change it.
        *_pair("get", _member, READ_INSIDE, READ_OUTSIDE),
        ("post", _member("inside"), STAFF_INSIDE),
        ("post", _member("outside"), {**STAFF_OUTSIDE, "cadre": 404, "auditor": 403}),
    ],
    "households:review-queue": ("get", {}, FIELD_INSIDE),
    "households:review-create": [
        *_pair("get", _household, FIELD_INSIDE, FIELD_OUTSIDE),
        ("post", _household("inside"), FIELD_INSIDE),
    ],
    "households:concern-create": [
        *_pair("get", _household, FIELD_INSIDE, FIELD_OUTSIDE),
        ("post", _household("inside"), FIELD_INSIDE),
    ],
    "households:concern-update": [
        *_pair("get", _concern, FIELD_INSIDE, FIELD_OUTSIDE),
        ("post", _concern("inside"), FIELD_INSIDE),
    ],
}
