"""Check parsed rows against the database: each row's outcome (new, update, unchanged, error)
and the households and heads that applying it writes, with their search text. Nothing is saved
here: ``previewing`` reports the outcomes, ``applying`` writes them."""

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.text import fold
from households.imports.columns import BY_KEY, Outcome, ParsedFile, Row
from households.imports.places import Villages
from households.imports.reads import (
    household_queries,
    member_queries,
    national_ids,
    reads_of_instances,
)
from households.imports.records import (
    clean_household,
    head_record,
    household_record,
    member_names_after,
    members_record,
)
from households.models import Household, Member
from households.search import household_search_text
from outreach.models import Commune, Village

# How many rows of a file are checked per round of lookups (and between progress reports).
_CHECK_BATCH = 1000


# A field → the columns it may have been read from in a file of one row per person (an error
# on the head's birth year is on the column the year was written in).
_READ_AS = {
    "head_name": ("member_name",),
    "head_sex": ("member_sex",),
    "head_birth": ("member_birth", "birth_male", "birth_female"),
    "member_birth": ("birth_male", "birth_female"),
    "head_ethnicity": ("member_ethnicity",),
    "head_national_id": ("member_national_id",),
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
    members_new: list[Member] = dataclasses.field(default_factory=list)
    members_changed: list[Member] = dataclasses.field(default_factory=list)
    member_names: list[str] = dataclasses.field(default_factory=list)
    # What the check read from the database (``reads``), when asked for: the import compares it
    # with what is stored once its chunk holds the lock.
    reads: tuple | None = None

    def report(self, headers: dict[str, str] | None = None) -> dict:
        """Return the row as the preview shows it (plain data, JSON-ready); ``headers`` names
        the fields as the file heads them."""
        headers = headers or {}

        def column(key: str) -> str:
            if key == "members":
                return str(_("Members"))
            for name in (key, *_READ_AS.get(key, ())):
                if name in headers:
                    return headers[name]
            return BY_KEY[key].header if key in BY_KEY else ""

        errors = [
            {"column": column(key), "message": message} for key, message in self.row.errors.items()
        ]
        for person in self.row.members:
            errors += [
                {"column": column(key), "message": message, "row": person.number}
                for key, message in person.errors.items()
            ]
        code = self.row.values.get("code", "")
        if not code and self.household is not None and self.household.pk:
            code = self.household.code
        return {
            "row": self.row.number,
            "code": code,
            "head_name": self.row.values.get("head_name", ""),
            "members": len(self.row.members),
            "outcome": self.outcome,
            "changes": [column(key) for key in self.changes],
            "errors": errors,
            "notes": list(self.row.notes),
        }

    @property
    def has_errors(self) -> bool:
        return bool(self.row.errors) or any(person.errors for person in self.row.members)


def duplicated_codes(rows: Iterable[Row]) -> dict[str, list[int]]:
    """Return the household codes (national IDs as ``id:<number>``, the village, head and birth
    year of a row without a code as ``hh:…``) that more than one row of the file carries, with
    those rows' numbers."""
    seen: dict[str, list[int]] = {}
    for row in rows:
        code = row.values.get("code")
        if code:
            seen.setdefault(code, []).append(row.number)
        elif row.values.get("village") and row.values.get("head_name"):
            seen.setdefault(_person_key(row), []).append(row.number)
        national_id = row.values.get("head_national_id")
        if national_id:
            seen.setdefault(f"id:{national_id}", []).append(row.number)
        for person in row.members:
            if person.values.get("national_id"):
                seen.setdefault(f"id:{person.values['national_id']}", []).append(person.number)
    return {code: numbers for code, numbers in seen.items() if len(numbers) > 1}


def _person_key(row: Row) -> str:
    """Return what a row without a code is matched by: village, head's name, head's birth year."""
    values = row.values
    return "hh:" + "|".join(
        [fold(values["village"]), fold(values["head_name"]), str(values.get("head_birth", ""))]
    )


def _existing(rows: Sequence[Row], commune: Commune, lock: bool) -> tuple[dict, dict]:
    """Return the commune's households that the rows name: by code, and by village and folded
    head's name for the rows without a code (candidates, looked up by the name as written)."""
    by_code_queries, by_name_queries = household_queries(rows, commune)
    by_code: dict[str, Household] = {}
    for query in by_code_queries:
        by_code.update((household.code, household) for household in _locking(query, lock))
    by_name: dict[tuple, list[Household]] = {}
    for query in by_name_queries:
        for household in _locking(query, lock):
            by_name.setdefault((household.village_id, fold(household.head_name)), []).append(
                household
            )
    return by_code, by_name


def _members_of(household_ids: list[int], lock: bool) -> dict[int, list[Member]]:
    members: dict[int, list[Member]] = {}
    for query in member_queries(household_ids):
        for member in _locking(query, lock):
            members.setdefault(member.household_id, []).append(member)
    return members


def _locking(query: QuerySet, lock: bool) -> QuerySet:
    return query.select_for_update() if lock else query


@dataclasses.dataclass
class _Context:
    """What one round of checks looked up, shared by its rows."""

    commune: Commune
    villages: Villages
    duplicates: dict[str, list[int]]
    by_code: dict[str, Household]
    by_name: dict[tuple, list[Household]]
    members: dict[int, list[Member]]
    taken: dict[str, int]
    claimed: dict[int, int] = dataclasses.field(default_factory=dict)  # household → its row


def check_rows(
    rows: Sequence[Row],
    *,
    commune: Commune,
    villages: Villages,
    duplicates: dict[str, list[int]],
    lock: bool = False,
    reads: bool = False,
) -> list[Checked]:
    """Decide each row's outcome against the database; ``lock`` holds the existing households
    (and their members) for the caller's transaction, which is about to change them; ``reads``
    keeps on each row what its check read (``households.imports.reads``)."""
    by_code, by_name = _existing(rows, commune, lock)
    households = {h.pk: h for h in by_code.values()}
    households.update((h.pk, h) for found in by_name.values() for h in found)
    members = _members_of(list(households), lock)
    villages.look_up_communes(row.values["commune"] for row in rows if row.values.get("commune"))
    context = _Context(
        commune=commune,
        villages=villages,
        duplicates=duplicates,
        by_code=by_code,
        by_name=by_name,
        members=members,
        taken=national_ids(rows),
    )
    if not reads:
        return [_check(row, context) for row in rows]
    # Taken before the checks, which change the households and members they write.
    found = reads_of_instances(
        rows, villages, by_code=by_code, by_name=by_name, members=members, taken=context.taken
    )
    checked = [_check(row, context) for row in rows]
    for item, read in zip(checked, found, strict=True):
        item.reads = read
    return checked


def _file_errors(row: Row, villages: Villages, duplicates: dict[str, list[int]]) -> Village | None:
    """Put on the row what the file itself gets wrong (a code, a household or an ID number on
    several rows, a village or a commune the commune does not have) and return the row's
    village."""
    values = row.values
    code = values.get("code")
    if code and code in duplicates:
        row.errors.setdefault(
            "code",
            _("The code %(code)s is on more than one row: rows %(rows)s.")
            % {"code": code, "rows": ", ".join(str(n) for n in duplicates[code])},
        )
    if not code and values.get("village") and values.get("head_name"):
        rows = duplicates.get(_person_key(row))
        if rows:
            row.errors.setdefault(
                "head_name",
                _(
                    "Rows %(rows)s list the same household (village, head's name and year of "
                    "birth): keep one of them."
                )
                % {"rows": ", ".join(str(n) for n in rows)},
            )
    for key, number in [("head_national_id", values.get("head_national_id"))] + [
        ("member_national_id", person.values.get("national_id")) for person in row.members
    ]:
        if number and f"id:{number}" in duplicates:
            row.errors.setdefault(
                key,
                _("This ID number is on more than one row: rows %(rows)s.")
                % {"rows": ", ".join(str(n) for n in duplicates[f"id:{number}"])},
            )
    if values.get("commune"):
        try:
            note = villages.commune_note(values["commune"])
        except ValidationError as error:
            row.errors.setdefault("commune", " ".join(error.messages))
        else:
            if note:
                row.notes.append(note)
    if "village" not in values:
        return None
    try:
        return villages.find(values["village"])
    except ValidationError as error:
        row.errors.setdefault("village", " ".join(error.messages))
        return None


def _current(row: Row, village: Village, context: _Context) -> Household | None:
    """Return the household a row names: by its code, else by village, folded head's name and
    head's birth year (an error on the row when that names more than one)."""
    values = row.values
    if values.get("code"):
        return context.by_code.get(values["code"])
    birth = values.get("head_birth")
    found = []
    for household in context.by_name.get((village.pk, fold(values["head_name"])), []):
        head = next(
            (m for m in context.members.get(household.pk, []) if m.relation == "head"), None
        )
        if birth is None or head is None or head.birth_year == birth:
            found.append(household)
    if len(found) > 1:
        row.errors["head_name"] = _(
            "This row matches more than one household (%(codes)s): give the household code."
        ) % {"codes": ", ".join(household.code for household in found)}
        return None
    return found[0] if found else None


def _check(row: Row, context: _Context) -> Checked:
    values = row.values
    village = _file_errors(row, context.villages, context.duplicates)
    if row.errors:
        return Checked(row=row, outcome=Outcome.ERROR)
    current = _current(row, village, context)
    if row.errors:
        return Checked(row=row, outcome=Outcome.ERROR)
    if current is not None and current.archived:
        row.errors["code"] = _("This household is archived: restore it before importing it.")
        return Checked(row=row, outcome=Outcome.ERROR)
    if current is not None:
        first = context.claimed.setdefault(current.pk, row.number)
        if first != row.number:
            row.errors["head_name"] = _("Row %(row)s names this household already (%(code)s).") % {
                "row": first,
                "code": current.code,
            }
            return Checked(row=row, outcome=Outcome.ERROR)
    household, changes = household_record(current, context.commune, village, values)
    clean_household(household, row)
    existing = context.members.get(household.pk, []) if current is not None else []
    head = next((m for m in existing if m.relation == Member.Relation.HEAD), None)
    old_head_name = head.full_name if head is not None else ""
    head, head_is_new, head_changes = head_record(household, head, values, row)
    national_id = values.get("head_national_id")
    if national_id in context.taken and (head is None or context.taken[national_id] != head.pk):
        row.errors.setdefault(
            "head_national_id", _("Another person already has this national ID number.")
        )
    members_new, members_changed = members_record(household, existing, row, context.taken)
    if row.errors or any(person.errors for person in row.members):
        return Checked(row=row, outcome=Outcome.ERROR)
    if current is None:
        outcome, changes = Outcome.NEW, []
    else:
        changes += [key for key in head_changes if key not in changes]
        if members_new or members_changed:
            changes.append("members")
        outcome = Outcome.UPDATE if changes else Outcome.UNCHANGED
    names = [m.full_name for m in existing]
    member_names = member_names_after(names, head, head_is_new, old_head_name)
    member_names += [member.full_name for member in members_new]
    if outcome != Outcome.UNCHANGED:
        # Only a row that is written needs its search text (an unchanged one is not saved).
        household.search_text = household_search_text(household, member_names)
    return Checked(
        row=row,
        outcome=outcome,
        changes=changes,
        household=household,
        head=head,
        head_is_new=head_is_new,
        members_new=members_new,
        members_changed=members_changed,
        member_names=member_names,
    )


def check_in_batches(
    parsed: ParsedFile,
    commune: Commune,
    *,
    progress: Callable[[int, int], None] | None = None,
    villages: Villages | None = None,
    reads: bool = False,
) -> list[Checked]:
    """Check every row of a parsed file against the commune's households (``villages``: the
    commune's, read here unless given), a thousand rows per round of lookups;
    ``progress(done, total)`` is told after each round; ``reads`` as for ``check_rows``.
    Nothing is saved."""
    villages = Villages(commune) if villages is None else villages
    duplicates = duplicated_codes(parsed.rows)
    checked: list[Checked] = []
    for start in range(0, len(parsed.rows), _CHECK_BATCH):
        checked += check_rows(
            parsed.rows[start : start + _CHECK_BATCH],
            commune=commune,
            villages=villages,
            duplicates=duplicates,
            reads=reads,
        )
        if progress is not None:
            progress(len(checked), len(parsed.rows))
    return checked


def counts(checked: Iterable[Checked]) -> dict[str, int]:
    """Count the rows of each outcome."""
    found = Counter(item.outcome for item in checked)
    return {outcome: found.get(outcome, 0) for outcome in Outcome.ALL}
