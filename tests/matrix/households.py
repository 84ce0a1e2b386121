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
    "households:household-difficulty": [
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
    "households:adhoc-create": [
        *_pair("get", _household, FIELD_INSIDE, FIELD_OUTSIDE),
        # An empty form is shown again, nothing saved.
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

# The review campaign's pages (households.views_campaign).


def _campaign(where: str):
    def build(world) -> dict:
        from tests.households.campaign import helpers as h

        return {"pk": h.campaign(world[where].commune).pk}

    return build


def _decided(where: str, what: str):
    """A decided campaign's meeting or review (for the minutes and the certificate)."""

    def build(world) -> dict:
        from households.models import Review
        from households.services import decision_record, meeting_record, posting_record
        from tests.households.campaign import helpers as h

        campaign = h.campaign(world[where].commune)
        entry = h.surveyed(h.entry(campaign))
        meeting = meeting_record(
            actor=None,
            campaign=campaign,
            village=entry.village,
            held_on=h.MET,
            chair="Hoàng Văn Sáu",
            present=9,
            votes={entry.pk: 9},
        )
        posting_record(
            actor=None, campaign=campaign, posted_from=h.POSTED_FROM, posted_until=h.POSTED_UNTIL
        )
        decision_record(
            actor=None, campaign=campaign, number="1/QĐ", signed_on=h.SIGNED, signer="Nông Văn Bảy"
        )
        if what == "meeting":
            return {"pk": meeting.pk}
        return {"pk": Review.objects.get(entry=entry).pk}

    return build


def _complaint(where: str):
    def build(world) -> dict:
        from households.models import Complaint
        from tests.households.campaign import helpers as h

        campaign = h.campaign(world[where].commune)
        complaint = Complaint.objects.create(
            campaign=campaign, received_on=h.POSTED_FROM, complainant="Lý Văn Tư", text="x"
        )
        return {"pk": complaint.pk}

    return build


PAGES.update(
    {
        "households:campaign-list": ("get", {}, READ_INSIDE),
        "households:campaign-create": [
            ("get", {}, FIELD_INSIDE),
            ("post", {}, FIELD_INSIDE),
        ],
        "households:campaign-detail": _pair("get", _campaign, READ_INSIDE, READ_OUTSIDE),
        "households:meeting-minutes": _pair(
            "get",
            lambda where: _decided(where, "meeting"),
            READ_INSIDE,
            READ_OUTSIDE,
        ),
        "households:certificate": _pair(
            "get",
            lambda where: _decided(where, "review"),
            READ_INSIDE,
            READ_OUTSIDE,
        ),
        "households:complaint-settle": [
            *_pair("get", _complaint, FIELD_INSIDE, FIELD_OUTSIDE),
            ("post", _complaint("inside"), FIELD_INSIDE),
        ],
        **{
            f"households:{name}": [
                *_pair("get", _campaign, FIELD_INSIDE, FIELD_OUTSIDE),
                ("post", _campaign("inside"), FIELD_INSIDE),
            ]
            for name in (
                "campaign-entry-add",
                "meeting-create",
                "posting-create",
                "complaint-create",
                "decision-create",
            )
        },
    }
)

# The survey at the door (households.views_survey): staff and cadres of the commune edit,
# auditors read.


def _survey_entry(where: str):
    def build(world) -> dict:
        from households.services import survey_start

        entry = f.CampaignHouseholdFactory(campaign__commune=world[where].commune)
        f.MemberFactory(household=entry.household)
        survey_start(actor=None, entry=entry)
        return {"pk": entry.pk}

    return build


def _survey_section(where: str):
    def build(world) -> dict:
        return {**_survey_entry(where)(world), "section": "housing"}

    return build


PAGES.update(
    {
        "households:survey": [
            *_pair("get", _survey_entry, READ_INSIDE, READ_OUTSIDE),
            # A survey already started: the POST changes nothing and comes back to the page.
            (
                "post",
                _survey_entry("inside"),
                {**FIELD_INSIDE, "staff": 302, "cadre": 302, "admin": 302},
            ),
        ],
        "households:survey-section": [
            *_pair("get", _survey_section, FIELD_INSIDE, FIELD_OUTSIDE),
            # An empty form is shown again, nothing saved.
            ("post", _survey_section("inside"), FIELD_INSIDE),
        ],
    }
)
