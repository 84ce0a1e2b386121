"""The household registry, registering and editing households and members, the case file."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from activities.models import Photo
from households.models import CaseFileView, Household, Member, Status
from tests import factories as f

pytestmark = pytest.mark.django_db
NATIONAL_ID = "008123456789"


@pytest.fixture
def village(partnership):
    return f.VillageFactory(commune=partnership.commune, name="Pác Hợp")


@pytest.fixture
def household(village):
    return f.HouseholdFactory(village=village, code="LP-0101", head_name="Ma Đình Liệu")


def _english(client):
    client.cookies["django_language"] = "en"


# --- The registry ---------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["staff_user", "cadre_user", "auditor_user", "admin_user"])
def test_each_reading_role_sees_the_registry(client, request, fixture, household):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("households:household-list"))
    assert response.status_code == 200
    assert "LP-0101" in response.content.decode()


def test_donors_get_no_registry(client, donor_user, household):
    client.force_login(donor_user)
    assert client.get(reverse("households:household-list")).status_code == 403


def test_the_registry_lists_only_households_of_the_users_communes(client, cadre_user, household):
    elsewhere = f.HouseholdFactory(code="XX-9999")
    client.force_login(cadre_user)
    html = client.get(reverse("households:household-list")).content.decode()
    assert household.code in html
    assert elsewhere.code not in html


def test_the_registry_shows_village_status_last_review_and_member_count(
    client, staff_user, household
):
    f.MemberFactory.create_batch(3, household=household)
    Household.objects.filter(pk=household.pk).update(
        status=Status.POOR, last_reviewed_on=datetime.date(2024, 1, 10)
    )
    client.force_login(staff_user)
    _english(client)
    html = client.get(reverse("households:household-list")).content.decode()
    assert "Pác Hợp" in html
    assert "Poor" in html
    assert "10/01/2024" in html
    assert '<td class="text-end">3</td>' in html


@pytest.mark.parametrize("term", ["ma dinh lieu", "MA ĐÌNH LIỆU", "Ma Đình Liệu", "dinh lieu"])
def test_search_ignores_case_and_diacritics(client, staff_user, household, term):
    other = f.HouseholdFactory(village=household.village, code="LP-0102", head_name="Lý Văn Tư")
    client.force_login(staff_user)
    html = client.get(reverse("households:household-list"), {"q": term}).content.decode()
    assert household.code in html
    assert other.code not in html


def test_search_finds_a_household_by_a_members_name(client, staff_user, household):
    f.MemberFactory(household=household, full_name="Hoàng Thị Duyên")
    client.force_login(staff_user)
    html = client.get(reverse("households:household-list"), {"q": "hoang thi duyen"}).content
    assert household.code in html.decode()


def test_archived_households_are_hidden_unless_asked_for(client, staff_user, household):
    gone = f.HouseholdFactory(village=household.village, code="LP-0999", archived=True)
    client.force_login(staff_user)
    url = reverse("households:household-list")
    assert gone.code not in client.get(url).content.decode()
    assert gone.code in client.get(url, {"archived": "on"}).content.decode()


def test_the_village_filter_offers_only_villages_in_scope(client, staff_user, village):
    outside = f.VillageFactory(name="Thôn Ngoài Phạm Vi")
    client.force_login(staff_user)
    html = client.get(reverse("households:household-list")).content.decode()
    assert "Pác Hợp" in html
    assert outside.name not in html


def test_a_village_outside_the_scope_cannot_be_chosen(client, staff_user, household):
    outside = f.HouseholdFactory(code="XX-0001")
    client.force_login(staff_user)
    response = client.get(reverse("households:household-list"), {"village": outside.village_id})
    assert response.status_code == 200
    assert outside.code not in response.content.decode()
    assert response.context["filter"].form.errors["village"]


@pytest.mark.parametrize("count", [3, 60])
def test_the_registry_runs_the_same_queries_for_few_and_many_rows(
    client, staff_user, village, count, django_assert_max_num_queries
):
    client.force_login(staff_user)
    client.get(reverse("households:household-list"))  # session and language settle
    f.HouseholdFactory.create_batch(count, village=village)
    for household in Household.objects.filter(village=village):
        f.MemberFactory(household=household, has_disability=True)
    # 12, and one more on PostgreSQL: the planner's estimate that steers the search.
    with django_assert_max_num_queries(13 if connection.vendor == "postgresql" else 12):
        response = client.get(
            reverse("households:household-list"),
            {"q": "hh", "disability": "on", "review_due": "on", "received_nothing": "on"},
        )
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == min(count, 50)


# --- Registering and editing ----------------------------------------------------------------


def _household_data(village, **overrides):
    data = {
        "village": village.pk,
        "code": "LP-0200",
        "head_name": "Nông Văn Sáng",
        "address": "Xóm Trên",
        "phone": "0912345678",
        "housing_condition": Household.Housing.MAKESHIFT,
        "notes": "",
    }
    data.update(overrides)
    return data


def test_staff_register_a_household(client, staff_user, village):
    client.force_login(staff_user)
    response = client.post(reverse("households:household-create"), _household_data(village))
    household = Household.objects.get(code="LP-0200")
    assert response.status_code == 302
    assert response["Location"] == reverse("households:household-detail", args=[household.pk])
    assert household.commune_id == village.commune_id
    assert household.created_by == staff_user
    assert household.status == ""


def test_cadres_and_auditors_cannot_register_households(client, cadre_user, auditor_user, village):
    for user in (cadre_user, auditor_user):
        client.force_login(user)
        url = reverse("households:household-create")
        assert client.post(url, _household_data(village)).status_code == 403
    assert not Household.objects.exists()


def test_a_village_outside_the_scope_is_refused_on_the_form(client, staff_user):
    outside = f.VillageFactory()
    client.force_login(staff_user)
    response = client.post(reverse("households:household-create"), _household_data(outside))
    assert response.status_code == 200
    assert response.context["form"].errors["village"]
    assert not Household.objects.exists()


def test_a_duplicate_code_is_refused_by_the_service_and_the_input_kept(
    client, staff_user, household
):
    client.force_login(staff_user)
    _english(client)
    response = client.post(
        reverse("households:household-create"),
        _household_data(household.village, code="LP-0101"),
    )
    assert response.status_code == 200
    assert "already has a household with this code" in response.content.decode()
    assert 'value="Nông Văn Sáng"' in response.content.decode()
    assert Household.objects.count() == 1


def test_a_likely_duplicate_is_shown_and_nothing_saved_until_confirmed(
    client, staff_user, household
):
    client.force_login(staff_user)
    _english(client)
    url = reverse("households:household-create")
    data = _household_data(household.village, head_name="MA DINH LIEU")
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "may already be registered" in html
    assert reverse("households:household-detail", args=[household.pk]) in html
    assert Household.objects.count() == 1

    response = client.post(url, {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Household.objects.count() == 2


def test_a_similar_head_name_in_the_same_village_is_a_likely_duplicate(
    client, staff_user, household
):
    client.force_login(staff_user)
    response = client.post(
        reverse("households:household-create"),
        _household_data(household.village, head_name="Ma Đinh Liêu"),
    )
    assert list(response.context["duplicates"]) == [household]
    assert Household.objects.count() == 1


def test_the_same_name_in_another_village_is_not_a_duplicate(client, staff_user, household):
    other = f.VillageFactory(commune=household.commune)
    client.force_login(staff_user)
    response = client.post(
        reverse("households:household-create"), _household_data(other, head_name="Ma Đình Liệu")
    )
    assert response.status_code == 302
    assert Household.objects.count() == 2


def test_staff_edit_a_household_but_not_its_status(client, staff_user, household):
    client.force_login(staff_user)
    url = reverse("households:household-update", args=[household.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        _household_data(
            household.village, code=household.code, head_name="Ma Đình Liệu", phone="0987"
        )
        | {"status": Status.POOR},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.phone == "0987"
    assert household.status == ""


def test_an_invalid_edit_changes_nothing(client, staff_user, household):
    client.force_login(staff_user)
    url = reverse("households:household-update", args=[household.pk])
    response = client.post(url, _household_data(household.village, code="", head_name="X"))
    assert response.status_code == 200
    household.refresh_from_db()
    assert household.head_name == "Ma Đình Liệu"


def test_a_household_outside_the_scope_is_404_like_a_missing_one(client, staff_user):
    elsewhere = f.HouseholdFactory()
    client.force_login(staff_user)
    for name in ["household-detail", "household-update", "household-print"]:
        assert client.get(reverse(f"households:{name}", args=[elsewhere.pk])).status_code == 404
        assert client.get(reverse(f"households:{name}", args=[999_999])).status_code == 404


def test_staff_archive_and_restore_a_household(client, staff_user, household):
    client.force_login(staff_user)
    url = reverse("households:household-archive", args=[household.pk])
    assert client.post(url).status_code == 302
    household.refresh_from_db()
    assert household.archived
    assert household.archived_at is not None
    client.post(url, {"archived": "0"})
    household.refresh_from_db()
    assert not household.archived
    assert Household.objects.filter(pk=household.pk).exists()


def test_cadres_cannot_archive(client, cadre_user, household):
    client.force_login(cadre_user)
    url = reverse("households:household-archive", args=[household.pk])
    assert client.post(url).status_code == 403
    household.refresh_from_db()
    assert not household.archived


# --- Members --------------------------------------------------------------------------------


def _member_data(**overrides):
    data = {
        "full_name": "Ma Thị Hoa",
        "sex": Member.Sex.FEMALE,
        "birth_year": 1985,
        "relation": Member.Relation.SPOUSE,
        "ethnicity": Member.Ethnicity.TAY,
        "has_disability": "",
        "disability_note": "",
        "national_id": NATIONAL_ID,
    }
    data.update(overrides)
    return data


def test_staff_add_a_member_and_the_search_finds_them(client, staff_user, household):
    client.force_login(staff_user)
    response = client.post(reverse("households:member-create", args=[household.pk]), _member_data())
    assert response.status_code == 302
    member = household.members.get()
    assert member.full_name == "Ma Thị Hoa"
    html = client.get(reverse("households:household-list"), {"q": "ma thi hoa"}).content
    assert household.code in html.decode()


def test_a_bad_national_id_is_refused_by_the_service_and_nothing_saved(
    client, staff_user, household
):
    client.force_login(staff_user)
    _english(client)
    response = client.post(
        reverse("households:member-create", args=[household.pk]),
        _member_data(national_id="12345"),
    )
    assert response.status_code == 200
    assert "12 digits" in response.content.decode()
    assert not household.members.exists()


def test_a_second_head_is_refused(client, staff_user, household):
    f.MemberFactory(household=household, relation=Member.Relation.HEAD)
    client.force_login(staff_user)
    response = client.post(
        reverse("households:member-create", args=[household.pk]),
        _member_data(relation=Member.Relation.HEAD, national_id=""),
    )
    assert response.status_code == 200
    assert household.members.count() == 1


def test_staff_edit_a_member_and_see_the_whole_id_there(client, staff_user, household):
    member = f.MemberFactory(household=household, national_id=NATIONAL_ID)
    client.force_login(staff_user)
    url = reverse("households:member-update", args=[member.pk])
    assert NATIONAL_ID in client.get(url).content.decode()
    response = client.post(url, _member_data(full_name="Ma Thị Hoà"))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.full_name == "Ma Thị Hoà"


def test_cadres_see_the_whole_id_on_the_members_page_but_cannot_change_it(
    client, cadre_user, household
):
    member = f.MemberFactory(household=household, national_id=NATIONAL_ID, full_name="Lý A")
    client.force_login(cadre_user)
    url = reverse("households:member-update", args=[member.pk])
    page = client.get(url)
    assert NATIONAL_ID in page.content.decode()
    assert '<form method="post" class="hh-form"' not in page.content.decode()
    assert client.post(url, _member_data(full_name="Đổi tên")).status_code == 403
    member.refresh_from_db()
    assert member.full_name == "Lý A"


def test_auditors_see_only_the_last_three_digits(client, auditor_user, household):
    member = f.MemberFactory(household=household, national_id=NATIONAL_ID)
    client.force_login(auditor_user)
    html = client.get(reverse("households:member-update", args=[member.pk])).content.decode()
    assert NATIONAL_ID not in html
    assert "•••••••••789" in html


def test_the_case_file_masks_id_numbers_even_for_staff(client, staff_user, household):
    f.MemberFactory(household=household, national_id=NATIONAL_ID)
    client.force_login(staff_user)
    for name in ["household-detail", "household-print"]:
        html = client.get(reverse(f"households:{name}", args=[household.pk])).content.decode()
        assert NATIONAL_ID not in html
        assert "•••••••••789" in html


# --- The case file --------------------------------------------------------------------------


@pytest.fixture
def full_file(partnership, household):
    """A household that received a gift, a grant and an asset, paid by named partners."""
    agribank = f.PartnerFactory(name="Agribank Tuyên Quang")
    bidv = f.PartnerFactory(name="BIDV Tuyên Quang")
    distribution = f.DistributionFactory(
        partnership=partnership,
        title="Trao quà Tết 2024",
        distributed_on=datetime.date(2024, 1, 30),
        value_per_item_vnd=500_000,
    )
    f.ReceiptFactory(
        distribution=distribution,
        household=household,
        quantity=2,
        value_vnd=1_000_000,
        confirmed_at=timezone.now(),
    )
    f.AllocationFactory(
        donation=f.DonationFactory(partnership=partnership, partner=bidv),
        distribution=distribution,
    )
    grant = f.GrantFactory(partnership=partnership, household=household, amount_vnd=70_000_000)
    f.AllocationFactory(
        donation=f.DonationFactory(partnership=partnership, partner=agribank, value_vnd=80_000_000),
        distribution=None,
        grant=grant,
        amount_vnd=70_000_000,
    )
    f.AssetFactory(
        partnership=partnership,
        village=household.village,
        household=household,
        kind="trash_bin",
        code="THUNG-0001",
        value_vnd=250_000,
    )
    activity = f.ActivityFactory(partnership=partnership, title="Ra quân vệ sinh Pác Hợp")
    activity.villages.add(household.village)
    f.PhotoFactory(activity=activity, caption="Dọn đường làng", state=Photo.State.READY)
    f.ReviewFactory(
        household=household,
        reviewed_on=datetime.date(2024, 1, 10),
        status=Status.POOR,
        previous_status=Status.NEAR_POOR,
    )
    f.ConcernFactory(household=household, text="Mái nhà bị dột khi mưa to")
    return household


@pytest.mark.parametrize("fixture", ["staff_user", "cadre_user", "auditor_user"])
def test_the_case_file_shows_everything_the_household_received_with_funders(
    client, request, fixture, full_file
):
    client.force_login(request.getfixturevalue(fixture))
    html = client.get(reverse("households:household-detail", args=[full_file.pk])).content
    html = html.decode()
    for expected in [
        "Trao quà Tết 2024",
        "30/01/2024",
        "1.000.000 ₫",
        "70.000.000 ₫",
        "BIDV Tuyên Quang",
        "Agribank Tuyên Quang",
        "THUNG-0001",
        "Ra quân vệ sinh Pác Hợp",
        "Mái nhà bị dột khi mưa to",
        "/media/photos/",
    ]:
        assert expected in html, expected


def test_the_case_file_shows_the_review_history_from_previous_to_new(client, staff_user, full_file):
    client.force_login(staff_user)
    _english(client)
    html = client.get(reverse("households:household-detail", args=[full_file.pk])).content
    assert "Near-poor → <strong>Poor</strong>" in html.decode()


def test_opening_the_case_file_is_logged_for_detail_and_print(client, cadre_user, household):
    client.force_login(cadre_user)
    client.get(reverse("households:household-detail", args=[household.pk]))
    client.get(reverse("households:household-print", args=[household.pk]))
    views = list(CaseFileView.objects.order_by("pk"))
    assert [(v.user, v.household) for v in views] == [(cadre_user, household)] * 2
    assert views[1].path.endswith("/print/")


def test_a_refused_case_file_is_not_logged(client, staff_user):
    elsewhere = f.HouseholdFactory()
    client.force_login(staff_user)
    assert client.get(reverse("households:household-detail", args=[elsewhere.pk])).status_code
    assert not CaseFileView.objects.exists()


def test_the_print_view_is_one_sheet_with_print_rules_and_no_inline_script(
    client, staff_user, full_file
):
    client.force_login(staff_user)
    html = client.get(reverse("households:household-print", args=[full_file.pk])).content
    html = html.decode()
    assert "hh-sheet" in html
    assert "css/households.css" in html
    assert "js/households.js" in html
    assert "<script>" not in html
    assert "style=" not in html
    assert "70.000.000 ₫" in html


def _case_file_queries(client, household, django_assert_max_num_queries, bound):
    with django_assert_max_num_queries(bound):
        response = client.get(reverse("households:household-detail", args=[household.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("items", [1, 15])
def test_the_case_file_runs_the_same_queries_however_much_it_holds(
    client, staff_user, partnership, household, items, django_assert_max_num_queries
):
    partner = f.PartnerFactory()
    for number in range(items):
        distribution = f.DistributionFactory(partnership=partnership)
        f.ReceiptFactory(distribution=distribution, household=household)
        f.AllocationFactory(
            donation__partnership=partnership, donation__partner=partner, distribution=distribution
        )
        f.GrantFactory(partnership=partnership, household=household)
        f.AssetFactory(partnership=partnership, village=household.village, household=household)
        f.MemberFactory(household=household)
        f.ReviewFactory(household=household, reviewed_on=datetime.date(2020 + number % 5, 1, 1))
        f.ConcernFactory(household=household)
        activity = f.ActivityFactory(partnership=partnership)
        activity.villages.add(household.village)
        f.PhotoFactory(activity=activity)
    client.force_login(staff_user)
    client.get(reverse("households:household-list"))
    _case_file_queries(client, household, django_assert_max_num_queries, 20)
