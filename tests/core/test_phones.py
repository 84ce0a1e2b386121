"""Vietnamese mobile numbers as people write them (core.phones): one stored form, 84…, and a
reason for every number that is not one."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from core.phones import (
    MobilePhoneFormField,
    display_phone,
    masked_phone,
    normalise_phone,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "typed",
    [
        # The three spellings of the issue.
        "0912 345 678",
        "+84 912345678",
        "84912345678",
        # Separators as people type them.
        "0912345678",
        "0912.345.678",
        "0912-345-678",
        "(+84) 912.345.678",
        "(091) 234-5678",
        "+84-912-345-678",
        " 0912 345 678 ",
        "+84 0912 345 678",  # the 0 kept after the country code
    ],
)
def test_every_way_of_writing_a_number_is_one_number(typed):
    assert normalise_phone(typed) == "84912345678"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0362 123 456", "84362123456"),  # Viettel since 2018 (was 0162…)
        ("0523 456 789", "84523456789"),  # Vietnamobile
        ("0701 234 567", "84701234567"),  # MobiFone
        ("0888 123 456", "84888123456"),  # VinaPhone
        ("+84 987 654 321", "84987654321"),
    ],
)
def test_each_networks_prefix_is_a_mobile_number(typed, stored):
    assert normalise_phone(typed) == stored


def test_an_empty_number_stays_empty():
    assert normalise_phone("") == ""
    assert normalise_phone("   ") == ""
    assert normalise_phone(None) == ""


@pytest.mark.parametrize(
    ("typed", "code", "reason"),
    [
        ("024 3823 4567", "landline", r"This is a landline number"),
        ("0207 3822 111", "landline", r"This is a landline number"),
        ("+84 24 3823 4567", "landline", r"This is a landline number"),
        ("0243823456", "landline", r"This is a landline number"),
        ("0162 345 6789", "old_prefix", r"mobile numbers have 10 since 2018"),
        ("01623456789", "old_prefix", r"0162… became 0362…"),
        ("+84 162 345 6789", "old_prefix", r"mobile numbers have 10 since 2018"),
        ("+1 202 555 0123", "foreign", r"Only Vietnamese numbers \(\+84\)"),
        ("+33 6 12 34 56 78", "foreign", r"Only Vietnamese numbers \(\+84\)"),
        ("gọi tôi", "characters", r"only digits, spaces, dots and dashes: gọi tôi"),
        ("0912 ABC 678", "characters", r"only digits, spaces, dots and dashes"),
        ("0912 345", "length", r"Enter a mobile number of 10 digits starting with 0"),
        ("12345", "length", r"Enter a mobile number of 10 digits starting with 0"),
        ("0912 345 6789", "length", r"Enter a mobile number of 10 digits"),
        ("0112 345 678", "prefix", r"is not a Vietnamese mobile number \(they start with 03"),
        ("0412 345 678", "prefix", r"0412 345 678 is not a Vietnamese mobile number"),
    ],
)
def test_a_number_that_is_not_a_vietnamese_mobile_one_is_refused_with_the_reason(
    typed, code, reason
):
    with pytest.raises(ValidationError, match=reason) as caught:
        normalise_phone(typed)
    assert caught.value.code == code


def test_the_reason_is_given_in_vietnamese_on_vietnamese_pages():
    with translation.override("en"), pytest.raises(ValidationError, match="landline") as english:
        normalise_phone("024 3823 4567")
    with translation.override("vi"):
        with pytest.raises(ValidationError, match="máy bàn") as vietnamese:
            normalise_phone("024 3823 4567")
        # The message is lazy: read in the language of the page that shows it.
        assert vietnamese.value.messages == [
            "Đây là số máy bàn: tin nhắn chỉ gửi được tới số di động."
        ]
    assert english.value.code == vietnamese.value.code == "landline"


@pytest.mark.parametrize(
    ("stored", "shown", "masked"),
    [
        ("84912345678", "0912 345 678", "0912 *** 678"),
        ("84362123456", "0362 123 456", "0362 *** 456"),
        ("", "", "***"),
        ("0207 3822 111", "0207 3822 111", "***"),  # kept as typed before the migration
    ],
)
def test_a_stored_number_is_shown_as_people_read_it(stored, shown, masked):
    assert display_phone(stored) == shown
    assert masked_phone(stored) == masked


class _Form(forms.Form):
    phone = MobilePhoneFormField(required=False)


def test_the_form_field_cleans_to_the_stored_form_and_shows_the_readable_one():
    form = _Form(data={"phone": "+84 912.345.678"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "84912345678"
    html = str(_Form(initial={"phone": "84912345678"})["phone"])
    assert 'value="0912 345 678"' in html
    assert 'inputmode="tel"' in html


def test_the_form_field_puts_the_reason_on_the_field():
    form = _Form(data={"phone": "024 3823 4567"})
    assert not form.is_valid()
    assert form.errors["phone"] == [
        "This is a landline number: messages go only to a mobile number."
    ]


def test_retyping_the_stored_number_another_way_is_no_change():
    field = _Form.base_fields["phone"]
    assert not field.has_changed("84912345678", "0912 345 678")
    assert field.has_changed("84912345678", "0987 654 321")
    assert field.has_changed("84912345678", "not a number")
