"""Verify it's us: genuine codes confirmed safely, fakes "not found", guessing stopped."""

import datetime

import pytest
from django.urls import reverse

from channel import ratelimit
from channel.services import site_profile_update
from outreach.models import ReportLink
from tests.channel.factories import ReportLinkCodeFactory
from tests.factories import AssetFactory, DistributionFactory, HouseholdFactory, ReceiptFactory

pytestmark = pytest.mark.django_db
VERIFY = reverse("verify")


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def receipt(partnership):
    household = HouseholdFactory(village__commune=partnership.commune, head_name="Hoàng Thị Mai")
    distribution = DistributionFactory(partnership=partnership, title="Trao quà Tết 2024")
    return ReceiptFactory(distribution=distribution, household=household)


def test_the_page_is_at_verify_and_says_the_office_never_asks_for_money(en, partnership):
    partnership.office.phone = "0207 3822 111"
    partnership.office.save(update_fields=["phone"])
    DistributionFactory(partnership=partnership, title="Trao quà Trung thu", status="approved")
    assert VERIFY == "/verify/" == reverse("channel:verify")
    response = en.get(VERIFY)
    html = response.content.decode()
    assert response.status_code == 200
    assert "never asks households or families to transfer money" in html
    assert "0207 3822 111" in html
    assert "Trao quà Trung thu" in html


def test_a_sign_off_sheets_code_is_genuine_and_shows_nothing_personal(en, receipt):
    distribution = receipt.distribution
    response = en.get(
        VERIFY, {"code": distribution.short_code.lower()[:4] + " " + distribution.short_code[4:]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Genuine" in html
    assert distribution.title in html
    assert "30/01/2024" in html
    assert receipt.household.head_name not in html
    assert receipt.household.code not in html


def test_a_receipts_code_shows_the_distribution_and_village_only(en, receipt):
    html = en.get(VERIFY, {"code": receipt.short_code}).content.decode()
    assert "Genuine: this receipt" in html
    assert receipt.distribution.title in html
    assert receipt.village.name in html
    assert receipt.household.head_name not in html
    assert receipt.household.code not in html


def test_an_asset_label_and_a_donor_report_code_are_genuine(en, partnership):
    asset = AssetFactory(partnership=partnership)
    html = en.get(VERIFY, {"code": asset.short_code}).content.decode()
    assert "belongs to an asset of the office" in html
    assert reverse("channel:asset-report", args=[asset.short_code]) in html
    code = ReportLinkCodeFactory()
    html = en.get(VERIFY, {"code": code.short_code}).content.decode()
    assert "donor report link was issued by the office" in html
    assert "01/01/2099" in html
    ReportLink.objects.filter(pk=code.link_id).update(expires_on=datetime.date(2020, 1, 1))
    assert "no longer works" in en.get(VERIFY, {"code": code.short_code}).content.decode()


def test_a_made_up_code_is_not_found_and_reveals_nothing(en, receipt):
    response = en.get(VERIFY, {"code": "K7Q2M9XA"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Not found" in html
    assert "Genuine" not in html
    assert receipt.distribution.title not in html


def test_a_hundred_rapid_guesses_are_rate_limited(en, receipt):
    statuses = [en.get(VERIFY, {"code": f"ZZZZ{n:04d}"}).status_code for n in range(100)]
    assert statuses.count(200) == ratelimit.LOOKUP_MISSES.count
    assert statuses[-1] == 429
    blocked = en.get(VERIFY, {"code": receipt.distribution.short_code})
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()
    assert blocked["Retry-After"]
    # Locked out, a worried family still reads the office's official number.
    site_profile_update(actor=None, office_name="Văn phòng Tỉnh ủy", phone="0207 3822 111")
    locked = en.get(VERIFY, {"code": "ZZZZ9999"})
    assert locked.status_code == 429
    assert 'href="tel:02073822111"' in locked.content.decode()
    # The page itself, without a code, still answers: the contacts are never withheld.
    assert en.get(VERIFY).status_code == 200


def test_genuine_codes_do_not_count_against_the_limit(client, receipt):
    for _ in range(ratelimit.LOOKUP_MISSES.count + 5):
        assert client.get(VERIFY, {"code": receipt.short_code}).status_code == 200


def test_clients_behind_the_proxy_are_counted_apart(client, monkeypatch, receipt):
    # The address is the proxy's last X-Forwarded-For entry, as for the login lockout.
    monkeypatch.setattr("config.settings.BEHIND_TLS_PROXY", True)

    def guess(address, n):
        return client.get(
            VERIFY, {"code": f"YYYY{n:04d}"}, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {address}"
        ).status_code

    assert [guess("10.0.0.1", n) for n in range(25)][-1] == 429
    assert guess("10.0.0.2", 1) == 200


def test_the_printed_sheet_receipt_and_label_name_the_verification_page(
    client, staff_user, receipt, partnership
):
    client.force_login(staff_user)
    distribution = receipt.distribution
    sheet = client.get(reverse("activities:distribution-sheet", args=[distribution.pk]))
    assert "/verify/" in sheet.content.decode()
    assert distribution.short_code in sheet.content.decode()
    page = client.get(reverse("activities:receipt-detail", args=[receipt.short_code]))
    assert "/verify/" in page.content.decode()
    asset = AssetFactory(partnership=partnership)
    label = client.get(reverse("activities:asset-label", args=[asset.pk]))
    assert "/verify/" in label.content.decode()
