"""The staff admin of households and reviews: writes go through the services (a refusal is a
form error, and nothing is saved), searches ignore diacritics."""

import pytest
from django.urls import reverse

from households.models import Household, Member, Review
from tests.admin.pages import _errors, _form_data, _url
from tests.factories import HouseholdFactory, MemberFactory, ReviewFactory, VillageFactory

pytestmark = pytest.mark.django_db


# --- Households --------------------------------------------------------------------------------


def test_household_is_added_through_the_service_with_its_members(staff_client, admin_user):
    village = VillageFactory()
    page = staff_client.get(_url(Household, "add"))
    data = _form_data(
        page,
        village=village.pk,
        code="LP-0101",
        head_name="  Ma  Đình Liệu ",
        **{
            "members-TOTAL_FORMS": "1",
            "members-0-full_name": "Ma Thị Hoa",
            "members-0-sex": Member.Sex.FEMALE,
            "members-0-birth_year": "1985",
            "members-0-relation": Member.Relation.SPOUSE,
            "members-0-ethnicity": Member.Ethnicity.TAY,
        },
    )
    response = staff_client.post(_url(Household, "add"), data)
    assert response.status_code == 302, _errors(response)
    household = Household.objects.get(code="LP-0101")
    assert household.head_name == "Ma Đình Liệu"  # the service tidies the name
    assert household.commune == village.commune
    assert household.created_by == admin_user
    assert household.search_text == "lp-0101 ma dinh lieu ma thi hoa"
    assert household.members.get().full_name == "Ma Thị Hoa"


def test_duplicate_household_code_shows_the_error_and_creates_nothing(staff_client):
    existing = HouseholdFactory(code="LP-0001")
    other_village = VillageFactory(commune=existing.commune)
    page = staff_client.get(_url(Household, "add"))
    data = _form_data(
        page,
        village=other_village.pk,
        code="LP-0001",
        head_name="Lý Văn A",
        **{
            "members-TOTAL_FORMS": "1",
            "members-0-full_name": "Lý Thị B",
            "members-0-sex": Member.Sex.FEMALE,
            "members-0-birth_year": "1990",
            "members-0-relation": Member.Relation.SPOUSE,
            "members-0-ethnicity": Member.Ethnicity.DAO,
        },
    )
    response = staff_client.post(_url(Household, "add"), data)
    assert "This commune already has a household with this code." in _errors(response)
    assert Household.objects.count() == 1
    assert Member.objects.count() == 0
    # The input is kept, the member row included.
    form = response.context["adminform"].form
    assert form["head_name"].value() == "Lý Văn A"
    assert "Lý Thị B" in response.content.decode()


def test_refused_member_row_is_shown_on_the_row_and_nothing_is_saved(staff_client):
    household = HouseholdFactory(head_name="Bàn Văn Sơn")
    MemberFactory(household=household, relation=Member.Relation.HEAD)
    url = _url(Household, "change", household.pk)
    data = _form_data(
        staff_client.get(url),
        head_name="Bàn Văn Sơn Mới",
        **{
            "members-TOTAL_FORMS": "2",
            "members-1-full_name": "Bàn Văn Hai",
            "members-1-sex": Member.Sex.MALE,
            "members-1-birth_year": "1970",
            "members-1-relation": Member.Relation.HEAD,
            "members-1-ethnicity": Member.Ethnicity.DAO,
        },
    )
    response = staff_client.post(url, data)
    assert "This household already has a head." in _errors(response)
    members_formset = response.context["inline_admin_formsets"][0].formset
    assert members_formset.forms[1].errors
    household.refresh_from_db()
    assert household.head_name == "Bàn Văn Sơn"  # the household's own change was rolled back
    assert household.members.count() == 1


def test_household_search_ignores_diacritics_and_case(staff_client):
    wanted = HouseholdFactory(head_name="Ma Đình Liệu")
    HouseholdFactory(head_name="Hoàng Văn Thụ")
    response = staff_client.get(_url(Household, "changelist"), {"q": "ma dinh lieu"})
    assert list(response.context["cl"].result_list) == [wanted]
    response = staff_client.get(_url(Household, "changelist"), {"q": "MA ĐÌNH"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_household_autocomplete_ignores_diacritics(staff_client):
    wanted = HouseholdFactory(head_name="Ma Đình Liệu")
    HouseholdFactory(head_name="Hoàng Văn Thụ")
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "dinh lieu",
            "app_label": "activities",
            "model_name": "receipt",
            "field_name": "household",
        },
    )
    assert [row["id"] for row in response.json()["results"]] == [str(wanted.pk)]


def test_archive_and_restore_actions(staff_client):
    households = HouseholdFactory.create_batch(2)
    url = _url(Household, "changelist")
    pks = [household.pk for household in households]
    staff_client.post(url, {"action": "archive", "_selected_action": pks})
    assert Household.objects.filter(archived=True, archived_at__isnull=False).count() == 2
    staff_client.post(url, {"action": "restore", "_selected_action": pks})
    assert Household.objects.filter(archived=False, archived_at__isnull=True).count() == 2


def test_reviews_cannot_be_added(staff_client):
    # Only a commune decision makes a review (tests/households/test_admin_classification.py).
    assert staff_client.get(_url(Review, "add")).status_code == 403
    assert staff_client.post(_url(Review, "add"), {"reason": "…"}).status_code == 403
    assert not Review.objects.exists()


def test_reviews_cannot_be_changed_or_deleted(staff_client):
    review = ReviewFactory()
    response = staff_client.post(_url(Review, "change", review.pk), {"reason": "changed"})
    assert response.status_code == 403
    assert staff_client.get(_url(Review, "delete", review.pk)).status_code == 403
