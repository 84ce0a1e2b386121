"""The staff admin of distributions and receipts: workflow actions, inline receipts and
confirmations go through the services."""

import pytest

from activities.models import Distribution, Receipt
from activities.services import receipt_confirm
from tests.admin.pages import _errors, _form_data, _url
from tests.factories import (
    AllocationFactory,
    DistributionFactory,
    HouseholdFactory,
    PartnershipFactory,
    ReceiptFactory,
)

pytestmark = pytest.mark.django_db


# --- Distributions and receipts ----------------------------------------------------------------


def test_distribution_moves_through_its_states_by_actions(staff_client):
    distribution = DistributionFactory()
    receipt = ReceiptFactory(distribution=distribution)
    AllocationFactory(
        distribution=distribution,
        donation__partnership=distribution.partnership,
        amount_vnd=receipt.value_vnd,
    )
    url = _url(Distribution, "changelist")
    staff_client.post(url, {"action": "approve", "_selected_action": [distribution.pk]})
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.APPROVED
    # Closing waits for the receipt: refused until it is confirmed (or marked not delivered).
    staff_client.post(url, {"action": "close", "_selected_action": [distribution.pk]})
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.APPROVED
    receipt_confirm(actor=None, receipt=receipt)
    staff_client.post(url, {"action": "close", "_selected_action": [distribution.pk]})
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.CLOSED
    # A closed distribution is read-only.
    response = staff_client.post(_url(Distribution, "change", distribution.pk), {"title": "x"})
    assert response.status_code == 403


def test_refused_transition_is_reported_and_nothing_changes(staff_client):
    draft = DistributionFactory()
    approved = DistributionFactory(status=Distribution.Status.APPROVED)
    response = staff_client.post(
        _url(Distribution, "changelist"),
        {"action": "start_distributing", "_selected_action": [draft.pk, approved.pk]},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert any("cannot go from Draft to Distributing" in message for message in shown)
    assert any("Nothing was changed" in message for message in shown)
    approved.refresh_from_db()
    assert approved.status == Distribution.Status.APPROVED  # all or nothing


def test_distribution_is_saved_as_a_draft_through_the_service(staff_client, admin_user):
    partnership = PartnershipFactory()
    data = _form_data(
        staff_client.get(_url(Distribution, "add")),
        partnership=partnership.pk,
        title="Trao 100 suất quà",
        distributed_on="2024-01-30",
        item_description="Quà Tết",
        value_per_item_vnd="500000",
    )
    response = staff_client.post(_url(Distribution, "add"), data)
    assert response.status_code == 302, _errors(response)
    distribution = Distribution.objects.get()
    assert distribution.status == Distribution.Status.DRAFT
    assert distribution.created_by == admin_user


def test_receipt_inline_adds_through_the_service_and_shows_refusals_on_the_row(staff_client):
    distribution = DistributionFactory()
    household = HouseholdFactory(village__commune=distribution.partnership.commune)
    url = _url(Distribution, "change", distribution.pk)
    row = {
        "receipts-TOTAL_FORMS": "1",
        "receipts-0-household": str(household.pk),
        "receipts-0-quantity": "2",
    }
    response = staff_client.post(url, _form_data(staff_client.get(url), **row))
    assert response.status_code == 302, _errors(response)
    receipt = Receipt.objects.get()
    assert receipt.value_vnd == 2 * distribution.value_per_item_vnd
    assert receipt.village == household.village

    row = {
        "receipts-TOTAL_FORMS": "2",
        "receipts-1-household": str(household.pk),
        "receipts-1-quantity": "1",
    }
    response = staff_client.post(url, _form_data(staff_client.get(url), **row))
    assert "Please correct the duplicate data for household." in _errors(response)
    assert Receipt.objects.count() == 1

    stranger = HouseholdFactory()  # another commune
    row["receipts-1-household"] = str(stranger.pk)
    response = staff_client.post(url, _form_data(staff_client.get(url), **row))
    assert "The household is not in the partnership's commune." in _errors(response)
    receipts_formset = response.context["inline_admin_formsets"][0].formset
    assert receipts_formset.forms[1].non_field_errors()  # shown on the refused row
    assert Receipt.objects.count() == 1


def test_confirm_receipts_action_confirms(staff_client, admin_user):
    distribution = DistributionFactory(status=Distribution.Status.APPROVED)
    receipts = ReceiptFactory.create_batch(3, distribution=distribution)
    response = staff_client.post(
        _url(Receipt, "changelist"),
        {"action": "confirm_receipts", "_selected_action": [receipt.pk for receipt in receipts]},
        follow=True,
    )
    assert "Receipts confirmed: 3." in [str(message) for message in response.context["messages"]]
    assert Receipt.objects.filter(confirmed_by=admin_user, confirmed_at__isnull=False).count() == 3
    distribution.refresh_from_db()
    assert distribution.status == Distribution.Status.DISTRIBUTING


def test_confirming_receipts_of_a_draft_is_refused_and_confirms_none(staff_client):
    good = ReceiptFactory(distribution__status=Distribution.Status.APPROVED)
    bad = ReceiptFactory()  # a draft distribution
    response = staff_client.post(
        _url(Receipt, "changelist"),
        {"action": "confirm_receipts", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    shown = " ".join(str(message) for message in response.context["messages"])
    assert "must be approved before receipts are confirmed" in shown
    assert not Receipt.objects.filter(confirmed_at__isnull=False).exists()


def test_receipt_list_links_from_the_distribution_and_searches_without_diacritics(staff_client):
    receipt = ReceiptFactory(household__head_name="Lý Thị Ngân")
    ReceiptFactory()
    distributions = staff_client.get(_url(Distribution, "changelist")).content.decode()
    link = f"?distribution__id__exact={receipt.distribution_id}"
    assert link in distributions
    response = staff_client.get(_url(Receipt, "changelist") + link)
    assert list(response.context["cl"].result_list) == [receipt]
    response = staff_client.get(_url(Receipt, "changelist"), {"q": "ly thi ngan"})
    assert list(response.context["cl"].result_list) == [receipt]
