"""A commune's field work to sync: a household, a distribution under way with its receipts, an
asset, a survey of the review; the records the phone sends for them."""

import datetime
import io
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from activities.models import Distribution
from households.models import Member
from tests import factories as f


@pytest.fixture
def village(partnership):
    return f.VillageFactory(commune=partnership.commune, name="Pác Hợp")


@pytest.fixture
def household(village):
    household = f.HouseholdFactory(
        village=village, code="LP-0001", head_name="Đàm Văn Lìu", phone="0912345678"
    )
    f.MemberFactory(
        household=household,
        full_name="Đàm Văn Lìu",
        relation=Member.Relation.HEAD,
        national_id="012345678901",
        birth_year=1975,
    )
    return household


@pytest.fixture
def distribution(partnership):
    return f.DistributionFactory(
        partnership=partnership,
        status=Distribution.Status.DISTRIBUTING,
        distributed_on=datetime.date(2025, 1, 20),
        item_description="Chăn bông",
    )


@pytest.fixture
def receipt(distribution, household):
    return f.ReceiptFactory(distribution=distribution, household=household)


@pytest.fixture
def asset(partnership, village):
    return f.AssetFactory(partnership=partnership, village=village, code="DEN-0001")


@pytest.fixture
def survey(household):
    from households.services import survey_start

    campaign = f.ReviewCampaignFactory(commune=household.commune)
    entry = f.CampaignHouseholdFactory(campaign=campaign, household=household)
    return survey_start(actor=None, entry=entry)


@pytest.fixture
def outside():
    """A partnership of another commune, with a household, a receipt and an asset there."""
    other = f.PartnershipFactory()
    household = f.HouseholdFactory(village__commune=other.commune, head_name="Hoàng Văn Xa")
    distribution = f.DistributionFactory(partnership=other, status=Distribution.Status.DISTRIBUTING)
    return {
        "partnership": other,
        "household": household,
        "receipt": f.ReceiptFactory(distribution=distribution, household=household),
        "asset": f.AssetFactory(partnership=other),
    }


def now_iso() -> str:
    return timezone.localtime().isoformat()


def record(kind: str, data: dict, *, version=None, client_id=None, **extra) -> dict:
    """A record as the phone's outbox sends it."""
    body = {
        "client_id": str(client_id or uuid.uuid4()),
        "kind": kind,
        "recorded_at": now_iso(),
        "base": {} if version is None else {"version": version},
        "data": data,
    }
    body.update(extra)
    return body


def send(client, body):
    """POST a record (a dict, or raw text) to the sync, as the phone does."""
    content = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(reverse("field:sync"), content, content_type="application/json")


def png_data_url(size=(40, 20)) -> str:
    import base64

    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
