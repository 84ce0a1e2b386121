"""Fields for the values people type: amounts of money in đồng and dates.

One form field per kind of value, used by every page's form and, through the model fields below
(whose ``formfield()`` returns it), by every ModelForm and the admin. So "1000.5" is refused the
same way everywhere, and no date of year 1 or 9999 gets in.

The model fields change nothing in the database: they deconstruct as Django's own fields, so
migrations neither see nor need them.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.money import format_vnd

# Spaces people (and spreadsheets) put between groups of digits: plain, no-break, narrow no-break.
_SPACES = " \u00a0\u202f"
# The currency written after the amount, as people type it: 500.000 ₫, 500.000đ, 500000 VND.
_CURRENCY = re.compile(r"\s*(?:₫|đ|Đ|vnđ|vnd|đồng|dong)\s*$", re.IGNORECASE)


def _grouped(separators: str) -> re.Pattern:
    # Digits alone, or groups of three after a first group of one to three, with the same
    # separator throughout: "1.000.000", "1 000 000". Never "1.0000", "10.00" or "1.000 000".
    # [0-9], not \d: Python's \d also takes Arabic-Indic or full-width digits.
    choices = "|".join(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+" for sep in separators)
    return re.compile(rf"^(?:[0-9]+|{choices})$")


_VI_AMOUNT = _grouped("." + _SPACES)
# In English "," is the thousands separator ("1,000,000"); in Vietnamese it is the decimal comma,
# so "1,5" is a decimal there and refused.
_EN_AMOUNT = _grouped(".," + _SPACES)


def parse_vnd(text: str) -> int | None:
    """Return the whole number of đồng ``text`` writes, or None if it is not one.

    Digits with optional thousands separators in groups of three ("1.000.000", "1 000 000",
    "1000000"; "1,000,000" too when the page is in English) and an optional currency after them.
    Decimals, misplaced separators and signs are not amounts of đồng.
    """
    text = _CURRENCY.sub("", text.strip())
    english = (translation.get_language() or "").startswith("en")
    if not (_EN_AMOUNT if english else _VI_AMOUNT).match(text):
        return None
    return int(re.sub(r"[^0-9]", "", text))


class VndField(forms.IntegerField):
    """A whole number of đồng, typed as people write it: "70.000.000", "70 000 000 ₫"."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter a whole number of đồng, e.g. 1.500.000."),
    }

    # A thousand billion đồng: far above any gift, far below what the database column holds.
    MAX_VND = 10**15

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", self.MAX_VND)
        # A number box (the admin's, the model field's default) would refuse "1.000.000" in the
        # browser: amounts are typed in a text box with the digits keypad.
        widget = kwargs.get("widget")
        if widget is not None and (
            isinstance(widget, forms.NumberInput)
            or (isinstance(widget, type) and issubclass(widget, forms.NumberInput))
        ):
            kwargs.pop("widget")
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # Django's bounds and step are for number boxes only.
        for name in ("min", "max", "step"):
            attrs.pop(name, None)
        attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if isinstance(value, int):
            return value
        amount = parse_vnd(str(value))
        if amount is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return amount

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_vnd(value, symbol=False)
        return value


# Dates people type are of the partnership's lifetime and the households' lives: nothing before
# 1900 (the oldest birth year the registry keeps), nothing planned more than ten years ahead.
EARLIEST_DATE = datetime.date(1900, 1, 1)
FUTURE_YEARS = 10


def latest_date(*, past: bool) -> datetime.date:
    """Return the latest date a user may enter today: today itself for what already happened
    (``past``), else ten years from today."""
    today = timezone.localdate()
    if past:
        return today
    try:
        return today.replace(year=today.year + FUTURE_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + FUTURE_YEARS, day=28)


# A date as people write it, whatever the page's language: day/month/year with "/", "-" or "."
# (2/12/2026, 02-12-2026, 02.12.2026: a phone's number pad often has "-" or "." but no "/"), the
# eight digits alone (02122026), or ISO year-month-day, which older pages and clients send.
_DMY = re.compile(r"^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$")
_DMY_DIGITS = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{4})$")
_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
# The same forms for the browser's check before sending (the "pattern" attribute, compiled with
# the "v" flag: "/" and "-" are escaped inside the classes). The server checks again.
DATE_PATTERN = (
    r"\s*([0-9]{1,2}[\/.\-][0-9]{1,2}[\/.\-][0-9]{4}|[0-9]{8}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2})\s*"
)


def parse_day_month_year(text: str) -> datetime.date | None:
    """Return the date ``text`` writes day first (or ISO), or None if it is not a date."""
    text = text.strip()
    for pattern, order in ((_DMY, (2, 1, 0)), (_DMY_DIGITS, (2, 1, 0)), (_ISO, (0, 1, 2))):
        found = pattern.match(text)
        if found:
            year, month, day = (int(found.group(index + 1)) for index in order)
            try:
                return datetime.date(year, month, day)
            except ValueError:  # 31/02/2026
                return None
    return None


class DayMonthYearInput(forms.DateInput):
    """A text box for a date typed day/month/year, for every date of every form.

    Not ``<input type="date">``: its picker shows and reads the date in the phone's language
    (an English phone shows 12/02/2026 for 2 December), while people here write day first.
    The box shows dd/mm/yyyy and opens the digits keypad.
    """

    input_type = "text"

    def __init__(self, attrs=None):
        attrs = {
            "placeholder": _("dd/mm/yyyy"),
            "inputmode": "numeric",
            "pattern": DATE_PATTERN,
            "title": _("Day/month/year, e.g. 02/12/2026"),
            "autocomplete": "off",
            "maxlength": 12,
            **(attrs or {}),
        }
        super().__init__(attrs=attrs, format="%d/%m/%Y")


def _is_date_picker(widget) -> bool:
    """Whether ``widget`` (an instance or a class) is the browser's own date picker."""
    attrs = {} if isinstance(widget, type) else widget.attrs
    return getattr(widget, "input_type", None) == "date" or attrs.get("type") == "date"


class PlausibleDateField(forms.DateField):
    """A date from 01/01/1900 to ten years ahead, or to today with ``past=True`` (for what has
    already happened: a donation received, a photo taken; where a service refuses a future date
    with its own message, the field leaves that to it).

    Typed day first in a ``DayMonthYearInput`` whatever the page's language (see
    ``parse_day_month_year``); a browser date picker given as the widget is replaced by it. The
    admin keeps its own date widget (a text box too). The bounds are computed when the form is
    checked, so a process running past midnight does not keep yesterday's today.
    """

    widget = DayMonthYearInput
    default_error_messages = {
        "invalid": _("Enter the date as day/month/year, e.g. 02/12/2026."),
        "out_of_range": _("Enter a date from %(earliest)s to %(latest)s."),
        "future": _("The date cannot be after today (%(today)s)."),
    }

    def __init__(self, *, past: bool = False, **kwargs):
        self.past = past
        widget = kwargs.get("widget")
        if widget is not None and _is_date_picker(widget):
            kwargs.pop("widget")
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        day = parse_day_month_year(str(value))
        if day is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return day

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        latest = latest_date(past=self.past)
        if self.past and value > latest:
            raise ValidationError(
                self.error_messages["future"],
                code="future",
                params={"today": date_format(latest, "SHORT_DATE_FORMAT")},
            )
        if not EARLIEST_DATE <= value <= latest:
            raise ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={
                    "earliest": date_format(EARLIEST_DATE, "SHORT_DATE_FORMAT"),
                    "latest": date_format(latest, "SHORT_DATE_FORMAT"),
                },
            )


class BirthYearFormField(forms.IntegerField):
    """A year of birth: from 1900 to this year, never a year still to come."""

    default_error_messages = {
        "future": _("The year of birth cannot be after this year (%(year)s)."),
    }

    def validate(self, value):
        super().validate(value)
        year = timezone.localdate().year
        if value not in self.empty_values and value > year:
            raise ValidationError(
                self.error_messages["future"], code="future", params={"year": year}
            )


class MoneyField(models.PositiveBigIntegerField):
    """A whole number of đồng (``*_vnd``); its forms take "1.500.000" and refuse "1000.5"."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": VndField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.PositiveBigIntegerField", args, kwargs


class EventDateField(models.DateField):
    """A date a user enters; its forms hold it to a plausible range (``PlausibleDateField``).

    ``past=True`` for what has already happened when it is recorded.
    """

    def __init__(self, *args, past: bool = False, **kwargs):
        self.past = past
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PlausibleDateField, "past": self.past, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateField", args, kwargs


class BirthYearField(models.PositiveSmallIntegerField):
    """A person's year of birth; its forms refuse a year after the current one."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": BirthYearFormField, **kwargs})

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.PositiveSmallIntegerField", args, kwargs
