"""The import job checks the whole file before its first chunk; a chunk reuses that check only
for rows whose households, members and ID numbers are still as the check read them, and checks
its rows again, under the lock, when anything changed in between (issue 19). Its history rows
are those simple-history writes. Tasks run in-process."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.models import Job
from households import services
from households.imports import applying
from households.models import Household, HouseholdImport, Member
from tests.background.helpers import household_file, many_rows
from tests.factories import HouseholdFactory, MemberFactory, PartnershipFactory, VillageFactory

pytestmark = pytest.mark.django_db

VILLAGES = ["Pác Hợp", "Lũng Lừa"]


def _import(commune, content, *, actor=None, chunk=None) -> Job:
    """Check then apply a file as the pages do (tasks run in-process); return the apply job."""
    preview = services.household_import_start(
        actor=actor, commune=commune, content=content, filename="ho.csv"
    )
    services.household_import_check(job_id=preview.pk)
    preview.refresh_from_db()
    job = services.household_import_confirm(
        actor=actor, preview=preview, **({"chunk_size": chunk} if chunk else {})
    )
    services.household_import_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def _applied(job) -> dict:
    return HouseholdImport.objects.get(apply_job=job).applied_counts()


@pytest.fixture
def rechecks(monkeypatch) -> list[int]:
    """Count the rows checked again under a chunk's lock."""
    check_rows = applying.check_rows
    counted: list[int] = []

    def counting(rows, **kwargs):
        if kwargs.get("lock"):
            counted.append(len(rows))
        return check_rows(rows, **kwargs)

    monkeypatch.setattr(applying, "check_rows", counting)
    return counted


def _between(monkeypatch, change) -> None:
    """Run ``change`` once the file has been checked, before the import's first chunk (what
    another person or import may do at that moment)."""
    chunk = applying.household_import_chunk
    done: list[bool] = []

    def change_then_chunk(**kwargs):
        if not done:
            done.append(True)
            change()
        return chunk(**kwargs)

    monkeypatch.setattr(applying, "household_import_chunk", change_then_chunk)


def _row(code, name, birth="12/05/1968", **cells) -> dict:
    return {
        "Mã hộ": code,
        "Thôn": "Pác Hợp",
        "Họ tên chủ hộ": name,
        "Giới tính chủ hộ": "Nam",
        "Ngày sinh chủ hộ": birth,
        **cells,
    }


def _household(villages, code, name, birth=1968, **fields) -> Household:
    household = HouseholdFactory(village=villages[0], code=code, head_name=name, **fields)
    MemberFactory(
        household=household, full_name=name, relation="head", sex="male", birth_year=birth
    )
    return household


def _vietnamese(message: str) -> str:
    with translation.override("vi"):
        translated = translation.gettext(message)
    assert translated != message  # the catalogue has it: the job says it in Vietnamese
    return translated


def test_rows_unchanged_since_the_check_are_not_checked_again(partnership, villages, rechecks):
    job = _import(partnership.commune, household_file(many_rows(120, VILLAGES)), chunk=50)
    assert _applied(job) == {"new": 120, "update": 0, "unchanged": 0, "error": 0}
    assert rechecks == []
    again = _import(partnership.commune, household_file(many_rows(120, VILLAGES)), chunk=50)
    assert _applied(again) == {"new": 0, "update": 0, "unchanged": 120, "error": 0}
    assert rechecks == []
    assert Household.objects.count() == Member.objects.count() == 120


def test_a_household_created_after_the_check_is_updated_not_created_twice(
    partnership, villages, monkeypatch, rechecks
):
    _between(monkeypatch, lambda: _household(villages, "LP-001", "Ma Văn Khác", birth=1968))
    job = _import(partnership.commune, household_file([_row("LP-001", "Ma Đình Liệu")]))
    assert job.status == Job.Status.SUCCEEDED
    assert _applied(job) == {"new": 0, "update": 1, "unchanged": 0, "error": 0}
    assert rechecks == [1]
    household = Household.objects.get()
    assert household.head_name == "Ma Đình Liệu"
    assert household.members.get().full_name == "Ma Đình Liệu"


def test_a_household_archived_after_the_check_is_skipped_with_the_reason_in_vietnamese(
    partnership, villages, monkeypatch, rechecks
):
    household = _household(villages, "LP-001", "Ma Đình Liệu")
    # An update of the queryset: the row's updated_at stays as it was.
    _between(monkeypatch, lambda: Household.objects.filter(pk=household.pk).update(archived=True))
    rows = [_row("LP-001", "Ma Đình Liệu", **{"Địa chỉ": "Số 9"}), _row("LP-002", "Hoàng Thị Nga")]
    job = _import(partnership.commune, household_file(rows))
    assert _applied(job) == {"new": 1, "update": 0, "unchanged": 0, "error": 1}
    assert rechecks == [2]
    assert (
        _vietnamese("This household is archived: restore it before importing it.")
        in (job.errors[0])
    )
    household.refresh_from_db()
    assert household.address != "Số 9"
    assert household.history.count() == 1  # the factory's


def test_a_head_changed_after_the_check_is_compared_again(
    partnership, villages, monkeypatch, rechecks
):
    household = _household(villages, "LP-001", "Ma Đình Liệu", birth=1968)
    head = household.members.get()
    _between(monkeypatch, lambda: Member.objects.filter(pk=head.pk).update(birth_year=1950))
    job = _import(partnership.commune, household_file([_row("LP-001", "Ma Đình Liệu")]))
    # Unchanged when the file was checked; the head's year is written back.
    assert _applied(job) == {"new": 0, "update": 1, "unchanged": 0, "error": 0}
    assert rechecks == [1]
    head.refresh_from_db()
    assert head.birth_year == 1968
    assert list(head.history.values_list("history_type", "birth_year")) == [
        ("~", 1968),
        ("+", 1968),
    ]


def test_an_id_number_taken_after_the_check_makes_the_row_an_error(
    partnership, villages, monkeypatch, rechecks
):
    other = _household(villages, "LP-900", "Người Khác")
    _between(
        monkeypatch,
        lambda: Member.objects.filter(household=other).update(national_id="008068001234"),
    )
    row = _row("LP-001", "Ma Đình Liệu", **{"Số CCCD chủ hộ": "008068001234"})
    job = _import(partnership.commune, household_file([row]))
    assert _applied(job) == {"new": 0, "update": 0, "unchanged": 0, "error": 1}
    assert rechecks == [1]
    assert _vietnamese("Another person already has this national ID number.") in job.errors[0]
    assert not Household.objects.filter(code="LP-001").exists()


def test_a_household_named_by_two_chunks_is_checked_again_in_the_second(
    partnership, villages, rechecks
):
    # The second row names, by its head and village (no code), the household the first row
    # creates: the file's check saw none; the second chunk sees it.
    rows = [
        _row("LP-001", "Ma Đình Liệu"),
        {**_row("", "Ma Đình Liệu"), "Địa chỉ": "Số 9"},
    ]
    job = _import(partnership.commune, household_file(rows), chunk=1)
    assert _applied(job) == {"new": 1, "update": 1, "unchanged": 0, "error": 0}
    assert rechecks == [1]
    assert Household.objects.get().address == "Số 9"


def _state(commune) -> list:
    """The commune's households and members as stored, and their history, by code."""
    households = []
    for household in Household.objects.filter(commune=commune).order_by("code"):
        members = household.members.order_by("full_name")
        households.append(
            (
                household.code,
                household.village.name,
                household.head_name,
                household.address,
                household.phone,
                household.housing_condition,
                household.search_text,
                sorted(household.history.values_list("history_type", "head_name", "address")),
                [
                    (
                        m.full_name,
                        m.relation,
                        m.sex,
                        m.birth_year,
                        m.national_id,
                        sorted(m.history.values_list("history_type", "birth_year")),
                    )
                    for m in members
                ],
            )
        )
    return households


def _mixed(commune_villages) -> list[dict]:
    """Households already there (some to change) and a file of new, changed and same rows."""
    for n in range(6):
        _household(commune_villages, f"LP-{n:03d}", f"Hoàng Văn {n}", birth=1960 + n)
    rows = [_row(f"LP-{n:03d}", f"Hoàng Văn {n}", f"01/01/{1960 + n}") for n in range(6)]
    rows[1]["Địa chỉ"] = "Số 1"
    rows[2]["Ngày sinh chủ hộ"] = "1970"
    rows[3]["Tình trạng nhà ở"] = "Kiên cố"
    rows += [
        _row(f"LP-{n:03d}", f"Lương Thị {n}", **{"Giới tính chủ hộ": "Nữ"}) for n in range(6, 12)
    ]
    rows += [{**_row("", "Vi Văn Mới"), "Điện thoại": "0912345678"}]
    return rows


def test_a_reused_check_writes_what_a_check_under_the_lock_writes(monkeypatch, staff_user):
    communes = []
    for reuse in (True, False):
        partnership = PartnershipFactory()
        villages = [VillageFactory(commune=partnership.commune, name=name) for name in VILLAGES]
        content = household_file(_mixed(villages))
        if not reuse:
            monkeypatch.setattr(applying, "_still_current", lambda *args: None)
        job = _import(partnership.commune, content, chunk=4)
        assert _applied(job) == {"new": 7, "update": 3, "unchanged": 3, "error": 0}
        communes.append(partnership.commune)
    assert _state(communes[0]) == _state(communes[1])


def test_history_rows_are_written_for_every_created_and_changed_record(
    partnership, villages, staff_user
):
    started = timezone.now()
    _household(villages, "LP-001", "Ma Đình Liệu", birth=1960)
    rows = [_row("LP-001", "Ma Đình Liệu", "1968", **{"Địa chỉ": "Số 9"})]
    rows.append(_row("LP-002", "Hoàng Thị Nga"))
    job = _import(partnership.commune, household_file(rows), actor=staff_user)
    assert _applied(job) == {"new": 1, "update": 1, "unchanged": 0, "error": 0}
    tracked = [field.attname for field in Household.history.model.tracked_fields]
    for household in Household.objects.all():
        latest = household.history.order_by("-history_id").first()
        assert latest.history_type == ("~" if household.code == "LP-001" else "+")
        assert latest.history_user == staff_user
        assert latest.history_change_reason is None
        assert started <= latest.history_date <= timezone.now() + datetime.timedelta(seconds=1)
        # The row as stored, column by column.
        assert {f: getattr(latest, f) for f in tracked} == {
            f: getattr(household, f) for f in tracked
        }
    member_tracked = [field.attname for field in Member.history.model.tracked_fields]
    for member in Member.objects.all():
        latest = member.history.order_by("-history_id").first()
        assert latest.history_type == ("~" if member.household.code == "LP-001" else "+")
        assert latest.history_user == staff_user
        assert {f: getattr(latest, f) for f in member_tracked} == {
            f: getattr(member, f) for f in member_tracked
        }
    assert Household.history.count() == 3  # the factory's, the update, the new household
    assert Member.history.count() == 3


def test_a_chunk_checked_again_takes_as_many_queries_for_ten_times_the_rows(
    partnership, villages, monkeypatch
):
    if connection.vendor == "sqlite":
        # As in test_import_queries: SQLite's old parameter limit would split the inserts.
        monkeypatch.setattr(connection.features, "max_query_params", 32766)
    commune = partnership.commune
    # A first import of the commune also records the file's layout.
    _import(commune, household_file(many_rows(3, VILLAGES, prefix="WU")))
    counts = []
    for count, prefix in ((30, "IT"), (300, "MU")):
        rows = many_rows(count, VILLAGES, prefix=prefix)
        household = _household(villages, rows[0]["Mã hộ"], rows[0]["Họ tên chủ hộ"])
        _between(
            monkeypatch,
            lambda pk=household.pk: Household.objects.filter(pk=pk).update(notes="Đổi"),
        )
        preview = services.household_import_start(
            actor=None, commune=commune, content=household_file(rows), filename="ho.csv"
        )
        services.household_import_check(job_id=preview.pk)
        preview.refresh_from_db()
        with CaptureQueriesContext(connection) as captured:
            job = services.household_import_confirm(actor=None, preview=preview)
            services.household_import_run(job_id=job.pk)
        assert _applied(job) == {"new": count - 1, "update": 1, "unchanged": 0, "error": 0}
        counts.append(len(captured))
    assert counts[0] == counts[1]
