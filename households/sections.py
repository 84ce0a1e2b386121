"""The household's own parts of its case file: members, reviews and concerns.

Registered in ``households.case_file`` when the app is ready (``HouseholdsConfig.ready``), like the
sections higher apps add; the registry itself imports nothing of this app, so the filters and
selectors that read it form no cycle with these sections.
"""

from households import selectors
from households.case_file import register_section
from households.models import Concern


def _members(*, household, user) -> dict:
    return {"members": selectors.household_members(user=user, household=household)}


def _reviews(*, household, user) -> dict:
    return {"reviews": selectors.household_reviews(user=user, household=household)}


def _concerns(*, household, user) -> dict:
    concerns = selectors.household_concerns(user=user, household=household)
    return {
        "concerns": concerns,
        "open": [c for c in concerns if c.status != Concern.Status.RESOLVED],
    }


register_section(
    "members",
    order=10,
    template="households/sections/members.html",
    context=_members,
    print_template="households/sections/members_print.html",
)
register_section(
    "reviews",
    order=20,
    template="households/sections/reviews.html",
    context=_reviews,
    print_template="households/sections/reviews_print.html",
)
register_section(
    "concerns",
    order=30,
    template="households/sections/concerns.html",
    context=_concerns,
    print_template="households/sections/concerns_print.html",
)
