"""The records one checked row writes: its household, its head and its listed members, each
changed only where the row gives another value and validated on the fields the row writes, with
a model's error put on the column the user typed (``checking`` decides each row's outcome)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.services import set_changed
from core.text import fold
from households.imports.columns import HEAD_KEYS, Row
from households.models import Household, Member

# The head's columns → the member's fields they set (besides the name, from the household's).
_HEAD_COLUMNS = (
    ("head_sex", "sex"),
    ("head_birth", "birth_year"),
    ("head_ethnicity", "ethnicity"),
    ("head_national_id", "national_id"),
    ("head_disability", "has_disability"),
)
# The member fields an import writes for a head (a bulk update writes these alone).
HEAD_FIELDS = ("full_name", *(field for _key, field in _HEAD_COLUMNS))
# Model field → column, to put a model's validation error on the column the user typed.
_FIELD_COLUMN = {
    "code": "code",
    "village": "village",
    "head_name": "head_name",
    "address": "address",
    "phone": "phone",
    "housing_condition": "housing_condition",
    "notes": "notes",
    "full_name": "head_name",
    "sex": "head_sex",
    "birth_year": "head_birth",
    "ethnicity": "head_ethnicity",
    "national_id": "head_national_id",
    "has_disability": "head_disability",
    "disability_note": "head_disability",
}


def model_errors(row: Row, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        key = _FIELD_COLUMN.get(field, "code")
        row.errors.setdefault(key, " ".join(messages))


# A member's fields an import writes (a bulk update writes these alone).
MEMBER_FIELDS = ("relation", "sex", "birth_year", "ethnicity", "national_id")


def members_record(
    household: Household, existing: list[Member], row: Row, taken: dict[str, int]
) -> tuple[list[Member], list[Member]]:
    """Return the members a row's people add to the household and those whose details change:
    a person is the member of the same folded name, else a new one (nothing is erased)."""
    by_name = {fold(m.full_name): m for m in existing if m.relation != Member.Relation.HEAD}
    new, changed = [], []
    for person in row.members:
        if person.errors:
            continue
        given = {field: person.values[field] for field in MEMBER_FIELDS if field in person.values}
        member = by_name.get(fold(person.values["full_name"]))
        national_id = given.get("national_id")
        if national_id in taken and (member is None or taken[national_id] != member.pk):
            person.errors["member_national_id"] = _(
                "Another person already has this national ID number."
            )
            continue
        if member is None:
            missing = [key for key in ("sex", "birth_year") if key not in given]
            if missing:
                key = "member_sex" if "sex" in missing else "member_birth"
                person.errors[key] = _("Needed to record the person as a member.")
                continue
            member = Member(household=household, full_name=person.values["full_name"], **given)
            new.append(member)
        elif set_changed(member, given):
            changed.append(member)
        else:
            continue
        _clean_person(member, person)
    return new, changed


def _clean_person(member: Member, person) -> None:
    try:
        member.full_clean(exclude=["household"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            key = {"sex": "member_sex", "birth_year": "member_birth"}.get(field, "member_name")
            key = {"ethnicity": "member_ethnicity", "national_id": "member_national_id"}.get(
                field, key
            )
            person.errors.setdefault(key, " ".join(messages))


def member_names_after(names, head, head_is_new, old_head_name) -> list[str]:
    """Return the names of the household's members once the row is applied (for its search
    text): those it has, with the head added or renamed."""
    member_names = list(names)
    if head_is_new:
        member_names.append(head.full_name)
    elif head is not None and old_head_name != head.full_name:
        member_names = [head.full_name if n == old_head_name else n for n in member_names]
    return member_names


def household_record(current, commune, village, values) -> tuple[Household, list[str]]:
    given = {
        "village": village,
        "head_name": " ".join(values["head_name"].split()),
        **{
            key: values[key]
            for key in ("address", "phone", "housing_condition", "notes")
            if key in values
        },
    }
    if current is None:
        # A household without a code gets one in the commune's pattern when it is written
        # (households.imports.codes).
        code = values.get("code", "").strip()
        household = Household(commune_id=commune.pk, code=code, **given)
        return household, []
    if current.village_id == village.pk:
        current.village = village  # the cached one: no query when the model checks its commune
    return current, set_changed(current, given)


def head_record(household, head, values, row) -> tuple[Member | None, bool, list[str]]:
    """Return the head as a member (new, changed or as it is) and the columns that changed."""
    given = {
        "full_name": household.head_name,
        **{field: values[key] for key, field in _HEAD_COLUMNS if key in values},
    }
    if head is None:
        if not any(key in values for key in HEAD_KEYS):
            return None, False, []
        for key in ("head_sex", "head_birth"):
            if key not in values:
                row.errors.setdefault(key, _("Needed to record the head of household as a member."))
        if row.errors:
            return None, False, []
        head = Member(household=household, relation=Member.Relation.HEAD, **given)
        _clean_member(head, row)
        return head, True, []
    changes = [_FIELD_COLUMN[field] for field in set_changed(head, given)]
    if changes:
        _clean_member(head, row)
    return head, False, [key for key in changes if key != "head_name"]


# The household fields an import writes (besides the commune and the village, found among the
# commune's): the only ones its check validates.
_HOUSEHOLD_WRITTEN = ("code", "head_name", "address", "phone", "housing_condition", "notes")
_HOUSEHOLD_NOT_WRITTEN = [
    field.name for field in Household._meta.fields if field.name not in _HOUSEHOLD_WRITTEN
]


def clean_household(household: Household, row: Row) -> None:
    """Validate the fields the row writes, and the household's own rule (``clean``).

    Not ``full_clean``: it validates every field, and for a household already in the database
    that is a query per row (``created_by``, a foreign key, is looked up to check it exists)
    and most of the check's time, for values the import neither gives nor writes.
    """
    exclude = [*_HOUSEHOLD_NOT_WRITTEN, *([] if household.code else ["code"])]
    errors: dict = {}
    try:
        household.clean_fields(exclude=exclude)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        household.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        model_errors(row, ValidationError(errors))


def _clean_member(member: Member, row: Row) -> None:
    try:
        member.full_clean(exclude=["household"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        model_errors(row, error)
