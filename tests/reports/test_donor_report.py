"""The donor's report: consented photos of what their money paid for, a timeline, the balance,
and the report as PDF and XLSX, for a donor, for staff and through a shared link."""

import datetime
import io

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from activities.services import donation_allocate, photo_process
from outreach.services import report_link_create, report_link_revoke, report_link_token
from reports.selectors import funded_photos
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("reports:donor-report")
FORMULA = '=HYPERLINK("http://x","y")'


def _photo(activity, *, consent=True, caption="Ảnh hoạt động"):
    photo = f.PhotoFactory(activity=activity, consent_to_publish=consent, caption=caption)
    return photo_process(actor=None, photo=photo)


@pytest.fixture
def trail(partnership, donor_partner):
    """The donor paid for gifts (an activity), half a house (another) and two poles (a third,
    the works in that village that day); another partner paid for something else."""
    village = f.VillageFactory(commune=partnership.commune, name="Pác Hợp")
    donation = f.DonationFactory(
        partnership=partnership,
        partner=donor_partner,
        value_vnd=50_000_000,
        received_on=D(2024, 7, 10),
    )
    gifts = f.ActivityFactory(partnership=partnership, title="Trao quà", starts_on=D(2024, 7, 24))
    distribution = f.DistributionFactory(
        partnership=partnership, activity=gifts, title=FORMULA, distributed_on=D(2024, 7, 24)
    )
    households = [f.HouseholdFactory(village=village) for _ in range(6)]
    for household in households:
        f.ReceiptFactory(
            distribution=distribution,
            household=household,
            confirmed_at=datetime.datetime(2024, 7, 24, 2, tzinfo=datetime.UTC),
        )
    donation_allocate(
        actor=None,
        donation=donation,
        amount_vnd=3_000_000,
        distribution=distribution,
        allocated_on=D(2024, 7, 12),
    )
    house = f.ActivityFactory(partnership=partnership, title="Xây nhà", starts_on=D(2024, 8, 5))
    grant = f.GrantFactory(
        partnership=partnership,
        activity=house,
        household=households[0],
        approved_on=D(2024, 8, 5),
        completed_on=D(2024, 11, 20),
        description="Nhà tình nghĩa",
    )
    donation_allocate(
        actor=None,
        donation=donation,
        amount_vnd=35_000_000,
        grant=grant,
        allocated_on=D(2024, 8, 1),
    )
    lights = f.ActivityFactory(
        partnership=partnership, title="Thắp sáng đường quê", starts_on=D(2024, 9, 1)
    )
    lights.villages.add(village)
    for _ in range(2):
        pole = f.AssetFactory(partnership=partnership, village=village, installed_on=D(2024, 9, 1))
        donation_allocate(
            actor=None,
            donation=donation,
            amount_vnd=2_000_000,
            asset=pole,
            allocated_on=D(2024, 8, 20),
        )
    # Same village, another day: not the works the poles belong to.
    other_day = f.ActivityFactory(partnership=partnership, starts_on=D(2024, 9, 2))
    other_day.villages.add(village)
    others = f.ActivityFactory(partnership=partnership, title="Việc của nhà tài trợ khác")
    other_distribution = f.DistributionFactory(partnership=partnership, activity=others)
    other_donation = f.DonationFactory(partnership=partnership, value_vnd=9_000_000)
    donation_allocate(
        actor=None, donation=other_donation, amount_vnd=1_000_000, distribution=other_distribution
    )
    photos = {
        "gifts": _photo(gifts, caption="Trao quà tận nhà"),
        "house": _photo(house, caption="Nhà mới"),
        "lights": _photo(lights, caption="Đèn sáng"),
        "no_consent": _photo(gifts, consent=False, caption="Không đồng ý"),
        "other_day": _photo(other_day, caption="Ngày khác"),
        "others": _photo(others, caption="Của người khác"),
    }
    return {"donation": donation, "households": households, "photos": photos}


# Photos ---------------------------------------------------------------------------------------


def test_only_consented_photos_of_activities_the_donor_paid_for_are_shown(donor_user, trail):
    shown = set(funded_photos(user=donor_user).values_list("caption", flat=True))
    assert shown == {"Trao quà tận nhà", "Nhà mới", "Đèn sáng"}


def test_a_photo_still_being_processed_is_not_shown(donor_user, trail, partnership):
    pending = f.PhotoFactory(
        activity=trail["photos"]["gifts"].activity, consent_to_publish=True, caption="Đang xử lý"
    )
    assert pending.state == "pending"
    assert not funded_photos(user=donor_user).filter(pk=pending.pk).exists()


def test_the_donor_page_shows_the_photos_through_the_reports_not_media(client, donor_user, trail):
    client.force_login(donor_user)
    html = client.get(URL).content.decode()
    photo = trail["photos"]["gifts"]
    assert reverse("reports:donor-photo", args=[photo.pk, "thumbnail"]) in html
    assert "/media/" not in html
    assert "Không đồng ý" not in html
    assert "Của người khác" not in html
    response = client.get(reverse("reports:donor-photo", args=[photo.pk, "display"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("which", ["no_consent", "other_day", "others"])
def test_a_photo_the_donor_may_not_see_is_404(client, donor_user, trail, which):
    client.force_login(donor_user)
    photo = trail["photos"][which]
    assert client.get(reverse("reports:donor-photo", args=[photo.pk, "display"])).status_code == 404


def test_only_the_resized_copies_are_served(client, donor_user, trail):
    client.force_login(donor_user)
    photo = trail["photos"]["gifts"]
    assert client.get(reverse("reports:donor-photo", args=[photo.pk, "image"])).status_code == 404
    # The original upload (with whatever it carried) is never reachable by a donor.
    assert client.get(photo.image.url).status_code == 403


def test_staff_see_the_photos_of_their_partnership_and_not_another(client, staff_user, trail):
    outside = _photo(f.ActivityFactory(), caption="Xã khác")
    client.force_login(staff_user)
    photo = trail["photos"]["house"]
    assert (
        client.get(reverse("reports:donor-photo", args=[photo.pk, "thumbnail"])).status_code == 200
    )
    assert (
        client.get(reverse("reports:donor-photo", args=[outside.pk, "thumbnail"])).status_code
        == 404
    )


# Timeline and balance -------------------------------------------------------------------------


def test_the_timeline_runs_from_the_donation_to_the_finished_house(client, donor_user, trail):
    client.cookies["django_language"] = "en"
    client.force_login(donor_user)
    response = client.get(URL)
    timeline = response.context["timeline"]
    assert [event.date for event in timeline] == sorted(event.date for event in timeline)
    steps = [(event.date, event.step) for event in timeline]
    assert steps[0] == (D(2024, 7, 10), "Donation received")
    assert (D(2024, 7, 12), "Allocated") in steps
    assert (D(2024, 7, 24), "Delivered") in steps
    assert steps[-1] == (D(2024, 11, 20), "Completed")
    # The two poles' allocations made the same day are one step.
    poles = [e for e in timeline if e.date == D(2024, 8, 20)]
    assert len(poles) == 1
    assert poles[0].amount_vnd == 4_000_000
    html = response.content.decode()
    assert "Timeline" in html


def test_the_remaining_balance_is_what_was_not_allocated(client, donor_user, trail):
    client.force_login(donor_user)
    response = client.get(URL)
    assert response.context["totals"] == {
        "given_vnd": 50_000_000,
        "allocated_vnd": 42_000_000,
        "delivered_vnd": 42_000_000,
        "pending_vnd": 0,
        "returned_vnd": 0,
        "remaining_vnd": 8_000_000,
    }
    assert "8.000.000\u00a0₫" in response.content.decode()


# Downloads ------------------------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_donor_downloads_their_report_as_pdf_with_photos_and_no_names(
    client, donor_user, donor_partner, trail
):
    client.force_login(donor_user)
    response = client.get(reverse("reports:donor-report-download", args=["pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-tai-tro-')
    text = _pdf_text(response.content)
    assert donor_partner.name in text
    assert "50.000.000 ₫" in text
    assert "Pác Hợp: 6" in text
    assert "Nhà tình nghĩa" in text
    for household in trail["households"]:
        assert household.head_name not in text
        assert household.code not in text
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 3  # the three consented photos of funded activities


def test_the_donor_report_xlsx_holds_numbers_and_neutralised_text(client, donor_user, trail):
    client.force_login(donor_user)
    response = client.get(reverse("reports:donor-report-download", args=["xlsx"]))
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert "'" + FORMULA in [cell.value for cell in cells]
    assert 50_000_000 in [cell.value for cell in cells]
    names = {h.head_name for h in trail["households"]} | {h.code for h in trail["households"]}
    assert not names & {str(cell.value) for cell in cells}


def test_a_donor_cannot_download_another_partners_report(client, donor_user, trail):
    other = f.DonationFactory().partner
    client.force_login(donor_user)
    url = reverse("reports:donor-report-download", args=["pdf"])
    assert client.get(url, {"partner": other.pk}).status_code == 404


def test_an_unknown_download_format_is_404(client, donor_user, trail):
    client.force_login(donor_user)
    assert client.get(reverse("reports:donor-report-download", args=["docx"])).status_code == 404


def test_cadres_have_no_donor_downloads(client, cadre_user, trail):
    client.force_login(cadre_user)
    assert client.get(reverse("reports:donor-report-download", args=["pdf"])).status_code == 403


# Shared link ----------------------------------------------------------------------------------


@pytest.fixture
def token(staff_user, donor_partner, trail):
    link = report_link_create(
        actor=staff_user,
        partner=donor_partner,
        expires_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    return link, report_link_token(link)


def test_a_shared_link_shows_photos_timeline_and_downloads_without_an_account(client, token, trail):
    _link, value = token
    html = client.get(reverse("reports:shared-donor-report", args=[value])).content.decode()
    photo = trail["photos"]["gifts"]
    photo_url = reverse("reports:shared-donor-photo", args=[value, photo.pk, "thumbnail"])
    assert photo_url in html
    assert client.get(photo_url).status_code == 200
    for fmt in ("pdf", "xlsx"):
        url = reverse("reports:shared-donor-report-download", args=[value, fmt])
        assert url in html
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    others = trail["photos"]["others"]
    url = reverse("reports:shared-donor-photo", args=[value, others.pk, "thumbnail"])
    assert client.get(url).status_code == 404


def test_a_revoked_link_serves_neither_photos_nor_downloads(client, staff_user, token, trail):
    link, value = token
    report_link_revoke(actor=staff_user, link=link)
    photo = trail["photos"]["gifts"]
    assert (
        client.get(
            reverse("reports:shared-donor-photo", args=[value, photo.pk, "thumbnail"])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("reports:shared-donor-report-download", args=[value, "pdf"])).status_code
        == 404
    )
