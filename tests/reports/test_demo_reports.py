"""Every report against the demo's data: the published figures come out exactly, the donor sees
villages and counts with no names, and the downloads read in Vietnamese.

The demo is seeded once for the module inside a transaction rolled back at the end.
"""

import io
import sys

import openpyxl
import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from activities.models import Asset, Photo
from activities.services import photo_process
from demo import data
from households.models import Household, Member, Review, Status
from outreach.models import Partner

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", households=data.MIN_HOUSEHOLDS, stdout=io.StringIO())
            # Photos are processed by a task queued on commit, which this open transaction never
            # reaches: process them as the task would.
            for photo in Photo.objects.filter(state=Photo.State.PENDING):
                photo_process(actor=None, photo=photo)
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
        yield
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def _pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    # Cells wrap, so words of one cell may land on several lines: compare word by word.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _xlsx_sheets(content: bytes) -> dict[str, list[list]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook
    }


def _names() -> set[str]:
    names = set(Household.objects.values_list("head_name", flat=True))
    names |= set(Member.objects.values_list("full_name", flat=True))
    return names


# The donor ------------------------------------------------------------------------------------


def test_the_demo_donor_follows_its_money_to_villages_with_photos_and_no_names(client):
    _login(client, "donor")
    response = client.get(reverse("reports:donor-report"))
    html = response.content.decode()
    assert response.status_code == 200
    trail = response.context["trails"]
    assert [t.donation.value_vnd for t in trail] == [30_000_000]
    (delivered,) = trail[0].delivered
    reached = dict(delivered.villages)
    assert set(reached) == {name for name, *_rest in data.VILLAGES}
    assert sum(int(count) for count in reached.values()) == data.GIFTS_2024
    assert response.context["totals"]["remaining_vnd"] == 0
    steps = [event.step for event in response.context["timeline"]]
    assert len(steps) == 3  # received, allocated, delivered
    captions = [photo.caption for photo in response.context["photos"]]
    assert captions == [data.PHOTOS["gifts_2024"][0][0]]
    assert not [name for name in _names() if name in html]
    codes = Household.objects.values_list("code", flat=True)
    assert not [code for code in codes if code in html]


def test_the_demo_donors_pdf_reads_in_vietnamese_without_names(client):
    _login(client, "donor")
    response = client.get(reverse("reports:donor-report-download", args=["pdf"]))
    text = _pdf_text(response.content)
    assert data.BIDV_TQ in text
    assert "30.000.000 ₫" in text
    assert data.VILLAGE_LUNG_LUA in text
    assert "Agribank" not in text
    assert not [name for name in _names() if name in text]


def test_agribank_sees_the_lights_photo_and_bidv_does_not(client):
    agribank = Partner.objects.get(name=data.AGRIBANK)
    _login(client, "staff")
    response = client.get(reverse("reports:donor-report"), {"partner": agribank.pk})
    captions = [photo.caption for photo in response.context["photos"]]
    assert captions == [data.PHOTOS["lights_2023"][0][0]]
    lights = Photo.objects.get(caption=captions[0])
    _login(client, "donor")
    url = reverse("reports:donor-photo", args=[lights.pk, "thumbnail"])
    assert client.get(url).status_code == 404


# The annual report ----------------------------------------------------------------------------


def _support(client, year):
    _login(client, "auditor")
    response = client.get(reverse("reports:annual-report-xlsx", args=[year]))
    assert response.status_code == 200
    sheets = _xlsx_sheets(response.content)
    return list(sheets.values())[1][1:]  # the "support delivered" sheet, without its header


def test_the_annual_workbook_2022_has_the_32_bins_from_the_office(client):
    rows = _support(client, 2022)
    bins = next(row for row in rows if row[3].startswith(f"{data.BIN_COUNT} × "))
    assert bins[2] == data.OFFICE
    assert bins[4] == data.BIN_COUNT * data.BIN_VALUE_VND
    assert len(bins[1].split(", ")) == 8


def test_the_annual_workbook_2023_has_15_poles_in_pac_hop_from_agribank(client):
    rows = _support(client, 2023)
    poles = next(row for row in rows if row[3].startswith(f"{data.POLE_COUNT} × "))
    assert poles[1] == data.VILLAGE_PAC_HOP
    assert poles[2] == data.AGRIBANK
    assert poles[4] > 30_000_000


def test_the_annual_workbook_2024_has_100_gifts_and_the_house(client):
    rows = _support(client, 2024)
    gifts = next(row for row in rows if row[3].startswith(f"{data.GIFTS_2024} × "))
    assert set(gifts[2].split(", ")) == {data.BIDV_TQ, data.BIDV_MD}
    house = next(row for row in rows if row[4] == data.GRANT_VND)
    assert house[1] == data.VILLAGE_LUNG_LUA


def test_the_annual_pdf_2024_shows_the_gifts_and_the_house_in_vietnamese(client):
    _login(client, "staff")
    response = client.get(reverse("reports:annual-report-pdf", args=[2024]))
    text = _pdf_text(response.content)
    assert "Hoạt động kết nghĩa năm 2024" in text
    assert f"{data.GIFTS_2024} ×" in text
    assert "70.000.000 ₫" in text
    assert "Viếng Lăng Chủ tịch Hồ Chí Minh" in text
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    assert reader.pages[0].mediabox.height == pytest.approx(841.89, abs=1)


# The dashboard --------------------------------------------------------------------------------


def test_the_dashboard_counts_the_reviews_that_lifted_households(client):
    _login(client, "auditor")
    response = client.get(reverse("reports:dashboard"))
    years = {y["year"]: y["improved"] for y in response.context["years"]}
    for year in (2022, 2023, 2024):
        reviews = Review.objects.filter(approved=True, reviewed_on__year=year)
        left_poverty = (
            reviews.filter(previous_status=Status.POOR)
            .exclude(status=Status.POOR)
            .values("household")
            .distinct()
            .count()
        )
        left_near = (
            reviews.filter(previous_status=Status.NEAR_POOR)
            .exclude(status__in=[Status.POOR, Status.NEAR_POOR])
            .values("household")
            .distinct()
            .count()
        )
        assert years[year] == {
            "year": year,
            "left_poverty": left_poverty,
            "left_near_poverty": left_near,
        }
    assert any(years[y]["left_poverty"] for y in (2022, 2023, 2024))


def test_the_dashboard_shows_the_bins_and_poles_with_their_state(client):
    _login(client, "auditor")
    response = client.get(reverse("reports:dashboard"))
    assets = {(row["year"], row["count"]) for row in response.context["assets"]}
    assert {(2022, data.BIN_COUNT), (2023, data.POLE_COUNT)} <= assets
    poles = next(row for row in response.context["assets"] if row["year"] == 2023)
    faulty = Asset.objects.filter(kind=Asset.Kind.SOLAR_LIGHT, status=Asset.Status.FAULTY).count()
    assert (poles["faulty"], poles["in_service"] + poles["faulty"]) == (faulty, data.POLE_COUNT)
    villages = {(row["year"], row["village"]): row for row in response.context["villages"]}
    assert villages[(2023, data.VILLAGE_PAC_HOP)]["assets"] == data.POLE_COUNT
    assert villages[(2024, data.VILLAGE_LUNG_LUA)]["grants_vnd"] == data.GRANT_VND
    assert sum(row["households"] for key, row in villages.items() if key[0] == 2024) == 100


def test_the_dashboard_pdf_and_workbook_carry_the_same_figures(client):
    _login(client, "staff")
    pdf = client.get(reverse("reports:dashboard-download", args=["pdf"]))
    text = _pdf_text(pdf.content)
    assert data.AGRIBANK in text
    assert "30.750.000 ₫" in text
    assert data.VILLAGE_LUNG_LUA in text
    workbook = client.get(reverse("reports:dashboard-download", args=["xlsx"]))
    funding = list(_xlsx_sheets(workbook.content).values())[1]
    header, *rows = funding
    row_2023 = next(row for row in rows if row[0] == 2023)
    assert row_2023[header.index(data.AGRIBANK)] == 30_750_000


def test_unconfirming_receipts_changes_every_donor_figure_by_exactly_their_value(client):
    """Delivered means confirmed: take the confirmation off some of the 2024 gifts and the donor
    reports of both banks, the yearly summary and summary.json lose exactly their value."""
    from activities.models import Distribution, Receipt

    gifts = Distribution.objects.get(title=data.GIFTS_2024_DISTRIBUTION["title"])
    banks = [Partner.objects.get(name=name) for name in (data.BIDV_TQ, data.BIDV_MD)]
    _login(client, "staff")

    def figures():
        reports = [
            client.get(reverse("reports:donor-report"), {"partner": bank.pk}).context
            for bank in banks
        ]
        summary = client.get(reverse("reports:summary-json"), {"year": 2024}).json()
        by_funder = {
            row["partner"]: row["value_vnd"] for row in summary["value_delivered_by_funder"]
        }
        pending = {row["partner"]: row["value_vnd"] for row in summary["pending_by_funder"]}
        return {
            "delivered": sum(r["totals"]["delivered_vnd"] for r in reports),
            "pending": sum(r["totals"]["pending_vnd"] for r in reports),
            "trail_delivered": sum(
                item.amount_vnd for r in reports for t in r["trails"] for item in t.delivered
            ),
            "by_funder": sum(by_funder.get(bank.name, 0) for bank in banks),
            "pending_by_funder": sum(pending.get(bank.name, 0) for bank in banks),
            "receipts_value": summary["receipts"]["value_vnd"],
            "served": summary["households_served"],
        }

    before = figures()
    taken = list(gifts.receipts.order_by("pk").values_list("pk", flat=True)[:7])
    value = sum(Receipt.objects.filter(pk__in=taken).values_list("value_vnd", flat=True))
    assert value == 7 * data.GIFT_2024_VND
    Receipt.objects.filter(pk__in=taken).update(confirmed_at=None, confirmed_by=None)
    after = figures()
    assert before["delivered"] - after["delivered"] == value
    assert after["pending"] - before["pending"] == value
    assert before["trail_delivered"] - after["trail_delivered"] == value
    assert before["by_funder"] - after["by_funder"] == value
    assert after["pending_by_funder"] - before["pending_by_funder"] == value
    assert before["receipts_value"] - after["receipts_value"] == value
    assert before["served"] - after["served"] == 7
