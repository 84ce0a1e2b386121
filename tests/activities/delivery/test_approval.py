"""Approving a distribution needs it funded; after approval, recipients and funding are held
to it. Every refusal leaves the rows as they were and says why."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.services import allocation_remove as allocation_remove_service
from activities.services import distribution_recipients_add, distribution_transition, receipt_add
from tests.activities.delivery.helpers import APPROVED, DRAFT, _fund, _rows
from tests.factories import DistributionFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


# --- Approval -----------------------------------------------------------------------------------


def test_an_unfunded_distribution_cannot_be_approved_and_the_message_names_the_shortfall(draft):
    before = _rows(draft)
    # pytest matches str(ValidationError), a repr: its no-break space before ₫ reads \xa0.
    with pytest.raises(ValidationError, match=re.escape("2.500.000\\xa0₫ is not funded")):
        distribution_transition(actor=None, distribution=draft, to=APPROVED)
    assert _rows(draft) == before


def test_a_partly_funded_distribution_cannot_be_approved(draft, donation):
    _fund(draft, donation, 1_000_000)
    before = _rows(draft)
    with pytest.raises(
        ValidationError, match=re.escape("allocations only 1.000.000\\xa0₫; 1.500.000\\xa0₫")
    ):
        distribution_transition(actor=None, distribution=draft, to=APPROVED)
    assert _rows(draft) == before


def test_a_distribution_with_no_recipients_cannot_be_approved(partnership):
    empty = DistributionFactory(partnership=partnership)
    with pytest.raises(ValidationError, match="List at least one household"):
        distribution_transition(actor=None, distribution=empty, to=APPROVED)
    empty.refresh_from_db()
    assert empty.status == DRAFT


def test_a_funded_distribution_is_approved(draft, donation):
    _fund(draft, donation, 2_500_000)
    assert distribution_transition(actor=None, distribution=draft, to=APPROVED).status == APPROVED


def test_the_admin_refuses_to_approve_an_unfunded_distribution(admin_client, draft):
    before = _rows(draft)
    response = admin_client.post(
        reverse("admin:activities_distribution_changelist"),
        {"action": "approve", "_selected_action": [draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "is not funded" in response.content.decode()
    assert _rows(draft) == before


def test_after_approval_recipients_beyond_the_funding_are_refused(draft, donation, partnership):
    _fund(draft, donation, 2_500_000)
    distribution_transition(actor=None, distribution=draft, to=APPROVED)
    before = _rows(draft)
    household = HouseholdFactory(village__commune=partnership.commune)
    with pytest.raises(ValidationError, match=re.escape("500.000\\xa0₫ short")):
        receipt_add(actor=None, distribution=draft, household=household)
    with pytest.raises(ValidationError, match=re.escape("500.000\\xa0₫ short")):
        distribution_recipients_add(
            actor=None, distribution=draft, households_queryset_or_ids=[household.pk]
        )
    assert _rows(draft) == before


def test_after_approval_the_funding_cannot_be_taken_away(draft, donation):
    allocation = _fund(draft, donation, 2_500_000)
    distribution_transition(actor=None, distribution=draft, to=APPROVED)
    before = _rows(draft)
    with pytest.raises(ValidationError, match=re.escape("2.500.000\\xa0₫ short")):
        allocation_remove_service(actor=None, allocation=allocation)
    assert _rows(draft) == before
