"""The folded text a household is found by: its code, its head's and its members' names.

Its own module so that the signals (which keep the column in sync row by row) and the import
(which computes it for rows written in bulk) both use it without importing the services.
"""

from core.text import fold
from households.models import Household


def household_search_text(household: Household, member_names: list[str] | None = None) -> str:
    """Build the folded text that search matches: code, head and member names."""
    if member_names is None:
        member_names = (
            list(household.members.values_list("full_name", flat=True)) if household.pk else []
        )
    return fold(" ".join([household.code, household.head_name, *member_names]))
