"""Household lists from spreadsheets: read a CSV or XLSX file, check every row, plan the changes.

The file has one household per row under Vietnamese headers (``COLUMNS``; ``template_csv``
writes an empty one). Only the household code, the village and the head's name are required;
any other column may be missing or blank, and a blank cell keeps the current value (an import
never erases what it was not given). A row is *new* (no household of that code in the commune),
an *update* (the code exists and something differs), *unchanged*, or an *error* naming the
column and the reason. Importing the same file twice changes nothing the second time.

Why not django-import-export: its resources import through one ``save()`` per row and keep
their dry-run report in memory, while this import must resume where a killed worker stopped
(progress committed with each chunk of rows), report every row of a 50,000-row file on a
preview page, read Windows-1258 files and write history in bulk. The reading is the small part
(the csv module and openpyxl, which tablib uses underneath too); the checks are the Django
models' own ``full_clean`` plus the uniqueness rules checked against the database in bulk.

``households.services`` applies the plans (``household_import_chunk``); this module writes
nothing.
"""

import codecs
import csv
import dataclasses
import datetime
import io
import re
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.text import fold
from households.models import Household, Member
from outreach.models import Commune, Village

# A province's biggest commune has tens of thousands of households; anything far beyond is a
# mistake (the wrong file), refused before it is read.
MAX_ROWS = 200_000
MAX_BYTES = 60 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")
# How many codes one query looks up: well under every database's parameter limit.
_LOOKUP_BATCH = 900


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the template writes it (Vietnamese: the files come from the commune)
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("code", "Mã hộ", True, ("ma ho gia dinh", "ma", "household code", "code")),
    Column("village", "Thôn", True, ("thon/ban", "thon ban", "ban", "village")),
    Column("head_name", "Họ tên chủ hộ", True, ("chu ho", "ten chu ho", "head of household")),
    Column("address", "Địa chỉ", aliases=("address",)),
    Column("phone", "Điện thoại", aliases=("so dien thoai", "sdt", "phone")),
    Column("housing_condition", "Tình trạng nhà ở", aliases=("nha o", "housing condition")),
    Column("notes", "Ghi chú", aliases=("notes",)),
    Column("head_sex", "Giới tính chủ hộ", aliases=("gioi tinh", "sex")),
    Column("head_birth", "Ngày sinh chủ hộ", aliases=("ngay sinh", "nam sinh", "birth date")),
    Column("head_ethnicity", "Dân tộc chủ hộ", aliases=("dan toc", "ethnicity")),
    Column("head_national_id", "Số CCCD chủ hộ", aliases=("so cccd", "cccd", "national id")),
    Column("head_disability", "Chủ hộ khuyết tật", aliases=("khuyet tat", "disability")),
)
BY_KEY = {column.key: column for column in COLUMNS}
HOUSEHOLD_KEYS = ("village", "head_name", "address", "phone", "housing_condition", "notes")
HEAD_KEYS = ("head_sex", "head_birth", "head_ethnicity", "head_national_id", "head_disability")
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


class Outcome:
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"
    ALL = (NEW, UPDATE, UNCHANGED, ERROR)


class FileProblem(Exception):
    """The file as a whole cannot be imported (unreadable, missing required columns…)."""


@dataclasses.dataclass
class Row:
    """One data row of the file: its number as a spreadsheet shows it, and its parsed cells."""

    number: int
    values: dict  # column key → parsed value; only the columns given and not blank
    errors: dict = dataclasses.field(default_factory=dict)  # column key → message


@dataclasses.dataclass
class ParsedFile:
    rows: list[Row]
    columns: list[str]  # keys of the columns found
    ignored: list[str]  # headers not used


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


# --- Reading ------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """Decode a CSV file: UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), else
    Windows-1258 (Vietnamese Excel on Windows). Composed (NFC) in every case: Windows-1258 and
    macOS write tone marks as separate combining characters."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError as error:
                raise FileProblem(
                    _("The file's encoding is not recognised: save it as CSV UTF-8.")
                ) from error
    return unicodedata.normalize("NFC", text)


def _csv_rows(data: bytes) -> Iterator[list]:
    text = _decode(data)
    sample = text[:20_000]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text, newline=""), dialect)


def _xlsx_rows(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileProblem(_("The file is not a readable XLSX workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [
                unicodedata.normalize("NFC", value) if isinstance(value, str) else value
                for value in values
            ]
    finally:
        workbook.close()


def _is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def _header_map(headers: Sequence) -> tuple[dict[int, str], list[str]]:
    known = {}
    for column in COLUMNS:
        for name in (column.header, column.key, *column.aliases):
            known[fold(name)] = column.key
    positions, ignored, seen = {}, [], {}
    for position, header in enumerate(headers):
        text = _cell_text(header)
        if not text:
            continue
        key = known.get(fold(text).replace("_", " ")) or known.get(fold(text))
        if key is None:
            ignored.append(text)
            continue
        if key in seen:
            raise FileProblem(
                _("The column %(column)s appears twice (%(first)s and %(second)s).")
                % {"column": BY_KEY[key].header, "first": seen[key], "second": text}
            )
        seen[key] = text
        positions[position] = key
    missing = [column.header for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        raise FileProblem(
            _("Required columns are missing: %(columns)s. Download the template to see them.")
            % {"columns": ", ".join(missing)}
        )
    return positions, ignored


def check_file(filename: str, content: bytes | File) -> bytes:
    """Refuse a file the import cannot take (not CSV or XLSX, too big, empty, unreadable) and
    return its bytes.

    The one check of every path: the services behind the upload page and the command, and the
    worker's jobs (through ``read_file``) call it, so each refuses the same files with the same
    message. An uploaded file is measured before it is read into memory; its position is left
    where it was."""
    if not is_household_file(filename):
        raise FileProblem(_("Choose a CSV or XLSX file."))
    size = len(content) if isinstance(content, bytes) else content.size
    if size > MAX_BYTES:
        raise FileProblem(_("The file is too big (more than 60 MB)."))
    if isinstance(content, bytes):
        data = content
    else:
        position = content.tell()
        content.seek(0)
        data = content.read()
        content.seek(position)
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    # Decoding a CSV file (every byte of it) or opening a workbook finds an unreadable file now,
    # not in the middle of the import.
    lines = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(data)
    try:
        if next(lines, None) is None:
            raise FileProblem(_("The file is empty."))
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    finally:
        lines.close()
    return data


def read_file(data: bytes, filename: str) -> ParsedFile:
    """Read a household file (CSV or XLSX) and parse every row; raise ``FileProblem`` when the
    file as a whole is unusable."""
    check_file(filename, data)
    lines = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(data)
    try:
        positions, ignored = _header_map(next(lines, []))
        rows = []
        for number, cells in enumerate(lines, start=2):
            raw = {
                key: cells[position] for position, key in positions.items() if position < len(cells)
            }
            if not any(_cell_text(value) for value in raw.values()):
                continue  # an empty line between blocks, or Excel's trailing formatted rows
            if len(rows) >= MAX_ROWS:
                raise FileProblem(
                    _("The file has more than %(count)s rows: split it.") % {"count": MAX_ROWS}
                )
            rows.append(parse_row(number, raw))
    except csv.Error as error:
        raise FileProblem(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    finally:
        lines.close()
    if not rows:
        raise FileProblem(_("The file has no household rows under its headers."))
    return ParsedFile(rows=rows, columns=list(positions.values()), ignored=ignored)


# --- Parsing one row ----------------------------------------------------------------------------


def _choices_lookup(choices) -> dict[str, str]:
    """Map every way of writing a choice (value, English label, Vietnamese label) to its value."""
    lookup = {}
    for value, label in choices:
        lookup[fold(value)] = value
        lookup[fold(value.replace("_", " "))] = value
        with translation.override("en"):
            lookup[fold(str(label))] = value
        with translation.override("vi"):
            lookup[fold(str(label))] = value
    return lookup


_YES = {"co", "x", "1", "yes", "true", "y", "c"}
_NO = {"khong", "0", "no", "false", "n", "k"}
_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _parse_date(value) -> int:
    """Return the birth year of a dd/mm/yyyy date (or of a bare year)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        day = value
    else:
        text = _cell_text(value)
        if re.fullmatch(r"\d{4}", text):
            return int(text)
        match = _DATE.match(text)
        iso = _ISO_DATE.match(text)
        try:
            if match:
                day = datetime.date(int(match[3]), int(match[2]), int(match[1]))
            elif iso:
                day = datetime.date(int(iso[1]), int(iso[2]), int(iso[3]))
            else:
                raise ValueError(text)
        except ValueError as error:
            raise ValidationError(
                _("Write the date as dd/mm/yyyy (for example 25/03/1968), or the year alone.")
            ) from error
    if day > timezone.localdate():
        raise ValidationError(_("The date of birth is in the future."))
    return day.year


def _digits(value, length: int) -> str:
    """Return an ID or phone number as text; a spreadsheet that stored it as a number dropped
    its leading zeros, which are put back."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value).zfill(length)
    return "".join(_cell_text(value).split()).replace(".", "")


def parse_row(number: int, raw: dict) -> Row:
    """Turn one row's cells into values, or errors naming the column and the reason."""
    row = Row(number=number, values={})
    for key, value in raw.items():
        text = _cell_text(value)
        if not text:
            continue
        try:
            row.values[key] = _parse_cell(key, value, text)
        except ValidationError as error:
            row.errors[key] = " ".join(error.messages)
    for column in COLUMNS:
        if column.required and column.key not in row.values and column.key not in row.errors:
            row.errors[column.key] = _("This column is required.")
    return row


def _parse_cell(key: str, value, text: str):
    if key == "housing_condition":
        return _choice(Household.Housing.choices, text)
    if key == "head_sex":
        return _choice(Member.Sex.choices, text)
    if key == "head_ethnicity":
        return _choice(Member.Ethnicity.choices, text)
    if key == "head_birth":
        return _parse_date(value)
    if key == "head_national_id":
        number = _digits(value, 12)
        # A 12-digit ID stored as a number loses its leading zero; a 9-digit one has none.
        return number.zfill(12) if 9 < len(number) < 12 else number
    if key == "phone" and isinstance(value, int | float):
        # Stored as a number, 0912… became 912…: a Vietnamese number has 10 digits.
        digits = str(int(value))
        return "0" + digits if len(digits) == 9 else digits
    if key == "head_disability":
        folded = fold(text)
        if folded in _YES:
            return True
        if folded in _NO:
            return False
        raise ValidationError(_('Write "Có" or "Không".'))
    return text


_LOOKUPS: dict = {}


def _choice(choices, text: str) -> str:
    key = tuple(choices)
    if key not in _LOOKUPS:
        _LOOKUPS[key] = _choices_lookup(choices)
    found = _LOOKUPS[key].get(fold(text))
    if found is None:
        labels = ", ".join(str(label) for _value, label in choices)
        raise ValidationError(
            _("“%(value)s” is not one of: %(labels)s.") % {"value": text, "labels": labels}
        )
    return found


# --- Checking against the database -------------------------------------------------------------


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


def _check(row, commune, villages, duplicates, existing, heads, names, taken) -> Checked:
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
    village = None
    if "village" in values:
        try:
            village = villages.find(values["village"])
        except ValidationError as error:
            row.errors.setdefault("village", " ".join(error.messages))
    if row.errors:
        return Checked(row=row, outcome=Outcome.ERROR)
    current = existing.get(code)
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
    if national_id and national_id in taken and (head is None or taken[national_id] != head.pk):
        row.errors.setdefault(
            "head_national_id", _("Another person already has this national ID number.")
        )
    if row.errors:
        return Checked(row=row, outcome=Outcome.ERROR)
    changes += [key for key in head_changes if key not in changes]
    member_names = list(names.get(household.pk, [])) if current is not None else []
    if head_is_new:
        member_names.append(head.full_name)
    elif head is not None and old_head_name != head.full_name:
        member_names = [head.full_name if n == old_head_name else n for n in member_names]
    outcome = Outcome.UPDATE if changes else Outcome.UNCHANGED
    if current is None:
        outcome = Outcome.NEW
    from households.services import household_search_text

    household.search_text = household_search_text(household, member_names)
    return Checked(
        row=row,
        outcome=outcome,
        changes=changes if current is not None else [],
        household=household,
        head=head,
        head_is_new=head_is_new,
    )


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
    changes = []
    if current.village_id == village.pk:
        current.village = village  # the cached one: no query when the model checks its commune
    for key, value in given.items():
        old = current.village_id if key == "village" else getattr(current, key)
        new = value.pk if key == "village" else value
        if old != new:
            changes.append(key)
            setattr(current, key, value)
    return current, changes


def _head(household, head, values, row) -> tuple[Member | None, bool, list[str]]:
    """Return the head as a member (new, changed or as it is) and the columns that changed."""
    given = {
        "full_name": household.head_name,
        **{
            field: values[key]
            for key, field in (
                ("head_sex", "sex"),
                ("head_birth", "birth_year"),
                ("head_ethnicity", "ethnicity"),
                ("head_national_id", "national_id"),
                ("head_disability", "has_disability"),
            )
            if key in values
        },
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
    changes = []
    for field, value in given.items():
        if getattr(head, field) != value:
            changes.append(_FIELD_COLUMN[field])
            setattr(head, field, value)
    if changes:
        _clean_member(head, row)
    return head, False, [key for key in changes if key != "head_name"]


def _clean_member(member: Member, row: Row) -> None:
    try:
        member.full_clean(exclude=["household"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        _model_errors(row, error)


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


def template_csv() -> bytes:
    """Return an empty household file: the headers only, UTF-8 with a BOM so Excel shows the
    Vietnamese letters."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([column.header for column in COLUMNS])
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def is_household_file(filename: str) -> bool:
    """Tell whether a file name has an extension the import reads."""
    return Path(filename or "").suffix.lower() in EXTENSIONS
