"""How household rows are scoped (see outreach.scope): by the household's commune."""

from households.models import Concern, Household, Member, Review
from outreach.scope import Role, register, roles_of

register(Household, commune="commune")
register(Member, commune="household__commune")
register(Review, commune="household__commune")
register(Concern, commune="household__commune")


def sees_national_ids(user) -> bool:
    """Whole ID numbers are for staff and cadres of the household's commune (and administrators);
    everyone else, auditors included, sees the last three digits. The commune is checked by the
    scope of the page that shows the member."""
    return bool(roles_of(user) & {Role.OFFICE_STAFF, Role.COMMUNE_CADRE, Role.ADMINISTRATOR})
