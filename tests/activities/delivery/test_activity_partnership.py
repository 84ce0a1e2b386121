"""Each rule once: the activity of a distribution or a grant belongs to its partnership, in the
services and in the admin alike."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.models import Distribution
from activities.services import distribution_save, grant_save
from tests.factories import ActivityFactory, DistributionFactory, GrantFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


# --- Each rule once: the partnership of an activity ---------------------------------------------


def test_a_distribution_of_another_partnership_s_activity_is_refused_by_the_service(partnership):
    foreign = ActivityFactory(partnership=PartnershipFactory())
    distribution = DistributionFactory.build(partnership=partnership, activity=foreign)
    with pytest.raises(
        ValidationError, match="Choose an activity of the distribution's partnership"
    ):
        distribution_save(actor=None, distribution=distribution)
    assert not Distribution.objects.filter(title=distribution.title).exists()


def test_a_grant_for_another_partnership_s_activity_is_refused_by_the_service(partnership):
    foreign = ActivityFactory(partnership=PartnershipFactory())
    grant = GrantFactory(partnership=partnership)
    grant.activity = foreign
    with pytest.raises(ValidationError, match="The activity belongs to another partnership"):
        grant_save(actor=None, grant=grant)
    grant.refresh_from_db()
    assert grant.activity_id is None


def test_the_admin_refuses_another_partnership_s_activity_with_the_same_message(
    admin_client, partnership
):
    foreign = ActivityFactory(partnership=PartnershipFactory())
    response = admin_client.post(
        reverse("admin:activities_distribution_add"),
        {
            "partnership": partnership.pk,
            "activity": foreign.pk,
            "title": "Quà Trung thu",
            "distributed_on": "30/01/2024",
            "item_description": "Bánh",
            "value_per_item_vnd": "100000",
            "note": "",
            "receipts-TOTAL_FORMS": "0",
            "receipts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Choose an activity of the distribution" in response.content.decode()
    assert not Distribution.objects.filter(title="Quà Trung thu").exists()
