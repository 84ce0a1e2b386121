"""What every page needs to know about the user: which roles they hold today (for navigation)."""

from outreach.access import RECORD_READERS, may
from outreach.scope import Role, roles_of


def roles(request) -> dict:
    """Give templates ``user_roles`` (role values in force) and, computed with ``may`` like the
    views' ``@serves``, shortcuts for the menu."""
    user = getattr(request, "user", None)
    return {
        "user_roles": roles_of(user),
        "is_office_staff": may(user, Role.OFFICE_STAFF),
        "is_cadre": may(user, Role.COMMUNE_CADRE),
        # Donors only: an administrator does not see the donor's menu.
        "is_donor": Role.DONOR in roles_of(user),
        "is_auditor": may(user, Role.AUDITOR),
        # Office staff, cadres, auditors and administrators work with households' records.
        "sees_records": may(user, *RECORD_READERS),
    }
