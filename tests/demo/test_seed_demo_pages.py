"""The seeded demo through its pages: the staff admin, the cadre's and the donor's views, the
summary, the annual report and its PDF, the dashboard."""

import io
import re

import pytest
from django.contrib.auth import get_user_model

from demo import data
from households.models import Household, Member
from outreach.models import CodeList, Commune, Village

pytestmark = pytest.mark.django_db


def _result_count(html: str) -> int:
    # The admin's paginator line: "15 tài sản", "100 phiếu nhận", "1 khoản hỗ trợ".
    return int(re.search(r'<p class="paginator">\s*(\d+)', html).group(1))


@pytest.mark.parametrize(
    ("url", "count", "shown"),
    [
        (
            f"/admin/activities/asset/?kind__exact=solar_light&q={data.VILLAGE_PAC_HOP}",
            15,
            "2.050.000\u00a0₫",
        ),
        ("/admin/activities/asset/?kind__exact=trash_bin&installed_on_year=2022", 32, None),
        ("/admin/activities/receipt/?distribution_distributed_on_year=2024", 100, None),
        ("/admin/activities/grant/?approved_on_year=2024", 1, "70.000.000\u00a0₫"),
    ],
)
def test_staff_admin_shows_the_reported_figures(client, url, count, shown):
    client.force_login(get_user_model().objects.get(username="staff"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert _result_count(html) == count
    if shown:
        assert shown in html


def test_demo_cadre_works_in_tri_phu_only(client):
    # Another commune of today's Tuyên Quang (the new Tri Phú took in Linh Phú and the old Tri Phú).
    other = (
        Commune.objects.filter(code_list=CodeList.FROM_2025, province__code="08")
        .exclude(code=data.NEW_COMMUNE_CODE)
        .order_by("code")
        .first()
    )
    elsewhere = Household.objects.create(
        commune=other,
        village=Village.objects.create(commune=other, name="Thôn thử nghiệm"),
        code="TP-0001",
        head_name="Người Ở Xã Khác",
    )
    client.force_login(get_user_model().objects.get(username="cadre"))
    listing = client.get("/admin/households/household/", {"q": "LP-0012"})
    assert listing.status_code == 200
    assert "LP-0012" in listing.content.decode()
    everything = client.get("/admin/households/household/", {"q": "nguoi o xa khac"})
    assert elsewhere.head_name not in everything.content.decode()
    change = f"/admin/households/household/{elsewhere.pk}/change/"
    assert client.get(change).status_code == 404
    assert client.get("/admin/households/review/").status_code == 200
    # Reviews are made by commune decisions only, never in the admin.
    assert client.get("/admin/households/review/add/").status_code == 403
    assert client.get("/admin/households/household/add/").status_code == 403
    assert client.get("/admin/outreach/donation/").status_code == 403


def test_demo_donor_sees_bidv_money_down_to_villages_and_no_names(client):
    client.force_login(get_user_model().objects.get(username="donor"))
    home = client.get("/").content.decode()
    assert "/reports/donor/" in home
    html = client.get("/reports/donor/").content.decode()
    assert data.BIDV_TQ in html
    assert "30.000.000\u00a0₫" in html
    assert data.VILLAGE_PAC_HOP in html
    assert "Agribank" not in html
    assert "30.750.000\u00a0₫" not in html
    names = set(Household.objects.values_list("head_name", flat=True))
    names |= set(Member.objects.values_list("full_name", flat=True))
    assert not [name for name in names if name in html]


def _summary(client, year):
    client.force_login(get_user_model().objects.get(username="auditor"))
    response = client.get("/reports/summary.json", {"year": year})
    assert response.status_code == 200
    return response.json()


def test_summary_json_gives_the_reported_figures(client):
    figures = {year: _summary(client, year) for year in (2022, 2023, 2024)}
    bins = [a for a in figures[2022]["assets"] if a["kind"] == "trash_bin"]
    assert sum(a["count"] for a in bins) == 32
    poles = [a for a in figures[2023]["assets"] if a["kind"] == "solar_light"]
    assert sum(a["count"] for a in poles) == 15
    funders_2023 = {
        row["partner"]: row["value_vnd"] for row in figures[2023]["value_delivered_by_funder"]
    }
    assert funders_2023[data.AGRIBANK] > 30_000_000
    assert figures[2024]["receipts"]["count"] == 100
    assert figures[2024]["grants"]["amount_vnd"] == 70_000_000
    funders_2024 = {row["partner"] for row in figures[2024]["value_delivered_by_funder"]}
    assert {data.BIDV_TQ, data.BIDV_MD} <= funders_2024
    assert figures[2024]["households_served"] >= 101


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2022, ["32 × Thùng rác", data.OFFICE]),
        (
            2023,
            [
                "15 × Cột đèn năng lượng mặt trời",
                data.VILLAGE_PAC_HOP,
                data.AGRIBANK,
                "30.750.000\u00a0₫",
            ],
        ),
        (2024, ["100 ×", data.BIDV_TQ, data.BIDV_MD, "70.000.000\u00a0₫", data.VILLAGE_LUNG_LUA]),
    ],
)
def test_annual_report_shows_the_reported_table(
    client, django_assert_max_num_queries, year, expected
):
    client.force_login(get_user_model().objects.get(username="staff"))
    with django_assert_max_num_queries(30):
        response = client.get(f"/reports/annual/{year}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in expected:
        assert text in html, text


def test_annual_report_pdf_2024_has_the_gifts_and_the_house_in_vietnamese(client):
    import pypdf

    client.force_login(get_user_model().objects.get(username="staff"))
    response = client.get("/reports/annual/2024.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    # Cells wrap, so words of one cell may land on several lines: compare word by word.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Hoạt động kết nghĩa năm 2024" in text
    assert "100 ×" in text
    assert "Suất quà" in text
    assert "70.000.000 ₫" in text
    assert data.VILLAGE_LUNG_LUA in text
    assert data.BIDV_MD in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" in name for name in fonts)


def test_dashboard_shows_each_year_with_tables_beneath_the_charts(
    client, django_assert_max_num_queries
):
    client.force_login(get_user_model().objects.get(username="auditor"))
    with django_assert_max_num_queries(60):
        response = client.get("/reports/dashboard/")
    html = response.content.decode()
    assert response.status_code == 200
    funding = response.context["charts"]["funding"]
    assert [bar.label for bar in funding.bars][:3] == ["2022", "2023", "2024"]
    funding_2023 = {part.name: part.value for part in funding.bars[1].segments}
    assert funding_2023[data.AGRIBANK] == 30_750_000
    assert "30.750.000\u00a0₫" in html
    assert "<script>" not in html  # CSP: no inline script
