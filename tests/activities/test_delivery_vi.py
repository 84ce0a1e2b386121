"""The refusals of tests/activities/delivery/ as a commune cadre or office staff reads them: in
Vietnamese, with diacritics."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from activities.models import Distribution
from activities.services import distribution_transition, grant_payment_record
from tests.factories import DistributionFactory, GrantFactory, ReceiptFactory

pytestmark = pytest.mark.django_db


def test_an_unfunded_approval_is_refused_in_vietnamese(partnership):
    draft = DistributionFactory(partnership=partnership, value_per_item_vnd=500_000)
    for _ in range(5):
        ReceiptFactory(distribution=draft)
    with (
        # pytest matches str(ValidationError), a repr: its no-break space before ₫ reads \xa0.
        translation.override("vi"),
        pytest.raises(ValidationError, match=re.escape("còn 2.500.000\\xa0₫ chưa có kinh phí")),
    ):
        distribution_transition(actor=None, distribution=draft, to=Distribution.Status.APPROVED)
    draft.refresh_from_db()
    assert draft.status == Distribution.Status.DRAFT


def test_an_overpayment_is_refused_in_vietnamese(partnership):
    grant = GrantFactory(partnership=partnership, amount_vnd=1_000_000, payments=0)
    with (
        translation.override("vi"),
        pytest.raises(ValidationError, match=re.escape("chỉ có thể chi tối đa 1.000.000\\xa0₫")),
    ):
        grant_payment_record(
            actor=None, grant=grant, paid_on=grant.approved_on, amount_vnd=2_000_000
        )
    assert not grant.payments.exists()


def test_the_close_page_reads_in_vietnamese(client, staff_user, partnership):
    distribution = DistributionFactory(
        partnership=partnership, status=Distribution.Status.DISTRIBUTING
    )
    ReceiptFactory(distribution=distribution)
    client.cookies["django_language"] = "vi"
    client.force_login(staff_user)
    page = client.get(reverse("activities:distribution-close", args=[distribution.pk]))
    html = page.content.decode()
    assert "1 phiếu nhận chưa được xác nhận cũng chưa ghi không trao được" in html
    assert "Không có nhà" in html
    refused = client.post(reverse("activities:distribution-close", args=[distribution.pk]))
    assert "hãy xác nhận hoặc nêu lý do không trao được" in refused.content.decode()
