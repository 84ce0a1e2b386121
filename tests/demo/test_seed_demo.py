"""seed_demo: the reported figures, read back from the rows, and a second run that changes nothing.

The demo is seeded once for the module inside a transaction rolled back at the end; each test runs
in a savepoint within it, so tests that run the command again leave the others' data alone.
"""

import datetime
import io
import re
import sys
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max, Sum
from django.test import override_settings
from django.utils import timezone

from activities.models import (
    Activity,
    Allocation,
    Asset,
    Distribution,
    Grant,
    MaintenanceLog,
    Receipt,
)
from core.text import fold
from demo import data
from demo.builders import seeder
from households.models import Household, Member, Review
from outreach.models import Commune, District, Donation, Partner, Partnership, Province, Village

# Enough households for 100 policy or difficulty households in 2024 (MIN_HOUSEHOLDS checks it).
N = data.MIN_HOUSEHOLDS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _fast_hasher():
    # The demo password is hashed on every run; the real hasher is slow on purpose.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="module", autouse=True)
def seeded(_fast_hasher, django_db_setup, django_db_blocker):
    """Seed once for the module; roll it all back afterwards so other modules see no demo."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            out = io.StringIO()
            call_command("seed_demo", households=N, stdout=out)
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    yield out.getvalue()
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _partnership() -> Partnership:
    return Partnership.objects.get(office__name=data.OFFICE, commune__name=data.COMMUNE)


def _status_on(household_ids, day: datetime.date) -> dict[int, str]:
    """Each household's status on ``day``: its latest approved review up to then."""
    statuses = {}
    reviews = Review.objects.filter(
        household_id__in=household_ids, approved=True, reviewed_on__lte=day
    ).order_by("household_id", "reviewed_on", "pk")
    for review in reviews:
        statuses[review.household_id] = review.status
    return statuses


def _funding(**target) -> dict[str, int]:
    """Allocated amounts to ``target`` by the funding partner's name."""
    return dict(
        Allocation.objects.filter(**target)
        .values_list("donation__partner__name")
        .annotate(total=Sum("amount_vnd"))
    )


# --- The map -------------------------------------------------------------------------------------


def test_old_map_is_kept_with_the_2025_reform():
    tuyen_quang = Province.objects.get(name="Tuyên Quang")
    ha_giang = Province.objects.get(name="Hà Giang")
    assert tuyen_quang.valid_until is None
    assert ha_giang.valid_until == datetime.date(2025, 6, 30)
    assert ha_giang.merged_into == tuyen_quang
    assert ha_giang.current == tuyen_quang

    chiem_hoa = District.objects.get(name="Chiêm Hóa")
    assert chiem_hoa.province == tuyen_quang
    assert chiem_hoa.valid_until == datetime.date(2025, 6, 30)
    assert chiem_hoa.merged_into is None  # abolished, not merged

    linh_phu = Commune.objects.get(name="Linh Phú")
    assert linh_phu.district == chiem_hoa
    assert linh_phu.merged_into is None  # not in the reports, so not invented
    assert linh_phu.full_name == "Linh Phú, Chiêm Hóa, Tuyên Quang"
    tri_phu = Commune.objects.get(name="Tri Phú")
    assert tri_phu.district == chiem_hoa


def test_linh_phu_has_eight_villages_of_which_two_are_reported():
    villages = Village.objects.filter(commune__name="Linh Phú")
    assert villages.count() == 8
    real = set(villages.filter(is_invented=False).values_list("name", flat=True))
    assert real == {"Pác Hợp", "Lũng Lừa"}
    assert villages.filter(is_invented=True).count() == 6
    pac_hop = villages.get(name="Pác Hợp")
    assert pac_hop.full_name == "Pác Hợp, Linh Phú, Chiêm Hóa, Tuyên Quang"


def test_partners_and_the_partnership():
    kinds = dict(Partner.objects.values_list("name", "kind"))
    assert kinds == {
        "Văn phòng Tỉnh ủy Tuyên Quang": "agency",
        "Agribank Chi nhánh Tuyên Quang": "bank",
        "BIDV Chi nhánh Tuyên Quang": "bank",
        "BIDV Chi nhánh Mỹ Đình": "bank",
    }
    partnership = _partnership()
    assert partnership.commune.name == "Linh Phú"


# --- The reported figures ------------------------------------------------------------------------


def test_2022_thirty_two_trash_bins_serve_households_in_all_eight_villages():
    bins = Asset.objects.filter(
        partnership=_partnership(), kind=Asset.Kind.TRASH_BIN, installed_on__year=2022
    )
    assert bins.count() == 32
    assert bins.values("village").distinct().count() == 8
    assert not bins.filter(household__isnull=True).exists()
    for trash_bin in bins.select_related("household"):
        assert trash_bin.household.village_id == trash_bin.village_id
    value = bins.aggregate(s=Sum("value_vnd"))["s"]
    assert _funding(asset__in=bins) == {"Văn phòng Tỉnh ủy Tuyên Quang": value}


def test_2023_fifteen_solar_poles_in_pac_hop_worth_over_30_million_funded_by_agribank():
    poles = Asset.objects.filter(
        partnership=_partnership(),
        kind=Asset.Kind.SOLAR_LIGHT,
        installed_on__year=2023,
        village__name="Pác Hợp",
    )
    assert poles.count() == 15
    value = poles.aggregate(s=Sum("value_vnd"))["s"]
    assert value > 30_000_000
    assert _funding(asset__in=poles) == {"Agribank Chi nhánh Tuyên Quang": value}
    for pole in poles:
        funded = pole.allocations.aggregate(s=Sum("amount_vnd"))["s"]
        assert funded == pole.value_vnd
    assert Activity.objects.filter(
        kind=Activity.Kind.CONSTRUCTION, title__contains="Thắp sáng đường quê", starts_on__year=2023
    ).exists()


def test_poles_have_checks_one_fault_and_its_repair():
    logs = MaintenanceLog.objects.filter(asset__kind=Asset.Kind.SOLAR_LIGHT)
    kinds = Counter(logs.values_list("kind", flat=True))
    assert kinds[MaintenanceLog.Kind.INSTALLATION] == 15
    assert kinds[MaintenanceLog.Kind.CHECK] >= 15
    assert kinds[MaintenanceLog.Kind.FAULT] == 1
    assert kinds[MaintenanceLog.Kind.REPAIR] == 1
    fault = logs.get(kind=MaintenanceLog.Kind.FAULT)
    repair = logs.get(kind=MaintenanceLog.Kind.REPAIR)
    assert fault.asset == repair.asset
    assert fault.happened_on < repair.happened_on
    assert fault.asset.status == Asset.Status.REPAIRED
    assert not logs.filter(happened_on__gt=timezone.localdate()).exists()


def test_2023_visit_with_gifts_to_disadvantaged_families_in_pac_hop():
    distribution = Distribution.objects.get(partnership=_partnership(), distributed_on__year=2023)
    assert distribution.status == Distribution.Status.CLOSED
    receipts = distribution.receipts.all()
    assert 0 < receipts.count() <= 20
    assert set(receipts.values_list("village__name", flat=True)) == {"Pác Hợp"}
    assert not receipts.filter(confirmed_at__isnull=True).exists()
    statuses = _status_on(receipts.values("household"), distribution.distributed_on)
    assert set(statuses.values()) <= {"poor", "near_poor", "policy", "difficulty"}
    total = receipts.aggregate(s=Sum("value_vnd"))["s"]
    assert _funding(distribution=distribution) == {"Văn phòng Tỉnh ủy Tuyên Quang": total}


def test_2024_exactly_100_gifts_to_policy_or_difficulty_households_funded_by_bidv():
    receipts = Receipt.objects.filter(
        distribution__partnership=_partnership(), distribution__distributed_on__year=2024
    )
    assert receipts.count() == 100
    assert not receipts.filter(confirmed_at__isnull=True).exists()
    assert receipts.values("household").distinct().count() == 100
    distributions = Distribution.objects.filter(receipts__in=receipts).distinct()
    assert {d.status for d in distributions} == {Distribution.Status.CLOSED}
    for distribution in distributions:
        mine = receipts.filter(distribution=distribution)
        statuses = _status_on(mine.values("household"), distribution.distributed_on)
        assert len(statuses) == mine.count()
        assert set(statuses.values()) <= {"policy", "difficulty"}
    funding = _funding(distribution__in=distributions)
    assert set(funding) == {"BIDV Chi nhánh Tuyên Quang", "BIDV Chi nhánh Mỹ Đình"}
    assert sum(funding.values()) == receipts.aggregate(s=Sum("value_vnd"))["s"]


def test_2024_house_grant_of_70_million_to_a_poor_lung_lua_household_with_a_disabled_head():
    grant = Grant.objects.get(partnership=_partnership(), purpose=Grant.Purpose.HOUSE_BUILDING)
    assert grant.amount_vnd == 70_000_000
    assert grant.approved_on.year == 2024
    assert grant.village.name == "Lũng Lừa"
    household = grant.household
    assert household.village.name == "Lũng Lừa"
    assert household.housing_condition == Household.Housing.DILAPIDATED
    assert _status_on([household.pk], grant.approved_on) == {household.pk: "poor"}
    head = household.members.get(relation=Member.Relation.HEAD)
    assert head.has_disability
    assert "không có khả năng lao động" in head.disability_note
    assert household.members.filter(relation=Member.Relation.SPOUSE).exists()
    assert "thường xuyên ốm đau" in household.notes
    allocations = grant.allocations.all()
    assert sum(a.amount_vnd for a in allocations) == 70_000_000
    assert {a.donation.partner.name for a in allocations} == {"Văn phòng Tỉnh ủy Tuyên Quang"}
    assert all("Văn phòng Tỉnh ủy và các đơn vị kết nghĩa" in a.note for a in allocations)


def test_no_donation_is_over_allocated_and_every_asset_and_grant_is_fully_funded():
    for donation in Donation.objects.all():
        allocated = donation.allocations.aggregate(s=Sum("amount_vnd"))["s"] or 0
        assert allocated <= donation.value_vnd, donation
        assert donation.allocations.filter(allocated_on__lt=donation.received_on).count() == 0
    for asset in Asset.objects.all():
        assert asset.allocations.aggregate(s=Sum("amount_vnd"))["s"] == asset.value_vnd
    for grant in Grant.objects.all():
        assert grant.allocations.aggregate(s=Sum("amount_vnd"))["s"] == grant.amount_vnd


def test_activities_of_the_field_notes():
    activities = Activity.objects.filter(partnership=_partnership())
    kinds = set(activities.values_list("kind", flat=True))
    assert kinds >= {
        "community_work",
        "digital_skills",
        "records_guidance",
        "study_trip",
        "visit_with_gifts",
        "construction",
    }
    assert activities.filter(kind="digital_skills", starts_on__year=2022).exists()
    ha_noi = activities.get(starts_on=datetime.date(2024, 5, 19))
    assert ha_noi.kind == "study_trip"
    assert "134" in ha_noi.title
    for place in ("Lăng Chủ tịch Hồ Chí Minh", "Phủ Chủ tịch", "Bảo tàng Hồ Chí Minh"):
        assert place in ha_noi.location
    assert ha_noi.participations.filter(role__contains="Tri Phú").exists()
    tan_trao = activities.get(kind="study_trip", title__contains="Tân Trào")
    assert tan_trao.starts_on.year == 2024
    assert "Nà Nưa" in tan_trao.description
    assert "Đình Tân Trào" in tan_trao.description
    for activity in activities:
        assert activity.participant_count > 0
        assert activity.office_staff_count > 0


# --- Households ----------------------------------------------------------------------------------


def test_households_are_fictional_vietnamese_families_with_a_review_history():
    households = Household.objects.filter(commune__name="Linh Phú")
    assert households.count() == N
    assert households.values("village").distinct().count() == 8
    codes = list(households.values_list("code", flat=True))
    assert all(re.fullmatch(r"LP-\d{4}", code) for code in codes)

    members = Member.objects.filter(household__in=households)
    sizes = Counter(members.values_list("household", flat=True))
    assert min(sizes.values()) >= 1
    assert max(sizes.values()) <= 7
    heads = dict(members.filter(relation="head").values_list("household", "full_name"))
    assert len(heads) == N
    for household in households:
        assert heads[household.pk] == household.head_name
        assert household.search_text == fold(household.search_text)
    assert any(fold(name) != name.lower() for name in heads.values())  # diacritics kept
    ethnicities = Counter(members.values_list("ethnicity", flat=True))
    assert ethnicities.most_common(1)[0][0] == "tay"
    assert ethnicities["dao"] > 0
    assert ethnicities["kinh"] > 0
    assert members.filter(has_disability=True).exclude(disability_note="").exists()
    ids = list(members.exclude(national_id="").values_list("national_id", flat=True))
    assert ids
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"\d{12}", number) for number in ids)

    reviews = Review.objects.filter(household__in=households)
    assert not reviews.filter(reviewed_on__gt=timezone.localdate()).exists()
    assert set(reviews.values_list("reviewed_on__year", flat=True)) == {2022, 2023, 2024, 2025}
    assert set(reviews.values_list("status", flat=True)) == {
        "poor",
        "near_poor",
        "policy",
        "difficulty",
        "none",
    }
    left_poverty = reviews.filter(previous_status="poor").exclude(status="poor")
    assert left_poverty.values("household").distinct().count() >= 10
    for household in households.filter(code__in=codes[:40]):
        latest = household.reviews.order_by("-reviewed_on", "-pk").first()
        assert household.status == latest.status
        assert household.last_reviewed_on == latest.reviewed_on


def test_search_finds_a_household_without_diacritics():
    household = Household.objects.get(code="LP-0012")
    assert household.head_name == "Ma Văn Thịnh"
    assert Household.objects.filter(search_text__contains="ma van thinh").exists()


# --- Accounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "group"),
    [
        ("admin", "Administrator"),
        ("staff", "Office staff"),
        ("cadre", "Commune cadre"),
        ("donor", "Donor"),
        ("auditor", "Auditor"),
    ],
)
def test_demo_accounts_sign_in_with_the_demo_password(rf, username, group):
    # django-axes checks every login attempt against its request.
    user = authenticate(rf.post("/accounts/login/"), username=username, password="bacung-demo")
    assert user is not None
    assert user.groups.filter(name=group).exists()
    assert user.first_name
    assert user.last_name


def test_account_roles_and_permissions():
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["admin"].is_superuser
    assert users["staff"].is_staff
    assert not users["staff"].is_superuser
    assert users["staff"].has_perm("households.change_household")
    assert users["staff"].has_perm("activities.add_distribution")
    assert users["staff"].has_perm("outreach.add_donation")
    assert users["auditor"].is_staff
    assert users["auditor"].has_perm("households.view_household")
    assert not users["auditor"].has_perm("households.change_household")
    assert not users["donor"].is_staff
    assert users["cadre"].has_perm("households.add_review")
    assert not users["cadre"].has_perm("households.change_household")


def test_accounts_cover_the_demo_ground():
    from outreach.models import RoleAssignment

    scope = {
        a.user.username: a
        for a in RoleAssignment.objects.select_related("user", "commune", "partner")
    }
    assert scope["staff"].partnership == _partnership()
    assert scope["cadre"].commune.name == data.COMMUNE
    assert scope["donor"].partner.name == data.DEMO_DONOR_PARTNER
    assert scope["auditor"].role == "Auditor"
    assert scope["admin"].role == "Administrator"


def test_output_gives_the_figures_and_the_accounts(seeded):
    assert "32 trash bins" in seeded
    assert "100 gifts" in seeded
    assert "70.000.000 ₫" in seeded
    for username, *_rest in data.ACCOUNTS:
        assert username in seeded


# --- Running it again ----------------------------------------------------------------------------


def _snapshot() -> dict:
    """Row counts of every model, and when the last row of each changed."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        rows = model._default_manager.all()
        state[model._meta.label] = rows.count()
        if any(f.name == "updated_at" for f in model._meta.fields):
            state[f"{model._meta.label}.updated_at"] = rows.aggregate(m=Max("updated_at"))["m"]
    state["users"] = list(get_user_model().objects.order_by("pk").values())
    return state


def test_second_run_changes_nothing():
    before = _snapshot()
    out = io.StringIO()
    call_command("seed_demo", households=N, stdout=out)
    assert _snapshot() == before
    assert "Nothing to create" in out.getvalue()


def test_a_bigger_number_adds_only_the_missing_households():
    households = Household.objects.filter(commune__name="Linh Phú")
    last_change = households.aggregate(m=Max("updated_at"))["m"]
    receipts = Receipt.objects.count()
    call_command("seed_demo", households=N + 5, stdout=io.StringIO())
    assert households.count() == N + 5
    assert households.filter(updated_at__gt=last_change).count() == 5
    assert Receipt.objects.count() == receipts


def test_bulk_path_writes_the_same_households_as_the_services(monkeypatch):
    def written(codes):
        rows = []
        for household in Household.objects.filter(code__in=codes).order_by("code"):
            rows.append(
                (
                    household.code,
                    household.village.name,
                    household.head_name,
                    household.address,
                    household.housing_condition,
                    household.notes,
                    household.status,
                    household.last_reviewed_on,
                    household.search_text,
                    household.created_by.username,
                    list(
                        household.members.order_by("pk").values_list(
                            "full_name", "sex", "birth_year", "relation", "ethnicity",
                            "has_disability", "disability_note", "national_id",
                        )
                    ),
                    list(
                        household.reviews.order_by("reviewed_on", "pk").values_list(
                            "reviewed_on", "status", "previous_status", "reason", "approved",
                            "reviewer__username",
                        )
                    ),
                )
            )  # fmt: skip
        return rows

    codes = [f"LP-{index:04d}" for index in range(N + 1, N + 4)]
    with transaction.atomic():
        call_command("seed_demo", households=N + 3, stdout=io.StringIO())
        by_services = written(codes)
        transaction.set_rollback(True)
    assert len(by_services) == 3

    monkeypatch.setattr(seeder, "BULK_THRESHOLD", 0)
    call_command("seed_demo", households=N + 3, stdout=io.StringIO())
    assert written(codes) == by_services


def test_too_few_households_for_the_figures_is_refused():
    with pytest.raises(CommandError, match="at least"):
        call_command("seed_demo", households=N - 1, stdout=io.StringIO())


def _result_count(html: str) -> int:
    # The admin's paginator line: "15 tài sản", "100 phiếu nhận", "1 khoản hỗ trợ".
    return int(re.search(r'<p class="paginator">\s*(\d+)', html).group(1))


@pytest.mark.parametrize(
    ("url", "count", "shown"),
    [
        (
            f"/admin/activities/asset/?kind__exact=solar_light&q={data.VILLAGE_PAC_HOP}",
            15,
            "2.050.000 ₫",
        ),
        ("/admin/activities/asset/?kind__exact=trash_bin&installed_on_year=2022", 32, None),
        ("/admin/activities/receipt/?distribution_distributed_on_year=2024", 100, None),
        ("/admin/activities/grant/?approved_on_year=2024", 1, "70.000.000 ₫"),
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


def test_demo_cadre_works_in_linh_phu_only(client):
    tri_phu = Commune.objects.get(name=data.NEIGHBOUR_COMMUNE)
    elsewhere = Household.objects.create(
        commune=tri_phu,
        village=Village.objects.create(commune=tri_phu, name="Thôn thử nghiệm"),
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
    assert client.get("/admin/households/review/add/").status_code == 200
    assert client.get("/admin/households/household/add/").status_code == 403
    assert client.get("/admin/outreach/donation/").status_code == 403


def test_demo_donor_sees_bidv_money_down_to_villages_and_no_names(client):
    client.force_login(get_user_model().objects.get(username="donor"))
    home = client.get("/").content.decode()
    assert "/reports/donor/" in home
    html = client.get("/reports/donor/").content.decode()
    assert data.BIDV_TQ in html
    assert "30.000.000 ₫" in html
    assert data.VILLAGE_PAC_HOP in html
    assert "Agribank" not in html
    assert "30.750.000 ₫" not in html
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
                "30.750.000 ₫",
            ],
        ),
        (2024, ["100 ×", data.BIDV_TQ, data.BIDV_MD, "70.000.000 ₫", data.VILLAGE_LUNG_LUA]),
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
    assert 'id="dashboard-data"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html
    chart = response.context["chart"]
    assert chart["years"][:3] == ["2022", "2023", "2024"]
    funding_2023 = dict(zip(chart["funders"], chart["funding"][1], strict=True))
    assert funding_2023[data.AGRIBANK] == 30_750_000
    assert "30.750.000 ₫" in html
    assert "<script>" not in html  # CSP: no inline script
