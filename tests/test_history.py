"""History (django-simple-history): every change is kept with who, when and what, and shown in
the admin; records that must never be lost cannot be deleted there."""

import datetime
import re

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from simple_history.middleware import HistoryRequestMiddleware

from activities.models import (
    Activity,
    Allocation,
    Asset,
    Distribution,
    Grant,
    MaintenanceLog,
    Receipt,
)
from households.models import Household, Member, Poverty, Review
from households.services import household_update, member_update
from outreach.models import Donation
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    AssetFactory,
    DistributionFactory,
    DonationFactory,
    GrantFactory,
    HouseholdFactory,
    MaintenanceLogFactory,
    MemberFactory,
    ReceiptFactory,
    ReviewFactory,
)

pytestmark = pytest.mark.django_db

TRACKED = [
    Household,
    Member,
    Review,
    Donation,
    Allocation,
    Distribution,
    Receipt,
    Asset,
    Grant,
    MaintenanceLog,
    Activity,
]


def _in_request(user, write):
    """Run ``write`` as a view of the app would, inside a request of ``user``."""
    request = RequestFactory().post("/")
    request.user = user
    return HistoryRequestMiddleware(lambda request: write())(request)


def _history_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize("model", TRACKED, ids=lambda model: model.__name__)
def test_the_records_of_issue_4_keep_a_history(model):
    assert hasattr(model, "history")


def test_a_change_through_a_service_records_who_when_and_what(staff_user, partnership):
    household = HouseholdFactory(village__commune=partnership.commune, head_name="Ma Đình Liệu")
    before = timezone.now()

    _in_request(
        staff_user,
        lambda: household_update(actor=staff_user, household=household, head_name="Ma Văn Liệu"),
    )

    latest, created = household.history.order_by("-history_date", "-history_id")[:2]
    assert latest.history_type == "~"
    assert latest.history_user == staff_user
    assert latest.history_date >= before
    delta = latest.diff_against(created)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("head_name", "Ma Đình Liệu", "Ma Văn Liệu")
    ]


def _decide(actor, household, year: int, proposed: str) -> None:
    """Run a whole review of ``household`` for ``year`` up to the commune decision."""
    from households.services import decision_record, meeting_record, posting_record
    from tests.households.campaign import helpers as h

    campaign = h.campaign(household.commune, year=year, opened_on=datetime.date(year, 9, 1))
    entry = h.surveyed(h.entry(campaign, household), proposed)
    meeting_record(
        actor=actor,
        campaign=campaign,
        village=household.village,
        held_on=datetime.date(year, 10, 1),
        chair="Hoàng Văn Sáu",
        present=10,
        votes={entry.pk: 9},
    )
    posting_record(
        actor=actor,
        campaign=campaign,
        posted_from=datetime.date(year, 10, 2),
        posted_until=datetime.date(year, 10, 20),
    )
    decision_record(
        actor=actor,
        campaign=campaign,
        number=f"{year}/QĐ-UBND",
        signed_on=datetime.date(year, 12, 1),
        signer="Nông Văn Bảy",
    )


def test_history_answers_what_a_household_was_on_a_date(staff_user, partnership):
    household = HouseholdFactory(village__commune=partnership.commune, poverty=Poverty.NONE)
    _in_request(staff_user, lambda: _decide(staff_user, household, 2023, Poverty.POOR))
    end_of_2023 = timezone.now()
    _in_request(staff_user, lambda: _decide(staff_user, household, 2024, Poverty.NEAR_POOR))

    assert household.history.as_of(end_of_2023).poverty == Poverty.POOR
    household.refresh_from_db()
    assert household.poverty == Poverty.NEAR_POOR
    review = household.reviews.latest("reviewed_on")
    assert review.history.get().history_user == staff_user


def test_a_change_through_the_admin_records_the_admin_user(admin_client, admin_user):
    household = HouseholdFactory(head_name="Ma Đình Liệu")
    page = admin_client.get(_change_url(household))
    data = {
        "village": household.village_id,
        "code": household.code,
        "head_name": "Ma Văn Liệu",
        "address": household.address,
        "phone": "",
        "housing_condition": household.housing_condition,
        "notes": "",
    }
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({field.html_name: field.value() for field in management})

    response = admin_client.post(_change_url(household), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    latest = household.history.latest()
    assert latest.history_user == admin_user
    assert latest.head_name == "Ma Văn Liệu"


def test_a_member_change_is_recorded(admin_user):
    member = MemberFactory(full_name="Lý Thị Mai")

    _in_request(
        admin_user,
        lambda: member_update(actor=admin_user, member=member, full_name="Lý Thị Mây"),
    )

    latest = member.history.latest()
    assert (latest.history_user, latest.full_name) == (admin_user, "Lý Thị Mây")


def test_admin_history_page_lists_who_changed_what(
    admin_client, admin_user, staff_user, partnership
):
    household = HouseholdFactory(village__commune=partnership.commune, head_name="Ma Đình Liệu")
    _in_request(
        staff_user,
        lambda: household_update(actor=staff_user, household=household, head_name="Ma Văn Liệu"),
    )

    response = admin_client.get(_history_url(household))

    assert response.status_code == 200
    html = response.content.decode()
    table = re.search(r'<table id="change-history".*?</table>', html, re.S).group(0)
    assert staff_user.username in table
    assert "Head of household" in table
    assert "Ma Đình Liệu" in table
    assert "Ma Văn Liệu" in table
    # The past version is shown, never restored: restoring would write past the services.
    assert "Revert" not in html


def test_admin_history_page_queries_do_not_grow_with_changes(
    admin_client, staff_user, django_assert_max_num_queries, partnership
):
    household = HouseholdFactory(village__commune=partnership.commune)
    admin_client.get(_history_url(household))  # the session and the content types settle
    with django_assert_max_num_queries(12) as few:
        admin_client.get(_history_url(household))
    for number in range(30):
        _in_request(
            staff_user,
            lambda number=number: household_update(
                actor=staff_user, household=household, head_name=f"Chủ hộ {number}"
            ),
        )
    assert household.history.count() == 31

    with django_assert_max_num_queries(12) as many:
        response = admin_client.get(_history_url(household))

    assert response.status_code == 200
    assert len(many) == len(few), "\n".join(query["sql"] for query in many.captured_queries)


def test_admin_history_of_a_missing_record_is_404(admin_client):
    household = HouseholdFactory()

    assert (
        admin_client.get(_history_url(household).replace(str(household.pk), "999999")).status_code
        == 404
    )
    assert (
        admin_client.get(_history_url(household).replace(str(household.pk), "abc")).status_code
        == 404
    )


def test_a_past_version_is_shown_but_cannot_be_restored(admin_client, staff_user, partnership):
    household = HouseholdFactory(village__commune=partnership.commune, head_name="Ma Đình Liệu")
    _in_request(
        staff_user,
        lambda: household_update(actor=staff_user, household=household, head_name="Ma Văn Liệu"),
    )
    first = household.history.earliest()
    url = reverse(
        "admin:households_household_simple_history", args=[household.pk, first.history_id]
    )

    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"head_name": "Ma Đình Liệu", "_change_history": "1"})

    assert response.status_code == 403
    household.refresh_from_db()
    assert household.head_name == "Ma Văn Liệu"


@pytest.mark.parametrize(
    "model", [Household, Donation, Distribution, Receipt], ids=lambda model: model.__name__
)
def test_records_that_must_not_be_lost_cannot_be_deleted_in_the_admin(
    admin_client, admin_user, model
):
    receipt = ReceiptFactory()
    obj = {
        Household: receipt.household,
        Donation: DonationFactory(),
        Distribution: receipt.distribution,
        Receipt: receipt,
    }[model]
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = admin_user

    assert model_admin.has_delete_permission(request) is False
    assert model_admin.has_delete_permission(request, obj) is False
    opts = model._meta
    delete_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    "build",
    [
        lambda: MemberFactory().household,
        MemberFactory,
        ReviewFactory,
        DonationFactory,
        AllocationFactory,
        DistributionFactory,
        ReceiptFactory,
        AssetFactory,
        GrantFactory,
        MaintenanceLogFactory,
        ActivityFactory,
    ],
    ids=lambda build: getattr(build, "__name__", "Household"),
)
def test_every_tracked_record_shows_its_history_in_the_admin(admin_client, build):
    obj = build()

    response = admin_client.get(_history_url(obj))

    assert response.status_code == 200
    assert 'id="change-history"' in response.content.decode()


def test_a_change_made_outside_a_request_names_the_services_actor(staff_user, partnership):
    """Commands and tasks have no request: the service's actor is the author on record."""
    from households.services import household_update

    household = HouseholdFactory(village__commune=partnership.commune)
    household_update(actor=staff_user, household=household, head_name="Nông Văn Tới")
    latest = household.history.latest()
    assert latest.history_user == staff_user
    assert latest.head_name == "Nông Văn Tới"
