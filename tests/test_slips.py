"""The small slips of issue 16: names read family name first, the login page's button and
messages, "₫" that never wraps alone, and the filters' "All"."""

import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.money import format_vnd
from tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "bacung-test-pass"  # tests.factories.UserFactory's
NBSP = "\u00a0"


# --- Names: one field, family name first ----------------------------------------------------------


def test_the_donation_page_shows_who_recorded_it_family_name_first(client, staff_user, partnership):
    staff_user.first_name, staff_user.last_name = "Nguyễn Thị Thu Hà", ""
    staff_user.save()
    donation = f.DonationFactory(partnership=partnership, created_by=staff_user)
    client.force_login(staff_user)

    html = client.get(reverse("activities:donation-detail", args=[donation.pk])).content.decode()

    assert re.search(r"Người ghi</dt><dd[^>]*>Nguyễn Thị Thu Hà</dd>", html)
    assert "Hà Nguyễn Thị Thu" not in html


def test_a_name_still_in_two_parts_reads_family_name_first_on_every_page(
    client, staff_user, partnership
):
    # A row made outside the admin (a script): Django's last_name is the family name.
    staff_user.first_name, staff_user.last_name = "Hà", "Nguyễn Thị Thu"
    staff_user.save()
    donation = f.DonationFactory(partnership=partnership, created_by=staff_user)
    client.force_login(staff_user)

    html = client.get(reverse("activities:donation-detail", args=[donation.pk])).content.decode()

    assert "Nguyễn Thị Thu Hà</dd>" in html
    assert "Hà Nguyễn Thị Thu" not in html


def test_no_template_puts_the_given_name_first():
    """get_full_name() writes first_name first: pages show users through display_name."""
    root = settings.BASE_DIR / "templates"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and re.search(r"get_full_name|\.first_name|\.last_name", path.read_text())
    ]
    assert offenders == []


def test_the_migration_joins_the_two_parts_family_name_first():
    migration = importlib.import_module("core.migrations.0004_users_full_name")
    User = get_user_model()
    split = f.UserFactory(username="split", first_name="Hà", last_name="Nguyễn Thị Thu")
    whole = f.UserFactory(username="whole", first_name="Ma Văn Thắng", last_name="")
    family_only = f.UserFactory(username="family", first_name="", last_name="Lò Thị")
    nameless = f.UserFactory(username="nameless", first_name="", last_name="")

    migration.join_names(apps, None)

    names = dict(User.objects.values_list("username", "first_name"))
    assert names["split"] == "Nguyễn Thị Thu Hà"
    assert names["whole"] == "Ma Văn Thắng"
    assert names["family"] == "Lò Thị"
    assert names["nameless"] == ""
    assert not User.objects.exclude(last_name="").exists()
    split.refresh_from_db()
    assert split.get_full_name() == "Nguyễn Thị Thu Hà"

    migration.split_names(apps, None)
    split.refresh_from_db()
    whole.refresh_from_db()
    family_only.refresh_from_db()
    nameless.refresh_from_db()
    assert (split.last_name, split.first_name) == ("Nguyễn Thị Thu", "Hà")
    assert (whole.last_name, whole.first_name) == ("Ma Văn", "Thắng")
    assert (nameless.last_name, nameless.first_name) == ("", "")


def test_the_admin_asks_for_the_full_name_in_one_box(admin_client_logged_in, staff_user):
    url = reverse("admin:auth_user_change", args=[staff_user.pk])
    page = admin_client_logged_in.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="first_name"' in html
    assert 'name="last_name"' not in html
    with translation.override("vi"):
        assert 'for="id_first_name"' in html

    changelist = admin_client_logged_in.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "column-last_name" not in changelist
    assert "column-full_name" in changelist


def test_a_user_added_in_the_admin_gets_the_whole_name(admin_client_logged_in):
    response = admin_client_logged_in.post(
        reverse("admin:auth_user_add"),
        {
            "username": "thuha",
            "first_name": "Nguyễn Thị Thu Hà",
            "usable_password": "true",
            "password1": "một-mật-khẩu-dài-2026",
            "password2": "một-mật-khẩu-dài-2026",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="thuha")
    assert (user.first_name, user.last_name) == ("Nguyễn Thị Thu Hà", "")
    assert user.get_full_name() == "Nguyễn Thị Thu Hà"


@pytest.fixture
def admin_client_logged_in(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def test_the_demo_accounts_have_whole_names_family_name_first():
    from demo import data

    names = {username: full for username, _group, _staff, _super, full in data.ACCOUNTS}
    assert names["staff"] == "Nguyễn Thị Thu Hà"
    assert names["cadre"] == "Ma Văn Thắng"


# --- The login page ------------------------------------------------------------------------------


def _login(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_the_login_button_is_the_primary_button_full_width(client):
    html = client.get(reverse("login")).content.decode()
    (button,) = re.findall(r"<button[^>]*type=\"submit\"[^>]*>", html.split("<main", 1)[-1])
    classes = re.search(r'class="([^"]*)"', button).group(1).split()
    # btn-lg: 48 px tall (Bootstrap's 1.25rem × 1.5 line height + padding), at least 44 px.
    assert {"btn", "btn-primary", "btn-lg", "w-100"} <= set(classes)


def test_a_wrong_password_says_so_plainly_and_how_many_tries_are_left(client, staff_user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _login(client, staff_user.username, "wrong-password")

    assert response.status_code == 200
    html = response.content.decode()
    assert "The login name or the password is not right." in html
    assert "Note that both fields may be case-sensitive" not in html
    left = settings.AXES_FAILURE_LIMIT - 1
    assert f"You have {left} more tries; after that the account is locked for 30 minutes" in html


def test_the_count_goes_down_to_the_last_try_then_the_lockout_page(client, staff_user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _attempt in range(1, settings.AXES_FAILURE_LIMIT - 1):
        _login(client, staff_user.username, "wrong-password")
    last = _login(client, staff_user.username, "wrong-password").content.decode()
    assert "You have 1 more try; after that" in last

    locked = _login(client, staff_user.username, "wrong-password")

    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed login attempts" in html
    assert "more try" not in html


def test_the_count_is_per_username_and_address(client, staff_user, cadre_user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _login(client, staff_user.username, "wrong-password")
    _login(client, staff_user.username, "wrong-password")
    other = _login(client, cadre_user.username, "wrong-password").content.decode()
    assert f"You have {settings.AXES_FAILURE_LIMIT - 1} more tries" in other


def test_no_tries_are_promised_when_axes_does_not_count(client, staff_user, settings):
    settings.AXES_NEVER_LOCKOUT_WHITELIST = True
    settings.AXES_IP_WHITELIST = ["127.0.0.1"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _login(client, staff_user.username, "wrong-password").content.decode()
    assert "The login name or the password is not right." in html
    assert "more tries" not in html


# --- "₫" never alone on a line -----------------------------------------------------------------


def test_money_joins_the_amount_and_the_symbol_with_a_no_break_space():
    assert format_vnd(70_000_000) == f"70.000.000{NBSP}₫"
    assert format_vnd(-5_000) == f"-5.000{NBSP}₫"
    assert " " not in format_vnd(1_234_567)
    rendered = Template("{% load money %}{{ amount|vnd }}").render(Context({"amount": 1_500_000}))
    assert rendered == f"1.500.000{NBSP}₫"


def test_a_money_cell_on_a_page_cannot_break_before_the_symbol(client, staff_user, partnership):
    donation = f.DonationFactory(partnership=partnership, value_vnd=70_000_000)
    client.force_login(staff_user)
    html = client.get(reverse("activities:donation-detail", args=[donation.pk])).content.decode()
    assert f"70.000.000{NBSP}₫" in html
    assert "70.000.000 ₫" not in html


def test_a_pdf_keeps_the_amount_and_the_symbol_together():
    """fpdf2 breaks lines at plain spaces, not at no-break ones: in a cell just too narrow for
    the whole line, the amount goes down with its "₫" instead of leaving it alone below."""
    from core.pdf import FONT, document

    pdf = document("Thử")
    pdf.set_font(FONT, "", 10)
    width = pdf.get_string_width("Giá trị: 70.000.000") + 2 * pdf.c_margin + 1
    amount = format_vnd(70_000_000)

    def lines(text):
        return pdf.multi_cell(width, 5, text, dry_run=True, output="LINES")

    # (fpdf2 draws the no-break space as a space.)
    assert lines(f"Giá trị: {amount}") == ["Giá trị:", "70.000.000 ₫"]
    # What a plain space did.
    assert lines("Giá trị: 70.000.000 ₫") == ["Giá trị: 70.000.000", "₫"]
