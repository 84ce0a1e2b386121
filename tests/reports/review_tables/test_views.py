"""The review tables' pages and files, the named lists, and what donors and shared links get."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from households.models import Review
from outreach.services import report_link_create, report_link_token
from tests import factories as f
from tests.reports.review_tables.conftest import decide, household

pytestmark = pytest.mark.django_db
TABLES = reverse("reports:review-tables")
LISTS = reverse("reports:review-lists-download")


def _query(commune, year=2025):
    return {"commune": commune.pk, "year": year}


def _cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _names(year_2025) -> list[str]:
    return [h.head_name for h in (*year_2025["chang"], *year_2025["ma"])]


def test_a_cadre_reads_the_communes_tables(client, cadre_user, commune, year_2025):
    client.force_login(cadre_user)
    response = client.get(TABLES, _query(commune))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bản Chang" in html
    assert "16,7" in html  # Bản Chang's near-poor rate, written the Vietnamese way
    assert "40,0" in html  # the commune's poor rate
    assert "2022-2025" in html
    assert "07/2021" in html
    assert 'class="table-responsive"' in html
    assert not any(name in html for name in _names(year_2025))


def test_the_page_runs_the_same_queries_with_few_and_many_rows(
    client, staff_user, commune, villages, django_assert_num_queries
):
    few = [household(villages[0])]
    decide(commune, 2025, [(h, "poor", "poor", ["water"]) for h in few])
    client.force_login(staff_user)
    client.get(TABLES, _query(commune))  # the session and the user's roles, once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as counted:
        assert client.get(TABLES, _query(commune)).status_code == 200
    many = [household(v) for v in villages for _n in range(10)]
    decide(
        commune,
        2025,
        [(h, "near_poor", "none", ["telecom"], ["land"], ["credit"]) for h in many],
        kind="adhoc",
        signed_on=datetime.date(2025, 12, 20),
    )
    with django_assert_num_queries(len(counted)):
        assert client.get(TABLES, _query(commune)).status_code == 200


def test_a_commune_outside_the_scope_is_404(client, staff_user, year_2025):
    elsewhere = f.PartnershipFactory().commune
    client.force_login(staff_user)
    assert client.get(TABLES, _query(elsewhere)).status_code == 404
    assert client.get(LISTS, _query(elsewhere)).status_code == 404
    xlsx = reverse("reports:review-tables-download", args=["xlsx"])
    assert client.get(xlsx, _query(elsewhere)).status_code == 404


def test_the_tables_download_as_xlsx_and_pdf_with_the_figures(
    client, staff_user, commune, year_2025
):
    client.force_login(staff_user)
    xlsx = client.get(reverse("reports:review-tables-download", args=["xlsx"]), _query(commune))
    cells = _cells(xlsx.content)
    assert "Bản Chang" in cells
    assert 10 in cells  # households in the commune
    assert any(isinstance(c, str) and "2022-2025" in c for c in cells)
    assert not any(name in cells for name in _names(year_2025))
    pdf = client.get(reverse("reports:review-tables-download", args=["pdf"]), _query(commune))
    text = _pdf_text(pdf.content)
    assert "Bản Chang" in text
    assert "16,7" in text
    assert "2022-2025" in text


def test_the_named_lists_name_the_households_for_the_commune(
    client, cadre_user, auditor_user, commune, year_2025
):
    for user in (cadre_user, auditor_user):
        client.force_login(user)
        response = client.get(LISTS, _query(commune))
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(response.content))
        # The cover, then poor, near-poor, average, left poverty, fell into poverty.
        poor = list(workbook.worksheets[1].iter_rows(values_only=True))
        heads = {row[1] for row in poor[1:]}
        assert len(heads) == 4
        assert year_2025["chang"][0].head_name in heads
        cells = _cells(response.content)
        # Left poverty: Bản Chang's fourth and sixth households.
        assert cells.count(year_2025["chang"][5].code) == 1
        assert cells.count(year_2025["chang"][3].code) == 2  # near-poor, and left poverty


def test_donors_get_404_for_the_named_lists(
    client, donor_user, donor_partner, partnership, commune, year_2025
):
    f.DonationFactory(partnership=partnership, partner=donor_partner)
    client.force_login(donor_user)
    assert client.get(LISTS, _query(commune)).status_code == 404
    assert client.get(TABLES, _query(commune)).status_code == 403


@pytest.fixture
def funded(partnership, donor_partner, year_2025):
    f.DonationFactory(partnership=partnership, partner=donor_partner, value_vnd=5_000_000)
    return year_2025


def test_the_donor_report_shows_the_years_counts_small_ones_as_under_five(
    client, donor_user, funded
):
    client.force_login(donor_user)
    response = client.get(reverse("reports:donor-report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2022-2025" in html
    # 10 households, 4 poor, 3 near-poor, 2 left poverty: all under five but the households.
    assert re.search(r'<td class="num[^"]*"[^>]*>10</td>', html)
    assert re.search(r'<td class="num[^"]*"[^>]*>&lt; 5</td>', html)
    assert '<td class="num">4</td>' not in html
    assert not any(name in html for name in _names(funded))
    for fmt in ("pdf", "xlsx"):
        content = client.get(reverse("reports:donor-report-download", args=[fmt])).content
        found = _pdf_text(content) if fmt == "pdf" else "\n".join(map(str, _cells(content)))
        assert "< 5" in found
        assert not any(name in found for name in _names(funded))
        assert not any(h.code in found for h in funded["chang"])


def test_a_shared_link_gets_the_counts_and_never_a_name(client, staff_user, donor_partner, funded):
    link = report_link_create(
        actor=staff_user,
        partner=donor_partner,
        expires_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    token = report_link_token(link)
    html = client.get(reverse("reports:shared-donor-report", args=[token])).content.decode()
    assert "&lt; 5" in html
    assert "2022-2025" in html
    assert not any(name in html for name in _names(funded))
    for fmt in ("pdf", "xlsx"):
        url = reverse("reports:shared-donor-report-download", args=[token, fmt])
        content = client.get(url).content
        found = _pdf_text(content) if fmt == "pdf" else "\n".join(map(str, _cells(content)))
        assert "< 5" in found
        assert not any(name in found for name in _names(funded))
    # No shared address reaches the named lists: without an account, the login page.
    assert client.get(LISTS, _query(funded["decision"].campaign.commune)).status_code == 302


def test_the_province_page_for_office_readers(client, auditor_user, cadre_user, commune, year_2025):
    url = reverse("reports:review-tables-province")
    client.force_login(auditor_user)
    response = client.get(url, {"province": commune.province_id, "year": 2025})
    assert response.status_code == 200
    assert commune.name in response.content.decode()
    xlsx = client.get(
        reverse("reports:review-tables-download", args=["xlsx"]),
        {"province": commune.province_id, "year": 2025},
    )
    assert commune.name in _cells(xlsx.content)
    client.force_login(cadre_user)
    assert client.get(url).status_code == 403


def _poor_cells(html: str) -> dict:
    """The rows of the province page's first table: name → the "Poor" cell."""
    html = html[html.index('id="figures"') : html.index('id="deprivation"')]
    rows = re.findall(
        r"<tr>\s*<t[hd][^>]*>([^<]+)</t[hd]>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]+)</td>", html
    )
    return {name.strip(): poor.strip() for name, poor in rows}


def test_the_province_page_is_read_back_from_the_cache_until_a_new_decision(
    client, auditor_user, staff_user, commune, year_2025
):
    other = f.CommuneFactory(province=commune.province, name="Xã Khác")
    village = f.VillageFactory(commune=other)
    decide(other, 2025, [(household(village), "poor", "near_poor", ["water"])])
    url = reverse("reports:review-tables-province")
    query = {"province": commune.province_id, "year": 2025}
    client.force_login(auditor_user)
    first = client.get(url, query).content.decode()
    assert _poor_cells(first) == {commune.name: "4", "Xã Khác": "1"}
    # Again: the page's own queries only; the tables come back as HTML, not as text.
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, query).content.decode()
    tables = slice(first.index('id="figures"'), first.rindex("</table>"))
    assert again[tables] == first[tables]
    assert "&lt;table" not in again
    assert "<table" in again
    reviews = f'"{Review._meta.db_table}"'
    assert not any(reviews in q["sql"] for q in queries.captured_queries)
    # Office staff: their commune's row only, not the auditor's page.
    client.force_login(staff_user)
    assert _poor_cells(client.get(url, query).content.decode()) == {commune.name: "4"}
    # In English: the English page.
    client.force_login(auditor_user)
    client.cookies["django_language"] = "en"
    english = client.get(url, query).content.decode()
    client.cookies["django_language"] = "vi"
    assert "Poor and near-poor households by commune" in english
    assert "Poor and near-poor households by commune" not in again
    # A new decision anywhere in the province: the new figures at once.
    decide(
        other,
        2025,
        [(household(village), "poor", "none")],
        kind="adhoc",
        signed_on=datetime.date(2025, 12, 28),
    )
    assert _poor_cells(client.get(url, query).content.decode())["Xã Khác"] == "2"
