"""Vietnamese mobile numbers, written as people write them and stored as providers want them.

``0912 345 678``, ``+84 912345678``, ``84912345678`` and ``(+84) 912.345.678`` are one number:
``84912345678`` (the country code and the nine digits after the leading 0), which is what Zalo's
template messages and the SMS brandname providers take. A number that is not a Vietnamese mobile
number is refused with the reason, so that the person typing it can correct it.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# What may separate groups of digits as people write them.
_SEPARATORS = re.compile(r"[\s.\-()/]")
# The mobile networks' prefixes since the 2018 renumbering (03x Viettel, 05x Vietnamobile and
# Reddi, 07x MobiFone, 08x VinaPhone and others, 09x all): after the 0, nine digits.
_MOBILE = re.compile(r"[35789][0-9]{8}")


def normalise_phone(value: str) -> str:
    """Return ``value`` as ``84`` and the nine digits of a Vietnamese mobile number, or raise
    ``ValidationError`` saying why it is not one. An empty value stays empty."""
    text = (value or "").strip()
    if not text:
        return ""
    digits = _SEPARATORS.sub("", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("84"):
            raise ValidationError(
                _("Only Vietnamese numbers (+84) can receive messages from the office."),
                code="foreign",
            )
    if not digits.isdigit():
        raise ValidationError(
            _("A phone number has only digits, spaces, dots and dashes: %(value)s"),
            code="characters",
            params={"value": text},
        )
    # Before the lengths: a landline with its area code (024 3823 4567) has 11 digits too.
    if digits.startswith(("02", "842", "8402")):
        raise ValidationError(
            _("This is a landline number: messages go only to a mobile number."),
            code="landline",
        )
    if digits.startswith("84") and len(digits) == 11:
        national = digits[2:]
    elif digits.startswith("840") and len(digits) == 12:
        national = digits[3:]  # +84 0912 345 678: the 0 kept after the country code
    elif digits.startswith("0") and len(digits) == 10:
        national = digits[1:]
    elif (digits.startswith("01") and len(digits) == 11) or (
        digits.startswith(("841", "8401")) and len(digits) in (12, 13)
    ):
        raise ValidationError(
            _(
                "This number has 11 digits: mobile numbers have 10 since 2018 (e.g. 0162… "
                "became 0362…). Enter the new number."
            ),
            code="old_prefix",
        )
    else:
        raise ValidationError(
            _(
                "Enter a mobile number of 10 digits starting with 0, such as 0912 345 678, "
                "or +84 followed by the number without its 0."
            ),
            code="length",
        )
    if national.startswith("2"):
        raise ValidationError(
            _("This is a landline number: messages go only to a mobile number."),
            code="landline",
        )
    if not _MOBILE.fullmatch(national):
        raise ValidationError(
            _(
                "%(value)s is not a Vietnamese mobile number "
                "(they start with 03, 05, 07, 08 or 09)."
            ),
            code="prefix",
            params={"value": text},
        )
    return "84" + national


def validate_mobile_phone(value: str) -> None:
    """Refuse a value that is not a Vietnamese mobile number (any way of writing it)."""
    normalise_phone(value)


def display_phone(value: str) -> str:
    """Return a stored ``84…`` number as people read it: ``0912 345 678``."""
    if not (value and value.startswith("84") and len(value) == 11):
        return value or ""
    national = "0" + value[2:]
    return f"{national[:4]} {national[4:7]} {national[7:]}"


def masked_phone(value: str) -> str:
    """Return a stored number with its middle digits hidden (``0912 *** 678``), for pages that
    confirm a message was sent to a number without telling who has it."""
    shown = display_phone(value)
    if len(shown) != 12:
        return "***"
    return f"{shown[:4]} *** {shown[9:]}"


class MobilePhoneFormField(forms.CharField):
    """A form field that takes a mobile number as people write it and cleans it to ``84…``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "help_text", _("A mobile number, e.g. 0912 345 678; for Zalo and SMS messages.")
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def prepare_value(self, value):
        return display_phone(value) if isinstance(value, str) else value

    def clean(self, value):
        return normalise_phone(super().clean(value))

    def has_changed(self, initial, data):
        # "0912 345 678" typed over a stored "84912345678" is no change (no history row).
        try:
            typed = normalise_phone(data or "")
        except ValidationError:
            return True
        return (initial or "") != typed


class MobilePhoneField(models.CharField):
    """A model field holding a Vietnamese mobile number as ``84…``, blank when there is none.

    ``full_clean`` refuses a number that is not a mobile one; forms clean what people type
    (``0912 345 678``) to the stored form.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_mobile_phone)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 30:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            try:
                value = normalise_phone(value)
            except ValidationError:
                return value  # kept as typed; full_clean() is where it is refused
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MobilePhoneFormField, **kwargs})
