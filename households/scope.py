"""How household rows are scoped (see outreach.scope): by the household's commune."""

from households.models import Concern, Household, HouseholdImport, Member, Review
from outreach.access import WORKERS, may
from outreach.scope import Role, register

register(Household, commune="commune")
register(Member, commune="household__commune")
register(Review, commune="household__commune")
register(Concern, commune="household__commune")
# Files are imported by office staff (the import pages serve them alone).
register(HouseholdImport, commune="commune", roles={Role.OFFICE_STAFF})


def sees_national_ids(user) -> bool:
    """Whole ID numbers are for staff and cadres of the household's commune (and administrators);
    everyone else, auditors included, sees the last three digits. The commune is checked by the
    scope of the page that shows the member."""
    return may(user, *WORKERS)
