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


class PlausibleDateField(forms.DateField):
    """A date from 01/01/1900 to ten years ahead, or to today with ``past=True`` (for what has
    already happened: a donation received, a photo taken; where a service refuses a future date
    with its own message, the field leaves that to it).

    Input formats are the language's (dd/mm/yyyy; the phone's date picker sends yyyy-mm-dd).
    The bounds are computed when the form is checked, so a process running past midnight does
    not keep yesterday's today.
    """

    default_error_messages = {
        "out_of_range": _("Enter a date from %(earliest)s to %(latest)s."),
        "future": _("The date cannot be after today (%(today)s)."),
    }

    def __init__(self, *, past: bool = False, **kwargs):
        self.past = past
        super().__init__(**kwargs)

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
