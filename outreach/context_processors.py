"""What every page needs to know about the user: which roles they hold today (for navigation)."""

from outreach.scope import Role, roles_of


def roles(request) -> dict:
    """Give templates ``user_roles`` (role values in force) and shortcuts for the menu."""
    held = roles_of(getattr(request, "user", None)) if hasattr(request, "user") else set()
    admin = Role.ADMINISTRATOR in held
    return {
        "user_roles": held,
        "is_office_staff": admin or Role.OFFICE_STAFF in held,
        "is_cadre": admin or Role.COMMUNE_CADRE in held,
        "is_donor": Role.DONOR in held,
        "is_auditor": admin or Role.AUDITOR in held,
        # Office staff, cadres, auditors and administrators work with households' records.
        "sees_records": admin or bool(held & {Role.OFFICE_STAFF, Role.COMMUNE_CADRE, Role.AUDITOR}),
    }
