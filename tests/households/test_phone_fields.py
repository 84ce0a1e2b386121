"""A household's and a member's mobile number, wherever it is typed (the pages, the admin, the
import, the services): stored as 84…, shown as 0912 345 678, refused with the reason when it is
not a Vietnamese mobile number, and nothing saved then."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from households import imports, services
from households.models import Household, Member
from tests import factories as f
from tests.admin.pages import _errors, _form_data, _url
from tests.background.helpers import household_file

pytestmark = pytest.mark.django_db

LANDLINE = "This is a landline number: messages go only to a mobile number."


@pytest.fixture
def village(partnership):
    return f.VillageFactory(commune=partnership.commune, name="Pác Hợp")


@pytest.fixture
def household(village):
    return f.HouseholdFactory(
        village=village, code="LP-0101", head_name="Ma Đình Liệu", phone="0912 345 678"
    )


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    return client


def _household_data(village, **overrides) -> dict:
    return {
        "village": village.pk,
        "code": "LP-0200",
        "head_name": "Nông Văn Sáng",
        "address": "Xóm Trên",
        "phone": "+84 912.345.678",
        "housing_condition": "",
        "notes": "",
        **overrides,
    }


def _member_data(**overrides) -> dict:
    return {
        "full_name": "Ma Thị Hoa",
        "sex": Member.Sex.FEMALE,
        "birth_year": 1985,
        "relation": Member.Relation.SPOUSE,
        "ethnicity": Member.Ethnicity.TAY,
        "phone": "0987-654-321",
        "national_id": "",
        **overrides,
    }


# --- The model and the services -------------------------------------------------------------


def test_a_number_saved_in_any_spelling_is_stored_as_84(household):
    household.refresh_from_db()
    assert household.phone == "84912345678"


def test_the_service_refuses_a_landline_and_saves_nothing(staff_user, village):
    with translation.override("en"), pytest.raises(ValidationError, match="landline number"):
        services.household_create(
            actor=staff_user, village=village, code="LP-9", head_name="A", phone="024 3823 4567"
        )
    assert not Household.objects.exists()


def test_the_member_services_take_and_check_the_number(staff_user, household):
    member = services.member_add(
        actor=staff_user,
        household=household,
        full_name="Ma Thị Hoa",
        sex=Member.Sex.FEMALE,
        birth_year=1985,
        relation=Member.Relation.SPOUSE,
        phone="+84 (0) 362 123 456",
    )
    member.refresh_from_db()
    assert member.phone == "84362123456"
    with translation.override("en"), pytest.raises(ValidationError, match="11 digits"):
        services.member_update(actor=staff_user, member=member, phone="0162 345 6789")
    member.refresh_from_db()
    assert member.phone == "84362123456"


# --- The pages ------------------------------------------------------------------------------


def test_a_household_registered_on_the_page_stores_84_and_shows_0912(staff, village):
    response = staff.post(reverse("households:household-create"), _household_data(village))
    assert response.status_code == 302
    household = Household.objects.get(code="LP-0200")
    assert household.phone == "84912345678"
    page = staff.get(reverse("households:household-detail", args=[household.pk])).content.decode()
    assert "0912 345 678" in page
    assert 'href="tel:0912345678"' in page
    assert "84912345678" not in page
    printed = staff.get(reverse("households:household-print", args=[household.pk]))
    assert "0912 345 678" in printed.content.decode()
    form = staff.get(reverse("households:household-update", args=[household.pk])).content.decode()
    assert 'value="0912 345 678"' in form
    assert 'inputmode="tel"' in form


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("024 3823 4567", "This is a landline number"),
        ("0162 345 6789", "mobile numbers have 10 since 2018"),
        ("+1 202 555 0123", "Only Vietnamese numbers (+84)"),
        ("gọi cho tôi", "only digits, spaces, dots and dashes"),
        ("0912 345", "Enter a mobile number of 10 digits"),
    ],
)
def test_a_bad_number_on_the_household_form_is_refused_with_the_reason(
    staff, household, typed, reason
):
    url = reverse("households:household-update", args=[household.pk])
    data = _household_data(household.village, code=household.code, phone=typed, notes="Mới")
    response = staff.post(url, data)
    assert response.status_code == 200
    assert reason in " ".join(response.context["form"].errors["phone"])
    assert reason in response.content.decode().replace("&#x27;", "'")
    assert f'value="{typed}"' in response.content.decode()  # kept, to correct it
    household.refresh_from_db()
    assert (household.phone, household.notes) == ("84912345678", "")


def test_retyping_the_stored_number_another_way_changes_nothing(staff, household):
    before = household.history.count()
    url = reverse("households:household-update", args=[household.pk])
    data = _household_data(
        household.village,
        code=household.code,
        head_name=household.head_name,
        address=household.address,
        housing_condition=household.housing_condition,
        notes=household.notes,
        phone="0912.345.678",
    )
    assert staff.post(url, data).status_code == 302
    household.refresh_from_db()
    assert household.phone == "84912345678"
    assert household.history.count() == before


def test_a_number_kept_from_before_is_shown_as_typed_and_saving_asks_for_a_mobile_one(
    staff, household
):
    # The migration left a landline as it was typed.
    Household.objects.filter(pk=household.pk).update(phone="0207 3822 111")
    page = staff.get(reverse("households:household-detail", args=[household.pk]))
    assert "0207 3822 111" in page.content.decode()
    url = reverse("households:household-update", args=[household.pk])
    data = _household_data(household.village, code=household.code, phone="0207 3822 111")
    response = staff.post(url, data)
    assert response.status_code == 200
    assert LANDLINE in response.context["form"].errors["phone"]


def test_a_member_added_on_the_page_has_their_number_stored_and_shown(staff, household):
    url = reverse("households:member-create", args=[household.pk])
    assert staff.post(url, _member_data()).status_code == 302
    member = household.members.get()
    assert member.phone == "84987654321"
    page = staff.get(reverse("households:household-detail", args=[household.pk])).content.decode()
    assert "0987 654 321" in page
    assert "Mobile number" in page
    form = staff.get(reverse("households:member-update", args=[member.pk])).content.decode()
    assert 'value="0987 654 321"' in form


def test_a_cadre_reads_the_members_number_as_people_read_it(client, cadre_user, household):
    member = f.MemberFactory(household=household, phone="84987654321")
    client.force_login(cadre_user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("households:member-update", args=[member.pk])).content.decode()
    assert "0987 654 321" in page
    assert "84987654321" not in page


def test_a_bad_member_number_is_refused_and_nothing_saved(staff, household):
    url = reverse("households:member-create", args=[household.pk])
    response = staff.post(url, _member_data(phone="028 3822 1111"))
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [LANDLINE]
    assert not household.members.exists()


def test_a_member_of_another_commune_is_not_found(staff):
    outside = f.MemberFactory(phone="84987654321")
    url = reverse("households:member-update", args=[outside.pk])
    assert staff.get(url).status_code == 404
    assert staff.post(url, _member_data(phone="0912 000 111")).status_code == 404
    outside.refresh_from_db()
    assert outside.phone == "84987654321"


# --- The admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    return client


def test_the_admin_stores_the_household_number_as_84(admin_client, household):
    page = admin_client.get(_url(Household, "change", household.pk))
    assert 'value="0912 345 678"' in page.content.decode()
    data = _form_data(page, phone="(+84) 987-654-321")
    response = admin_client.post(_url(Household, "change", household.pk), data)
    assert response.status_code == 302, _errors(response)
    household.refresh_from_db()
    assert household.phone == "84987654321"


def test_the_admin_refuses_a_bad_household_number(admin_client, household):
    page = admin_client.get(_url(Household, "change", household.pk))
    data = _form_data(page, phone="024 3823 4567", notes="Đổi")
    response = admin_client.post(_url(Household, "change", household.pk), data)
    assert LANDLINE in _errors(response)
    household.refresh_from_db()
    assert (household.phone, household.notes) == ("84912345678", "")


def test_the_admin_checks_a_members_number(admin_client, household):
    member = f.MemberFactory(household=household)
    page = admin_client.get(_url(Member, "change", member.pk))
    response = admin_client.post(_url(Member, "change", member.pk), _form_data(page, phone="12"))
    assert "Enter a mobile number of 10 digits" in _errors(response)
    member.refresh_from_db()
    assert member.phone == ""
    response = admin_client.post(
        _url(Member, "change", member.pk), _form_data(page, phone="0888 123 456")
    )
    assert response.status_code == 302, _errors(response)
    member.refresh_from_db()
    assert member.phone == "84888123456"


# --- The import -----------------------------------------------------------------------------

_ROW = {"Thôn": "Pác Hợp"}
ROWS = [
    {**_ROW, "Mã hộ": "LP-001", "Họ tên chủ hộ": "Ma Đình Liệu", "Điện thoại": "0912 345 678"},
    {**_ROW, "Mã hộ": "LP-002", "Họ tên chủ hộ": "Hoàng Thị Nga", "Điện thoại": "024 3823 4567"},
    {**_ROW, "Mã hộ": "LP-003", "Họ tên chủ hộ": "Lò Văn Páo", "Điện thoại": "+84 362.123.456"},
]


def test_an_imported_row_with_a_bad_number_has_the_reason_in_vietnamese(partnership, village):
    parsed = imports.read_file(household_file(ROWS), "ho.csv")
    with translation.override("vi"):
        checked = imports.check_in_batches(parsed, partnership.commune)
        expected = translation.gettext(LANDLINE)
    outcomes = [item.outcome for item in checked]
    assert outcomes == ["new", "error", "new"]
    [error] = checked[1].report()["errors"]
    assert error == {"column": "Điện thoại", "message": expected}
    assert checked[0].household.phone == "84912345678"
    assert checked[2].household.phone == "84362123456"


def test_the_import_stores_nothing_of_a_row_with_a_bad_number(partnership, village):
    preview = services.household_import_start(
        actor=None, commune=partnership.commune, content=household_file(ROWS), filename="ho.csv"
    )
    services.household_import_check(job_id=preview.pk)
    preview.refresh_from_db()
    job = services.household_import_confirm(actor=None, preview=preview, valid_only=True)
    services.household_import_run(job_id=job.pk)
    stored = dict(Household.objects.values_list("code", "phone"))
    assert stored == {"LP-001": "84912345678", "LP-003": "84362123456"}


def test_importing_the_same_numbers_again_changes_nothing(partnership, village):
    content = household_file([ROWS[0], ROWS[2]])
    job = services.household_import_file(
        actor=None, commune=partnership.commune, content=content, filename="ho.csv"
    )
    services.household_import_run(job_id=job.pk)
    assert Household.objects.count() == 2
    # Read again, 0912 345 678 is the stored 84912345678: no update.
    checked = imports.check_in_batches(imports.read_file(content, "ho.csv"), partnership.commune)
    assert [item.outcome for item in checked] == ["unchanged", "unchanged"]
