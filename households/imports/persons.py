"""Group a file of one row per person into households: the head's row, then its members' rows.

A row whose relation to the head is "Chủ hộ" starts a household, and so does a row with a
household code or a head's name other than the household's before it; the rows that follow
are its members (``Row.members``). A member's row before any head is an error on that row. The
same person twice in one household (folded name and year of birth) is an error on the second
row. The household's row carries the head's fields under the template's keys (``head_sex``…),
so that the checking reads both kinds of file alike.
"""

from django.utils.translation import gettext as _

from core.text import fold
from households.imports.columns import PERSON_KEYS, Person, Row
from households.imports.parsing import relation_of

# The household's own fields, read from the row that starts it.
_HOUSEHOLD_FIELDS = (
    "code",
    "village",
    "commune",
    "head_name",
    "address",
    "phone",
    "housing_condition",
    "notes",
    "head_sex",
    "head_birth",
    "head_ethnicity",
    "head_national_id",
    "head_disability",
)
# A person's columns → the head's column (on the head's row) and the member's field.
_PERSON_FIELDS = (
    ("member_sex", "head_sex", "sex"),
    ("member_birth", "head_birth", "birth_year"),
    ("member_ethnicity", "head_ethnicity", "ethnicity"),
    ("member_national_id", "head_national_id", "national_id"),
)


def _starts_household(row: Row, relation: str, current: Row | None) -> bool:
    if relation == "head":
        return True
    values = row.values
    if current is None:
        return "code" in values or "head_name" in values
    code = values.get("code")
    if code and code != current.values.get("code"):
        return True
    head = values.get("head_name")
    return bool(head) and fold(head) != fold(current.values.get("head_name"))


def _household_row(row: Row, relation: str) -> Row:
    """Return the household started by ``row``, with the head's fields when the row is the
    head's (its relation says so, or it says none)."""
    values = {key: row.values[key] for key in _HOUSEHOLD_FIELDS if key in row.values}
    errors = dict(row.errors)
    household = Row(number=row.number, values=values, errors=errors)
    if relation not in ("head", ""):
        return household
    name = row.values.get("member_name")
    if name and "head_name" not in values:
        values["head_name"] = name
    for person_key, head_key, _field in _PERSON_FIELDS:
        if person_key in row.values:
            values.setdefault(head_key, row.values[person_key])
        if person_key in errors:
            errors.setdefault(head_key, errors.pop(person_key))
    if "head_name" not in values and "head_name" not in errors:
        errors["head_name"] = _("The head of household has no name.")
    return household


def _person(row: Row, relation: str, sex: str) -> Person:
    values = {"relation": relation}
    if row.values.get("member_name"):
        values["full_name"] = row.values["member_name"]
    for person_key, _head_key, field in _PERSON_FIELDS:
        if person_key in row.values:
            values[field] = row.values[person_key]
    if sex:
        values.setdefault("sex", sex)
    errors = {key: message for key, message in row.errors.items() if key in PERSON_KEYS}
    if "full_name" not in values and "member_name" not in errors:
        errors["member_name"] = _("This person has no name.")
    return Person(number=row.number, values=values, errors=errors)


def group_persons(rows: list[Row]) -> list[Row]:
    """Return the households of a file of one row per person, each with its members; a member
    row before any head stays a row of its own, in error."""
    households: list[Row] = []
    current: Row | None = None
    for row in rows:
        text = row.values.get("relation", "")
        relation, sex = relation_of(text) if text else ("", "")
        if _starts_household(row, relation, current):
            current = _household_row(row, relation)
            if not relation and "head_name" in row.values and row.values.get("member_name"):
                if fold(row.values["member_name"]) != fold(row.values["head_name"]):
                    current.members.append(_person(row, "other", ""))
            elif relation and relation != "head":
                current.members.append(_person(row, relation, sex))
            if "village" not in current.values and "village" not in current.errors:
                current.errors["village"] = _("This column is required.")
            households.append(current)
            continue
        if current is None:
            households.append(
                Row(
                    number=row.number,
                    values={"head_name": row.values.get("member_name", "")},
                    errors={"relation": _("This member comes before any head of household.")},
                )
            )
            continue
        if not relation:
            current.members.append(
                Person(
                    number=row.number,
                    values={},
                    errors={"relation": _("Write the relation to the head (Chủ hộ, Vợ, Con…).")},
                )
            )
            continue
        current.members.append(_person(row, relation, sex))
    for household in households:
        _mark_duplicates(household)
    return households


def _mark_duplicates(household: Row) -> None:
    """Put an error on the second row of the same person (folded name and year of birth) in
    one household, the head included."""
    seen: dict[tuple, int] = {}
    if household.values.get("head_name"):
        key = (fold(household.values["head_name"]), household.values.get("head_birth"))
        seen[key] = household.number
    for person in household.members:
        if "full_name" not in person.values:
            continue
        key = (fold(person.values["full_name"]), person.values.get("birth_year"))
        if key in seen:
            person.errors.setdefault(
                "member_name",
                _("This person is listed twice in the household (rows %(first)s and %(second)s).")
                % {"first": seen[key], "second": person.number},
            )
        else:
            seen[key] = person.number
