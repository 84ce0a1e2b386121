"""The roles of DESIGN.md, as Django group names, with their translated labels.

Group names are data (stable, English); users see the label in their language.
"""

from django.utils.translation import gettext_lazy as _

OFFICE_STAFF = "Office staff"
COMMUNE_CADRE = "Commune cadre"
DONOR = "Donor"
AUDITOR = "Auditor"
ADMINISTRATOR = "Administrator"

LABELS = {
    OFFICE_STAFF: _("Office staff"),
    COMMUNE_CADRE: _("Commune cadre"),
    DONOR: _("Donor"),
    AUDITOR: _("Auditor"),
    ADMINISTRATOR: _("Administrator"),
}


def label(group_name: str) -> str:
    """Return the translated label of a role, or the group's own name for other groups."""
    return str(LABELS.get(group_name, group_name))
