"""Nothing about a household's classification changes through the staff admin (issue 15): only a
commune decision closing a review campaign changes it. Not the household's change form, not the
reviews' admin, not the history pages' "revert"."""

import datetime

import pytest
from django.urls import reverse

from households.models import Household, Poverty, Review, Status
from tests import factories as f
from tests.admin.pages import _errors, _form_data, _url

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(params=["admin_user", "staff_user"])
def admin_client(request, client):
    """A client in the admin, in English, as an administrator or as office staff."""
    client.force_login(request.getfixturevalue(request.param))
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def household(partnership):
    household = f.HouseholdFactory(
        village=f.VillageFactory(commune=partnership.commune),
        code="LP-0101",
        poverty=Poverty.POOR,
        last_reviewed_on=D(2024, 12, 13),
    )
    f.ReviewFactory(
        household=household,
        reviewed_on=D(2024, 12, 13),
        status=Status.POOR,
        previous_status=Status.NEAR_POOR,
        classification=Poverty.POOR,
        previous_classification=Poverty.NEAR_POOR,
        reason="Rà soát cuối năm",
    )
    return household


def _facts(household) -> tuple:
    household.refresh_from_db()
    return (
        household.poverty,
        household.last_reviewed_on,
        household.policy_family,
        household.in_difficulty,
        household.difficulty_reason,
        household.difficulty_since,
    )


BEFORE = (Poverty.POOR, D(2024, 12, 13), False, False, "", None)


def _reviews() -> list:
    return list(
        Review.objects.order_by("pk").values_list(
            "household_id",
            "reviewed_on",
            "status",
            "previous_status",
            "classification",
            "previous_classification",
            "reason",
            "approved",
        )
    )


def test_the_household_form_has_no_field_for_the_classification(admin_client, household):
    page = admin_client.get(_url(Household, "change", household.pk))
    assert page.status_code == 200
    form = page.context["adminform"].form
    for name in (
        "poverty",
        "last_reviewed_on",
        "policy_family",
        "in_difficulty",
        "difficulty_reason",
        "difficulty_since",
    ):
        assert name not in form.fields
    # Shown, to read: the classification is on the page.
    assert "Poor" in page.content.decode()


def test_posting_the_classification_on_the_household_form_changes_nothing(admin_client, household):
    reviews = _reviews()
    page = admin_client.get(_url(Household, "change", household.pk))
    data = _form_data(
        page,
        notes="Đã đến thăm",
        poverty=Poverty.NONE,
        last_reviewed_on="2025-01-01",
        policy_family="on",
        in_difficulty="on",
        difficulty_reason="Ốm",
        difficulty_since="2025-01-01",
        **{
            # The review history inline is read-only: a row posted for it is not saved.
            "reviews-TOTAL_FORMS": "1",
            "reviews-INITIAL_FORMS": "0",
            "reviews-0-classification": Poverty.NONE,
            "reviews-0-reason": "Sửa tay",
        },
    )
    response = admin_client.post(_url(Household, "change", household.pk), data)
    assert response.status_code == 302, _errors(response)
    # The household's own field was saved, and nothing about its classification.
    assert _facts(household) == BEFORE
    assert household.notes == "Đã đến thăm"
    assert _reviews() == reviews


def test_a_new_household_cannot_be_given_a_classification(admin_client, partnership):
    village = f.VillageFactory(commune=partnership.commune)
    page = admin_client.get(_url(Household, "add"))
    data = _form_data(
        page,
        village=village.pk,
        code="LP-0999",
        head_name="Ma Văn Mới",
        poverty=Poverty.POOR,
        policy_family="on",
        in_difficulty="on",
        **{"members-TOTAL_FORMS": "0"},
    )
    response = admin_client.post(_url(Household, "add"), data)
    assert response.status_code == 302, _errors(response)
    created = Household.objects.get(code="LP-0999")
    assert _facts(created) == ("", None, False, False, "", None)
    assert not created.reviews.exists()


def test_the_review_admin_adds_changes_and_deletes_nothing(admin_client, household):
    reviews = _reviews()
    review = Review.objects.get()
    assert admin_client.get(_url(Review, "changelist")).status_code == 200
    assert admin_client.get(_url(Review, "add")).status_code == 403
    added = admin_client.post(
        _url(Review, "add"),
        {
            "household": household.pk,
            "reviewed_on": "2025-01-02",
            "classification": Poverty.NONE,
            "reason": "Thêm tay",
        },
    )
    assert added.status_code == 403
    changed = admin_client.post(
        _url(Review, "change", review.pk),
        {"classification": Poverty.NONE, "reason": "Sửa tay", "approved": ""},
    )
    assert changed.status_code == 403
    assert admin_client.post(_url(Review, "delete", review.pk), {"post": "yes"}).status_code == 403
    deleted = admin_client.post(
        _url(Review, "changelist"),
        {"action": "delete_selected", "_selected_action": [review.pk], "post": "yes"},
    )
    assert deleted.status_code in (200, 302)
    assert _reviews() == reviews
    assert _facts(household) == BEFORE


def _history_url(model, pk: int, version_id: int) -> str:
    info = (model._meta.app_label, model._meta.model_name)
    return reverse("admin:%s_%s_simple_history" % info, args=[pk, version_id])  # noqa: UP031


def test_the_history_shows_a_past_classification_but_cannot_revert_to_it(admin_client, household):
    old = household.history.order_by("history_id").first()
    # A later decision changed the classification (as decision_record would).
    household.poverty = Poverty.NEAR_POOR
    household.save(update_fields=["poverty", "updated_at"])
    url = _history_url(Household, household.pk, old.history_id)
    assert admin_client.get(url).status_code == 200
    page = admin_client.get(_url(Household, "change", household.pk))
    data = _form_data(page, **{"members-TOTAL_FORMS": "0"})
    assert admin_client.post(url, {**data, "poverty": Poverty.POOR}).status_code == 403
    household.refresh_from_db()
    assert household.poverty == Poverty.NEAR_POOR


def test_the_review_history_cannot_revert_a_review(admin_client, household):
    review = Review.objects.get()
    old = review.history.order_by("history_id").first()
    Review.objects.filter(pk=review.pk).update(reason="Rà soát cuối năm (đính chính)")
    reviews = _reviews()
    url = _history_url(Review, review.pk, old.history_id)
    response = admin_client.post(url, {"reason": "Rà soát cuối năm", "classification": "none"})
    assert response.status_code == 403
    assert _reviews() == reviews


def test_no_admin_action_touches_the_classification(admin_client, household):
    page = admin_client.get(_url(Household, "changelist"))
    actions = {name for name, _label in page.context["action_form"].fields["action"].choices}
    assert actions <= {"", "archive", "restore"}
    admin_client.post(
        _url(Household, "changelist"),
        {"action": "archive", "_selected_action": [household.pk]},
    )
    admin_client.post(
        _url(Household, "changelist"),
        {"action": "restore", "_selected_action": [household.pk]},
    )
    assert _facts(household) == BEFORE
