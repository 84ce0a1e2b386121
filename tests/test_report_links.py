"""Shared read-only links to a donor's money trail: signed, expiring, revocable."""

import datetime
import json

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.services import donation_allocate
from outreach.models import ReportLink
from outreach.services import report_link_create, report_link_revoke, report_link_token
from tests import factories as f

pytestmark = pytest.mark.django_db
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def link(staff_user, partnership, donor_partner):
    donation = f.DonationFactory(
        partnership=partnership, partner=donor_partner, value_vnd=8_000_000
    )
    distribution = f.DistributionFactory(partnership=partnership, title="Quà Trung thu")
    donation_allocate(
        actor=None, donation=donation, amount_vnd=8_000_000, distribution=distribution
    )
    f.DonationFactory(partnership=partnership, value_vnd=77_000_000)  # another partner's
    return report_link_create(actor=staff_user, partner=donor_partner, expires_on=TOMORROW)


def _url(link):
    return reverse("reports:shared-donor-report", args=[report_link_token(link)])


def test_a_shared_link_shows_the_partners_trail_without_an_account(client, link):
    response = client.get(_url(link))
    html = response.content.decode()
    assert response.status_code == 200
    assert "8.000.000\u00a0₫" in html
    assert "Quà Trung thu" in html
    assert "77.000.000\u00a0₫" not in html
    assert response["Cache-Control"] == "private, no-store"


def test_a_tampered_token_is_404(client, link):
    token = report_link_token(link)
    other = ReportLink.objects.create(partner=f.PartnerFactory(), expires_on=TOMORROW)
    # Another link's id with this link's signature.
    payload = signing.b64_encode(json.dumps({"link": other.pk}, separators=(",", ":")).encode())
    forged = f"{payload.decode()}:{token.rsplit(':', 1)[1]}"
    assert (
        client.get(reverse("reports:shared-donor-report", args=[token[:-2] + "xx"])).status_code
        == 404
    )
    assert client.get(reverse("reports:shared-donor-report", args=[forged])).status_code == 404


def test_a_revoked_link_stops_working(client, staff_user, link):
    report_link_revoke(actor=staff_user, link=link)
    assert client.get(_url(link)).status_code == 404


def test_an_expired_link_stops_working(client, link):
    ReportLink.objects.filter(pk=link.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert client.get(_url(link)).status_code == 404


def test_a_link_cannot_be_made_already_expired(staff_user, donor_partner):
    with pytest.raises(ValidationError, match="Đường dẫn không thể hết hạn ở một ngày đã qua"):
        report_link_create(
            actor=staff_user, partner=donor_partner, expires_on=datetime.date(2020, 1, 1)
        )
    assert not ReportLink.objects.exists()


def test_staff_make_a_link_in_the_admin_and_see_the_address_to_send(
    client, staff_user, donor_partner
):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:outreach_reportlink_add"),
        {
            "partner": donor_partner.pk,
            "expires_on": TOMORROW.strftime("%d/%m/%Y"),
            "note": "Chị Lan",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = ReportLink.objects.get()
    page = client.get(reverse("admin:outreach_reportlink_change", args=[link.pk])).content.decode()
    assert "http://testserver" + _url(link) in page


def test_a_shared_report_prints_a_code_that_verifies_on_the_public_page(client, link):
    from channel.models import ReportLinkCode

    html = client.get(_url(link)).content.decode()
    code = ReportLinkCode.objects.get(link=link).short_code
    assert code in html
    assert "/verify/" in html
    client.cookies["django_language"] = "en"
    check = client.get(reverse("verify"), {"code": code.lower()})
    assert check.status_code == 200
    assert "not found" not in check.content.decode().lower()
