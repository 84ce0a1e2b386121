"""Reports at a province's scale: villages told apart by id, a province's table by commune, and a
"where" cell that names a few villages and counts the rest."""

import datetime

import pytest
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from reports.selectors import annual_report, dashboard
from reports.selectors.figures import PLACES_NAMED, _named_places
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


def _lights(partnership, names, year=2024):
    for name in names:
        village = f.VillageFactory(commune=partnership.commune, name=name)
        f.AssetFactory(partnership=partnership, village=village, installed_on=D(year, 3, 1))


def test_two_communes_with_a_village_of_the_same_name_are_not_added_together(admin_user):
    first, second = f.PartnershipFactory(), f.PartnershipFactory()
    _lights(first, ["Thôn 1"])
    _lights(second, ["Thôn 1", "Thôn 2"])
    data = dashboard(user=admin_user, first_year=2024, last_year=2024)
    assert data["villages_by"] == "village"
    assert data["villages_communes"] is True
    rows = {(row["commune"], row["village"]): row["assets"] for row in data["villages"]}
    assert rows == {
        (first.commune.name, "Thôn 1"): 1,
        (second.commune.name, "Thôn 1"): 1,
        (second.commune.name, "Thôn 2"): 1,
    }


def test_past_the_village_rows_a_province_is_added_up_by_commune(admin_user, monkeypatch):
    from reports.selectors import dashboard_tables as figures

    monkeypatch.setattr(figures, "VILLAGE_ROWS", 2)
    first, second = f.PartnershipFactory(), f.PartnershipFactory()
    _lights(first, ["Thôn 1"])
    _lights(second, ["Thôn 1", "Thôn 2"])
    data = dashboard(user=admin_user, first_year=2024, last_year=2024)
    assert data["villages_by"] == "commune"
    rows = {row["village"]: row["assets"] for row in data["villages"]}
    assert rows == {first.commune.name: 1, second.commune.name: 2}


def test_one_commune_keeps_a_row_per_village(staff_user, partnership):
    _lights(partnership, ["Thôn 1", "Thôn 2"])
    data = dashboard(user=staff_user, first_year=2024, last_year=2024)
    assert data["villages_by"] == "village"
    assert [(row["village"], row["assets"]) for row in data["villages"]] == [
        ("Thôn 1", 1),
        ("Thôn 2", 1),
    ]


def test_a_province_dashboard_says_by_commune(client, admin_user, monkeypatch):
    from reports.selectors import dashboard_tables as figures

    monkeypatch.setattr(figures, "VILLAGE_ROWS", 1)
    first, second = f.PartnershipFactory(), f.PartnershipFactory()
    _lights(first, ["Thôn 1"])
    _lights(second, ["Thôn 1"])
    client.force_login(admin_user)
    response = client.get(reverse("reports:dashboard"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert response.context["villages_by"] == "commune"
    assert gettext("By commune") in response.text


def test_a_where_cell_names_the_first_villages_and_counts_the_others():
    names = [f"Thôn {n:04d}" for n in range(2500)]
    cut = _named_places(names)
    rest = 2500 - PLACES_NAMED
    assert cut[:PLACES_NAMED] == names[:PLACES_NAMED]
    assert cut[-1] == ngettext(
        "and %(count)s other village", "and %(count)s other villages", rest
    ) % {"count": "2.490"}
    assert len(cut) == PLACES_NAMED + 1
    # A list one longer than the cut is shown whole: "and 1 other village" saves nothing.
    assert _named_places(names[: PLACES_NAMED + 1]) == names[: PLACES_NAMED + 1]


def test_the_annual_pdf_of_lights_in_many_villages_fits_its_pages(client, admin_user):
    partnership = f.PartnershipFactory()
    _lights(partnership, [f"Thôn số {n} của xã vùng cao" for n in range(400)])
    report = annual_report(user=admin_user, year=2024)
    (lights,) = [row for row in report["support"] if row.quantity == 400]
    assert len(lights.where) == PLACES_NAMED + 1
    client.force_login(admin_user)
    response = client.get(reverse("reports:annual-report-pdf", args=[2024]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
