"""Values people mistype are refused with a message, in the pages and the admin alike: amounts
that are not whole đồng ("1000.5" was 10.005 ₫), dates of year 1 or 9999, a birth year still to
come, a login name longer than any user's (it was a 500)."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from activities.admin.money import DonationAdmin
from core.fields import (
    EARLIEST_DATE,
    BirthYearFormField,
    PlausibleDateField,
    VndField,
    latest_date,
    parse_vnd,
)
from households.models import Member
from outreach.models import Donation
from tests.admin.pages import _form_data, _url
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

MONEY_MESSAGE = "Enter a whole number of đồng, e.g. 1.500.000."


def _vi(message: str, **params) -> str:
    with override("vi"):
        text = gettext(message)
    return text % params if params else text


# --- Money ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1000000", 1_000_000),
        ("1.000.000", 1_000_000),
        ("1 000 000", 1_000_000),
        ("1\u00a0000\u00a0000", 1_000_000),
        ("1.500.000 ₫", 1_500_000),
        ("500.000đ", 500_000),
        ("70 000 000 VND", 70_000_000),
        ("999", 999),
        ("0", 0),
    ],
)
def test_whole_dong_with_vietnamese_separators_are_read(typed, amount):
    with override("vi"):
        assert parse_vnd(typed) == amount
        assert VndField().clean(typed) == amount


@pytest.mark.parametrize(
    "typed",
    [
        "1000.5",
        "10.00",
        "1.0000",
        "1.000.00",
        "1.000 000",
        "1,5",
        "1,000,000",
        "-5",
        "+5",
        "5e3",
        "1..000",
        ".000",
        "1000.",
        "١٠٠٠",
        "abc",
    ],
)
def test_decimals_misplaced_separators_and_signs_are_refused_in_vietnamese(typed):
    with override("vi"):
        assert parse_vnd(typed) is None
        with pytest.raises(ValidationError, match=r"1\.500\.000") as refused:
            VndField().clean(typed)
        assert refused.value.messages == [_vi(MONEY_MESSAGE)]


def test_english_pages_also_take_commas_between_thousands():
    with override("en"):
        assert parse_vnd("1,000,000") == 1_000_000
        assert parse_vnd("1,000.5") is None
        assert parse_vnd("1,00") is None


def test_a_donation_page_refuses_1000_point_5_and_saves_nothing(client, staff_user, partnership):
    client.force_login(staff_user)
    response = client.post(
        reverse("activities:donation-create"),
        {
            "partnership": partnership.pk,
            "partner": PartnerFactory().pk,
            "kind": "cash",
            "received_on": "2024-03-01",
            "value_vnd": "1000.5",
            "reference": "UNC 12",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["value_vnd"] == [_vi(MONEY_MESSAGE)]
    assert _vi(MONEY_MESSAGE) in response.content.decode()
    assert not Donation.objects.exists()


def test_every_money_field_of_the_admin_is_the_same_field(rf, admin_user):
    """formfield() of the *_vnd model fields: the admin needs no override to refuse "1000.5"."""
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    form = admin.site._registry[Donation].get_form(request)()
    assert isinstance(admin.site._registry[Donation], DonationAdmin)
    assert type(form.fields["value_vnd"]) is VndField
    # A text box: a number box would refuse "1.000.000" in the browser.
    assert 'type="text"' in str(form["value_vnd"])


def test_the_admin_refuses_a_decimal_amount_and_saves_nothing(client, admin_user, partnership):
    client.force_login(admin_user)
    page = client.get(_url(Donation, "add"))
    data = _form_data(
        page,
        partnership=partnership.pk,
        partner=PartnerFactory().pk,
        kind=Donation.Kind.CASH,
        received_on="2024-05-10",
        value_vnd="10.00",
    )
    response = client.post(_url(Donation, "add"), data)
    assert response.status_code == 200
    assert _vi(MONEY_MESSAGE) in response.content.decode()
    assert not Donation.objects.exists()


# --- Dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999", "31/12/1899", "0001-01-01"])
def test_dates_outside_a_plausible_range_are_refused(typed):
    with override("vi"), pytest.raises(ValidationError, match="01/01/1900") as refused:
        PlausibleDateField().clean(typed)
    (message,) = refused.value.messages
    assert message == _vi(
        "Enter a date from %(earliest)s to %(latest)s.",
        earliest="01/01/1900",
        latest=latest_date(past=False).strftime("%d/%m/%Y"),
    )


def test_dates_in_range_are_read_as_before_day_first():
    with override("vi"):
        field = PlausibleDateField()
        assert field.clean("05/03/2024") == datetime.date(2024, 3, 5)
        assert field.clean("2024-03-05") == datetime.date(2024, 3, 5)
        assert field.clean("01/01/1900") == EARLIEST_DATE
        assert field.clean(latest_date(past=False).strftime("%d/%m/%Y"))


def test_what_already_happened_cannot_be_dated_tomorrow():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with override("vi"), pytest.raises(ValidationError, match=r"\d\d/\d\d/\d{4}") as refused:
        PlausibleDateField(past=True).clean(tomorrow.strftime("%d/%m/%Y"))
    assert refused.value.messages == [
        _vi(
            "The date cannot be after today (%(today)s).",
            today=timezone.localdate().strftime("%d/%m/%Y"),
        )
    ]


def test_a_donation_dated_year_9999_is_refused_and_nothing_saved(client, staff_user, partnership):
    client.force_login(staff_user)
    response = client.post(
        reverse("activities:donation-create"),
        {
            "partnership": partnership.pk,
            "partner": PartnerFactory().pk,
            "kind": "cash",
            "received_on": "9999-12-31",
            "value_vnd": "1.000.000",
            "reference": "UNC 12",
        },
    )
    assert response.status_code == 200
    assert "received_on" in response.context["form"].errors
    assert not Donation.objects.exists()


def test_the_admin_refuses_year_one_and_saves_nothing(client, admin_user, partnership):
    client.force_login(admin_user)
    data = _form_data(
        client.get(_url(Donation, "add")),
        partnership=partnership.pk,
        partner=PartnerFactory().pk,
        kind=Donation.Kind.CASH,
        received_on="01/01/0001",
        value_vnd="1.000.000",
    )
    response = client.post(_url(Donation, "add"), data)
    assert response.status_code == 200
    assert not Donation.objects.exists()


def test_every_date_a_model_form_shows_is_bounded():
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        if model._meta.app_label not in {"outreach", "households", "activities"}:
            continue
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            is_date = isinstance(field, models.DateField) and not isinstance(
                field, models.DateTimeField
            )
            if is_date and field.editable:
                assert isinstance(field.formfield(), PlausibleDateField), field


def test_a_birth_year_still_to_come_is_refused():
    next_year = timezone.localdate().year + 1
    with override("vi"), pytest.raises(ValidationError, match=str(next_year - 1)) as refused:
        BirthYearFormField().clean(str(next_year))
    assert refused.value.messages == [
        _vi(
            "The year of birth cannot be after this year (%(year)s).",
            year=timezone.localdate().year,
        )
    ]
    assert isinstance(Member._meta.get_field("birth_year").formfield(), BirthYearFormField)
    assert BirthYearFormField().clean(str(next_year - 1)) == next_year - 1


# --- Login name -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [reverse("login"), "/admin/login/"])
def test_a_login_name_of_300_characters_is_a_form_error_not_a_500(client, staff_user, url):
    response = client.post(url, {"username": "a" * 300, "password": "whatever"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        _vi("A login name has at most %(limit_value)d characters.", limit_value=150)
    ]
    assert not AccessAttempt.objects.exists()
    assert "_auth_user_id" not in client.session


def test_a_login_name_of_the_longest_length_still_logs_in(client):
    name = "n" * get_user_model()._meta.get_field("username").max_length
    get_user_model().objects.create_user(name, password="bacung-test-pass")
    response = client.post(reverse("login"), {"username": name, "password": "bacung-test-pass"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
