"""Turn one row's cells into values (choices, dates, ID and phone numbers), or errors naming
the column and the reason."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.phones import normalise_phone
from core.text import fold
from households.imports.columns import BY_KEY, Row
from households.models import Household, Member


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


def _birth_year(year: int, today: datetime.date) -> int:
    if year > today.year:
        raise ValidationError(_("The year of birth is in the future."))
    if year < 1900:
        raise ValidationError(_("The year of birth is before 1900."))
    return year


_YEAR = re.compile(r"\d{4}")


def _parse_date(value, text: str | None = None) -> int:
    """Return the birth year of a dd/mm/yyyy date (or of a bare year); ``text`` is the cell's
    text when the caller has it already."""
    # Once per cell, not once per comparison: the local date is the costly part of a row.
    today = timezone.localdate()
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        day = value
    else:
        text = _cell_text(value) if text is None else text
        if _YEAR.fullmatch(text):
            return _birth_year(int(text), today)
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
    if day > today:
        raise ValidationError(_("The date of birth is in the future."))
    return _birth_year(day.year, today)


def _digits(value, length: int) -> str:
    """Return an ID or phone number as text; a spreadsheet that stored it as a number dropped
    its leading zeros, which are put back."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value).zfill(length)
    return "".join(_cell_text(value).split()).replace(".", "")


# The words of the lists for a person's relation to the head (folded) → Member.Relation, and the
# sex some of them say.
_RELATIONS = {
    "chu ho": ("head", ""),
    "vo": ("spouse", "female"),
    "chong": ("spouse", "male"),
    "vo chong": ("spouse", ""),
    "con": ("child", ""),
    "con trai": ("child", "male"),
    "con gai": ("child", "female"),
    "con de": ("child", ""),
    "con nuoi": ("child", ""),
    "con dau": ("other", "female"),
    "con re": ("other", "male"),
    "bo": ("parent", "male"),
    "cha": ("parent", "male"),
    "bo de": ("parent", "male"),
    "me": ("parent", "female"),
    "me de": ("parent", "female"),
    "bo me": ("parent", ""),
    "chau": ("grandchild", ""),
    "chau noi": ("grandchild", ""),
    "chau ngoai": ("grandchild", ""),
    "anh": ("sibling", "male"),
    "chi": ("sibling", "female"),
    "em": ("sibling", ""),
    "anh trai": ("sibling", "male"),
    "chi gai": ("sibling", "female"),
    "em trai": ("sibling", "male"),
    "em gai": ("sibling", "female"),
    "anh chi em": ("sibling", ""),
}


def relation_of(text: str) -> tuple[str, str]:
    """Return the relation a list writes ("Chủ hộ", "Vợ", "Con trai"…) as a ``Member.Relation``
    value, and the sex it says ("" when it says none); a word not known is "other"."""
    folded = " ".join(fold(text).replace("-", " ").split())
    if folded in _RELATIONS:
        return _RELATIONS[folded]
    found = _lookup(Member.Relation).get(folded)
    return (found or "other"), ""


def _under_sex(row: Row, person_rows: bool) -> None:
    """Read a year written under the sex column ("Năm sinh" over "Nam" / "Nữ") as the year of
    birth and the sex of the row's person."""
    birth, sex = ("member_birth", "member_sex") if person_rows else ("head_birth", "head_sex")
    given = [key for key in ("birth_male", "birth_female") if key in row.values]
    if len(given) > 1:
        row.errors["birth_female"] = _("A year is written under both Male and Female.")
        return
    for key in given:
        year = row.values.pop(key)
        row.values.setdefault(birth, year)
        row.values.setdefault(sex, "male" if key == "birth_male" else "female")
    for key in ("birth_male", "birth_female"):
        if key in row.errors:
            row.errors.setdefault(birth, row.errors.pop(key))


def parse_row(number: int, raw: dict, *, person_rows: bool = False) -> Row:
    """Turn one row's cells into values, or errors naming the column and the reason; in a file
    of one row per person, the required fields are checked when the rows are grouped
    (households.imports.persons)."""
    row = Row(number=number, values={})
    for key, value in raw.items():
        text = _cell_text(value)
        if not text:
            continue
        if "\x00" in text:
            # PostgreSQL refuses it in any text: caught here, the import never fails half-way.
            row.errors[key] = _(
                "This cell contains a NUL character (\\x00), which cannot be stored: the file "
                "may be damaged or saved in another format. Remove it and upload the file again."
            )
            continue
        try:
            row.values[key] = _parse_cell(key, value, text)
        except ValidationError as error:
            row.errors[key] = " ".join(error.messages)
    _under_sex(row, person_rows)
    if person_rows:
        return row
    for column in BY_KEY.values():
        if column.required and column.key not in row.values and column.key not in row.errors:
            row.errors[column.key] = _("This column is required.")
    return row


def _parse_cell(key: str, value, text: str):
    if key == "housing_condition":
        return _choice(Household.Housing, text)
    if key in ("head_sex", "member_sex"):
        return _choice(Member.Sex, text)
    if key in ("head_ethnicity", "member_ethnicity"):
        return _choice(Member.Ethnicity, text)
    if key in ("head_birth", "member_birth", "birth_male", "birth_female"):
        return _parse_date(value, text)
    if key == "relation":
        return text  # read with the grouping (households.imports.persons.relation_of)
    if key in ("head_name", "member_name"):
        return " ".join(text.split())
    if key in ("head_national_id", "member_national_id"):
        number = _digits(value, 12)
        # A 12-digit ID stored as a number loses its leading zero; a 9-digit one has none.
        return number.zfill(12) if 9 < len(number) < 12 else number
    if key == "phone":
        if isinstance(value, int | float):
            # Stored as a number, 0912… became 912…: a Vietnamese number has 10 digits.
            digits = str(int(value))
            text = "0" + digits if len(digits) == 9 else digits
        # Stored as 84… (as the pages store it), so that a file read again compares equal.
        return normalise_phone(text)
    if key == "head_disability":
        folded = fold(text)
        if folded in _YES:
            return True
        if folded in _NO:
            return False
        raise ValidationError(_('Write "Có" or "Không".'))
    return text


# A choices class → every way of writing its choices (built once: ``choices`` makes new lazy
# labels on each access, and hashing them translates them).
_LOOKUPS: dict = {}


def _lookup(kind: type[models.Choices]) -> dict[str, str]:
    if kind not in _LOOKUPS:
        _LOOKUPS[kind] = _choices_lookup(kind.choices)
    return _LOOKUPS[kind]


def _choice(kind: type[models.Choices], text: str) -> str:
    found = _lookup(kind).get(fold(text))
    if found is None:
        labels = ", ".join(str(label) for _value, label in kind.choices)
        raise ValidationError(
            _("“%(value)s” is not one of: %(labels)s.") % {"value": text, "labels": labels}
        )
    return found
