"""The office's public profile: who to call, shown by /verify/ on every answer, kept by
administrators through site_profile_update with its history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from channel.models import SiteProfile
from channel.selectors import site_profile_get
from channel.services import site_profile_update
from tests.channel.factories import ReportLinkCodeFactory
from tests.factories import AssetFactory, DistributionFactory, ReceiptFactory

pytestmark = pytest.mark.django_db
VERIFY = reverse("verify")
CHANGE = reverse("admin:channel_siteprofile_change", args=[SiteProfile.PK])
ADD = reverse("admin:channel_siteprofile_add")
DELETE = reverse("admin:channel_siteprofile_delete", args=[SiteProfile.PK])
FILLED = {
    "office_name": "Văn phòng Tỉnh ủy Tuyên Quang",
    "phone": "0207 3822 111",
    "address": "Tỉnh Tuyên Quang",
    "zalo_oa_name": "Văn phòng Tỉnh ủy Tuyên Quang OA",
    "verify_note": "Văn phòng không bao giờ gọi điện đòi tiền.",
}


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def english():
    # Messages are matched in the source language, whatever has been translated.
    with translation.override("en"):
        yield


@pytest.fixture
def profile(admin_user):
    return site_profile_update(actor=admin_user, **FILLED)


def _row() -> dict:
    return SiteProfile.objects.values().get()


def _code(kind, partnership):
    if kind == "distribution":
        return DistributionFactory(partnership=partnership).short_code
    if kind == "receipt":
        return ReceiptFactory(distribution__partnership=partnership).short_code
    if kind == "asset":
        return AssetFactory(partnership=partnership).short_code
    return ReportLinkCodeFactory().short_code


# --- The public page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(None, id="empty-form"),
        pytest.param("found", id="found"),
        pytest.param({"code": "K7Q2M9XA"}, id="not-found"),
        pytest.param({"code": ""}, id="invalid-empty"),
        pytest.param({"code": "X" * 21}, id="invalid-too-long"),
    ],
)
def test_every_answer_shows_the_offices_name_phone_address_and_zalo(
    en, profile, partnership, query
):
    if query == "found":
        query = {"code": DistributionFactory(partnership=partnership).short_code}
    response = en.get(VERIFY, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert FILLED["office_name"] in html
    assert '<a href="tel:02073822111" class="fw-bold fs-5">0207 3822 111</a>' in html
    assert FILLED["address"] in html
    assert FILLED["zalo_oa_name"] in html
    assert FILLED["verify_note"] in html
    assert "Ask the commune" not in html
    if query:
        assert ("Genuine" in html) == (query["code"] not in {"", "K7Q2M9XA", "X" * 21})


def test_invalid_input_says_what_is_wrong(en, profile):
    html = en.get(VERIFY, {"code": "X" * 21}).content.decode()
    assert "is-invalid" in html
    assert "at most 20 characters" in html


def test_without_a_phone_number_the_page_says_so_and_invents_none(en):
    for query in [None, {"code": "K7Q2M9XA"}]:
        html = en.get(VERIFY, query).content.decode()
        assert "official phone number has not been entered here yet" in html
        assert "tel:" not in html
        assert "Ask the commune" not in html


def test_a_phone_number_is_dialled_without_its_separators(en, admin_user):
    site_profile_update(actor=admin_user, office_name="Văn phòng", phone="+84 207.3822-111")
    html = en.get(VERIFY).content.decode()
    assert 'href="tel:+842073822111"' in html
    assert "+84 207.3822-111" in html


def test_the_field_is_the_code_printed_on_the_paper_not_a_household_code(client, en):
    assert "Code printed on the paper" in en.get(VERIFY).content.decode()
    # The old label's msgid ("Code") is translated "Mã hộ" (household code).
    assert "Mã hộ" not in client.get(VERIFY).content.decode()


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("distribution", "Distribution code (on the sign-off sheet)"),
        ("receipt", "Receipt code"),
        ("asset", "Asset label code"),
        ("report", "Donor report link code"),
    ],
)
def test_a_genuine_code_is_named_by_its_kind(en, partnership, kind, name):
    html = en.get(VERIFY, {"code": _code(kind, partnership)}).content.decode()
    assert "Genuine" in html
    assert f"Kind of code: <strong>{name}</strong>" in html


def test_the_distribution_page_names_its_code_as_the_distributions(client, staff_user, partnership):
    client.force_login(staff_user)
    distribution = DistributionFactory(partnership=partnership)
    url = reverse("activities:distribution-detail", args=[distribution.pk])
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert 'Distribution code</dt><dd class="col-sm-8 col-lg-9"><code class="short-code">' in html
    assert distribution.short_code in html


# --- The selector ------------------------------------------------------------------------------


def test_the_profile_is_read_in_one_query_and_is_blank_until_filled(
    django_assert_num_queries, admin_user
):
    with django_assert_num_queries(1):
        blank = site_profile_get()
    assert blank.pk is None
    assert blank.office_name == blank.phone == ""
    site_profile_update(actor=admin_user, **FILLED)
    with django_assert_num_queries(1):
        assert site_profile_get().phone == FILLED["phone"]


# --- The service -------------------------------------------------------------------------------


def test_the_first_update_creates_the_one_row_with_its_author(admin_user):
    profile = site_profile_update(actor=admin_user, **FILLED)
    assert profile.pk == SiteProfile.PK
    assert SiteProfile.objects.count() == 1
    created = profile.history.get()
    assert created.history_type == "+"
    assert created.history_user == admin_user


@pytest.mark.parametrize(
    "phone",
    [
        "0207 3822 111",
        "0912.345.678",
        "0912-345-678",
        "1900 1234",
        "1800 123 456",
        "+84 912 345 678",
    ],
)
def test_phone_numbers_as_people_dial_them_are_accepted(admin_user, phone):
    assert site_profile_update(actor=admin_user, office_name="VP", phone=phone).phone == phone


@pytest.mark.parametrize(
    "phone",
    [
        "12345",  # too short
        "0207 3822",  # a digit group missing
        "0207 3822 11a",  # a letter
        "912 345 678",  # no leading 0
        "+1 202 555 0100",  # not a Vietnamese number
        "gọi xã hỏi số",  # words
        "0207 3822 111 / 112",  # two numbers in one
    ],
)
def test_a_badly_written_phone_number_is_refused_and_nothing_changes(
    english, profile, admin_user, phone
):
    before, versions = _row(), profile.history.count()
    with pytest.raises(ValidationError, match="Enter a phone number people can dial"):
        site_profile_update(actor=admin_user, phone=phone, address="Somewhere else")
    assert _row() == before
    assert profile.history.count() == versions


def test_a_blank_office_name_is_refused_and_nothing_changes(english, profile, admin_user):
    before = _row()
    with pytest.raises(ValidationError, match="office_name"):
        site_profile_update(actor=admin_user, office_name="   ")
    assert _row() == before


def test_a_field_the_profile_does_not_have_is_refused(english, profile, admin_user):
    before = _row()
    with pytest.raises(ValidationError, match="cannot be changed here: email"):
        site_profile_update(actor=admin_user, email="x@example.org", phone="0912 345 678")
    assert _row() == before


def test_a_first_profile_with_a_bad_phone_is_not_created(english, admin_user):
    with pytest.raises(ValidationError, match="Enter a phone number people can dial"):
        site_profile_update(actor=admin_user, office_name="VP", phone="12345")
    assert not SiteProfile.objects.exists()


def test_a_change_is_recorded_and_an_unchanged_call_records_nothing(profile, admin_user):
    changed = site_profile_update(actor=admin_user, phone=" 0207 3822 112 ")
    assert changed.phone == "0207 3822 112"  # tidied
    assert profile.history.count() == 2
    assert profile.history.latest().prev_record.phone == FILLED["phone"]
    site_profile_update(actor=admin_user, **{**FILLED, "phone": "0207 3822 112"})
    assert profile.history.count() == 2


# --- The staff admin ---------------------------------------------------------------------------


def _form(**overrides) -> dict:
    return {**FILLED, **overrides, "_save": "Save"}


def test_the_admin_change_page_saves_through_the_service_and_keeps_history(en, admin_user, profile):
    en.force_login(admin_user)
    assert en.get(CHANGE).status_code == 200
    response = en.post(CHANGE, _form(phone="0207 3999 000"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.phone == "0207 3999 000"
    latest = profile.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == admin_user
    assert latest.prev_record.phone == FILLED["phone"]
    history = en.get(reverse("admin:channel_siteprofile_history", args=[profile.pk]))
    assert history.status_code == 200


def test_the_admin_shows_the_services_refusal_and_saves_nothing(en, admin_user, profile):
    en.force_login(admin_user)
    before, versions = _row(), profile.history.count()
    response = en.post(CHANGE, _form(phone="12345", address="Elsewhere"))
    assert response.status_code == 200
    assert "Enter a phone number people can dial" in response.content.decode()
    assert _row() == before
    assert profile.history.count() == versions


def test_the_admin_adds_the_row_once_and_never_deletes_it(en, admin_user):
    en.force_login(admin_user)
    assert en.get(ADD).status_code == 200
    assert en.post(ADD, _form()).status_code == 302
    profile = SiteProfile.objects.get()
    assert profile.history.get().history_user == admin_user
    assert en.get(ADD).status_code == 403
    assert en.get(DELETE).status_code == 403
    assert en.post(DELETE, {"post": "yes"}).status_code == 403
    assert SiteProfile.objects.exists()


@pytest.mark.parametrize(
    ("who", "get", "post"),
    [
        ("anonymous", 302, 302),  # to the admin's login
        ("cadre_user", 302, 302),  # not staff
        ("donor_user", 302, 302),
        ("staff_user", 404, 404),  # office staff: the row is not in their scope
        ("auditor_user", 200, 403),  # reads everything, changes nothing
    ],
)
def test_only_administrators_edit_the_profile(request, client, profile, who, get, post):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    before = _row()
    assert client.get(CHANGE).status_code == get
    assert client.post(CHANGE, _form(phone="0912 345 678")).status_code == post
    assert client.post(ADD, _form(phone="0912 345 678")).status_code in {302, 403}
    assert client.post(DELETE, {"post": "yes"}).status_code in {302, 403, 404}
    assert _row() == before
    assert SiteProfile.objects.count() == 1


def test_office_staff_cannot_create_a_missing_profile(client, staff_user):
    client.force_login(staff_user)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, _form()).status_code == 403
    assert not SiteProfile.objects.exists()
