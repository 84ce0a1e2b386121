"""Check parsed rows against the database: each row's outcome (new, update, unchanged, error)
and the households and heads that applying it writes, with their search text. Nothing is saved
here: ``previewing`` reports the outcomes, ``applying`` writes them."""

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import set_changed
from core.text import fold
from households.imports.columns import BY_KEY, HEAD_KEYS, Outcome, ParsedFile, Row
from households.models import Household, Member
from households.search import household_search_text
from outreach.models import Commune, Village

# How many codes one query looks up: well under every database's parameter limit.
_LOOKUP_BATCH = 900
# How many rows of a file are checked per round of lookups (and between progress reports).
_CHECK_BATCH = 1000
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


@dataclasses.dataclass
class Checked:
    """A row's outcome against the database, and what applying it writes."""

    row: Row
    outcome: str
    changes: list[str] = dataclasses.field(default_factory=list)  # column keys that differ
    household: Household | None = None
    head: Member | None = None
    head_is_new: bool = False

    def report(self) -> dict:
        """Return the row as the preview shows it (plain data, JSON-ready)."""
        return {
            "row": self.row.number,
            "code": self.row.values.get("code", ""),
            "head_name": self.row.values.get("head_name", ""),
            "outcome": self.outcome,
            "changes": [BY_KEY[key].header for key in self.changes],
            "errors": [
                {"column": BY_KEY[key].header if key in BY_KEY else "", "message": message}
                for key, message in self.row.errors.items()
            ],
        }


def duplicated_codes(rows: Iterable[Row]) -> dict[str, list[int]]:
    """Return the household codes (and national IDs, as ``id:<number>``) that more than one row
    of the file carries, with those rows' numbers."""
    seen: dict[str, list[int]] = {}
    for row in rows:
        code = row.values.get("code")
        if code:
            seen.setdefault(code, []).append(row.number)
        national_id = row.values.get("head_national_id")
        if national_id:
            seen.setdefault(f"id:{national_id}", []).append(row.number)
    return {code: numbers for code, numbers in seen.items() if len(numbers) > 1}


class Villages:
    """The commune's villages by name (as written, or folded) and by official code."""

    def __init__(self, commune: Commune):
        today = timezone.localdate()
        villages = list(Village.objects.filter(commune=commune).select_related("commune"))
        # A village still existing is preferred to an older one of the same name.
        villages.sort(key=lambda v: (v.valid_until is not None and v.valid_until < today, v.pk))
        self.exact, self.folded = {}, {}
        folded_count = Counter(fold(v.name) for v in villages if not v.valid_until)
        for village in villages:
            self.exact.setdefault(village.name.casefold(), village)
            if village.code:
                self.exact.setdefault(village.code.casefold(), village)
            name = fold(village.name)
            if folded_count.get(name, 0) <= 1:
                self.folded.setdefault(name, village)
            else:
                self.folded[name] = None  # two villages differ only by their tone marks

    def find(self, name: str) -> Village:
        village = self.exact.get(name.casefold())
        if village is None:
            village = self.folded.get(fold(name), False)
            if village is None:
                raise ValidationError(
                    _("Two villages match “%(name)s”: write it with its tone marks.")
                    % {"name": name}
                )
            if village is False:
                raise ValidationError(_("The commune has no village “%(name)s”.") % {"name": name})
        return village


def _model_errors(row: Row, error: ValidationError) -> None:
    for field, messages in error.message_dict.items():
        key = _FIELD_COLUMN.get(field, "code")
        row.errors.setdefault(key, " ".join(messages))


def check_rows(
    rows: Sequence[Row],
    *,
    commune: Commune,
    villages: Villages,
    duplicates: dict[str, list[int]],
    lock: bool = False,
) -> list[Checked]:
    """Decide each row's outcome against the database; ``lock`` holds the existing households
    (and their heads) for the caller's transaction, which is about to change them."""
    codes = [row.values["code"] for row in rows if row.values.get("code")]
    existing: dict[str, Household] = {}
    for start in range(0, len(codes), _LOOKUP_BATCH):
        query = Household.objects.filter(
            commune=commune, code__in=codes[start : start + _LOOKUP_BATCH]
        )
        if lock:
            query = query.select_for_update()
        existing.update((household.code, household) for household in query)
    heads: dict[int, Member] = {}
    names: dict[int, list[str]] = {}
    household_ids = [household.pk for household in existing.values()]
    for start in range(0, len(household_ids), _LOOKUP_BATCH):
        batch = household_ids[start : start + _LOOKUP_BATCH]
        query = Member.objects.filter(household_id__in=batch).order_by("pk")
        if lock:
            query = query.select_for_update()
        for member in query:
            names.setdefault(member.household_id, []).append(member.full_name)
            if member.relation == Member.Relation.HEAD:
                heads[member.household_id] = member
    ids = [row.values["head_national_id"] for row in rows if row.values.get("head_national_id")]
    taken: dict[str, int] = {}
    for start in range(0, len(ids), _LOOKUP_BATCH):
        taken.update(
            Member.objects.filter(national_id__in=ids[start : start + _LOOKUP_BATCH]).values_list(
                "national_id", "pk"
            )
        )
    return [
        _check(row, commune, villages, duplicates, existing, heads, names, taken) for row in rows
    ]


def _file_errors(row: Row, villages: Villages, duplicates: dict[str, list[int]]) -> Village | None:
    """Put on the row what the file itself gets wrong (a code or an ID number on several rows,
    a village the commune does not have) and return the row's village."""
    values = row.values
    code = values.get("code")
    if code and code in duplicates:
        row.errors.setdefault(
            "code",
            _("The code %(code)s is on more than one row: rows %(rows)s.")
            % {"code": code, "rows": ", ".join(str(n) for n in duplicates[code])},
        )
    national_id = values.get("head_national_id")
    if national_id and f"id:{national_id}" in duplicates:
        row.errors.setdefault(
            "head_national_id",
            _("This ID number is on more than one row: rows %(rows)s.")
            % {"rows": ", ".join(str(n) for n in duplicates[f"id:{national_id}"])},
        )
    if "village" not in values:
        return None
    try:
        return villages.find(values["village"])
    except ValidationError as error:
        row.errors.setdefault("village", " ".join(error.messages))
        return None


def _check(row, commune, villages, duplicates, existing, heads, names, taken) -> Checked:
    values = row.values
    village = _file_errors(row, villages, duplicates)
    if row.errors:
        return Checked(row=row, outcome=Outcome.ERROR)
    current = existing.get(values.get("code"))
    if current is not None and current.archived:
        row.errors["code"] = _("This household is archived: restore it before importing it.")
        return Checked(row=row, outcome=Outcome.ERROR)
    household, changes = _household(current, commune, village, values)
    try:
        # The village was found among the commune's: no query per row to check it exists.
        household.full_clean(
            exclude=["commune", "village"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        _model_errors(row, error)
    head = heads.get(household.pk) if current is not None else None
    old_head_name = head.full_name if head is not None else ""
    head, head_is_new, head_changes = _head(household, head, values, row)
    national_id = values.get("head_national_id")
    if national_id in taken and (head is None or taken[national_id] != head.pk):
        row.errors.setdefault(
            "head_national_id", _("Another person already has this national ID number.")
        )
    if row.errors:
        return Checked(row=row, outcome=Outcome.ERROR)
    if current is None:
        outcome, changes = Outcome.NEW, []
    else:
        changes += [key for key in head_changes if key not in changes]
        outcome = Outcome.UPDATE if changes else Outcome.UNCHANGED
    member_names = _member_names(current, household, names, head, head_is_new, old_head_name)
    household.search_text = household_search_text(household, member_names)
    return Checked(
        row=row,
        outcome=outcome,
        changes=changes,
        household=household,
        head=head,
        head_is_new=head_is_new,
    )


def _member_names(current, household, names, head, head_is_new, old_head_name) -> list[str]:
    """Return the names of the household's members once the row is applied (for its search
    text): those it has, with the head added or renamed."""
    member_names = list(names.get(household.pk, [])) if current is not None else []
    if head_is_new:
        member_names.append(head.full_name)
    elif head is not None and old_head_name != head.full_name:
        member_names = [head.full_name if n == old_head_name else n for n in member_names]
    return member_names


def _household(current, commune, village, values) -> tuple[Household, list[str]]:
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
        household = Household(commune_id=commune.pk, code=values["code"].strip(), **given)
        return household, []
    if current.village_id == village.pk:
        current.village = village  # the cached one: no query when the model checks its commune
    return current, set_changed(current, given)


def _head(household, head, values, row) -> tuple[Member | None, bool, list[str]]:
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


def _clean_member(member: Member, row: Row) -> None:
    try:
        member.full_clean(exclude=["household"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        _model_errors(row, error)


def check_in_batches(
    parsed: ParsedFile,
    commune: Commune,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[Checked]:
    """Check every row of a parsed file against the commune's households, a thousand rows per
    round of lookups; ``progress(done, total)`` is told after each round. Nothing is saved."""
    villages = Villages(commune)
    duplicates = duplicated_codes(parsed.rows)
    checked: list[Checked] = []
    for start in range(0, len(parsed.rows), _CHECK_BATCH):
        checked += check_rows(
            parsed.rows[start : start + _CHECK_BATCH],
            commune=commune,
            villages=villages,
            duplicates=duplicates,
        )
        if progress is not None:
            progress(len(checked), len(parsed.rows))
    return checked


def counts(checked: Iterable[Checked]) -> dict[str, int]:
    """Count the rows of each outcome."""
    found = Counter(item.outcome for item in checked)
    return {outcome: found.get(outcome, 0) for outcome in Outcome.ALL}


def row_label(item: dict) -> str:
    """Return one error row of a report as a line: "Row 7 · Thôn: …"."""
    parts = [
        f"{error['column']}: {error['message']}" if error["column"] else error["message"]
        for error in item["errors"]
    ]
    return _("Row %(row)s · %(problems)s") % {"row": item["row"], "problems": "; ".join(parts)}


def import_summary(counts: dict, *, preview: bool = False) -> str:
    """Say how many rows are (or were) new, updated, unchanged and in error."""
    values = {key: f"{counts.get(key, 0):,}".replace(",", ".") for key in Outcome.ALL}
    if preview:
        return (
            _("New %(new)s · to update %(update)s · unchanged %(unchanged)s · errors %(error)s")
            % values
        )
    return (
        _("Created %(new)s · updated %(update)s · unchanged %(unchanged)s · skipped %(error)s")
        % values
    )
