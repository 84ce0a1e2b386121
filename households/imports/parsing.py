"""Turn one row's cells into values (choices, dates, ID and phone numbers), or errors naming
the column and the reason."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.phones import normalise_phone
from core.text import fold
from households.imports.columns import COLUMNS, Row
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
