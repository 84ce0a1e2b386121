"""The household import's queries do not grow with its rows (issue 19: no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households import services
from households.models import Household, HouseholdImport
from tests.background.helpers import household_file, many_rows

pytestmark = pytest.mark.django_db


def _queries(actor, commune, content) -> tuple[int, int]:
    """Return how many queries checking a file takes, and applying it (tasks run in-process)."""
    with CaptureQueriesContext(connection) as checking:
        preview = services.household_import_start(
            actor=actor, commune=commune, content=content, filename="ho.csv"
        )
        services.household_import_check(job_id=preview.pk)
    preview.refresh_from_db()
    with CaptureQueriesContext(connection) as applying:
        job = services.household_import_confirm(actor=actor, preview=preview)
        services.household_import_run(job_id=job.pk)
    assert HouseholdImport.objects.get(apply_job=job).status == HouseholdImport.Status.APPLIED
    return len(checking), len(applying)


def test_checking_and_applying_take_as_many_queries_for_ten_times_the_rows(
    staff_user, partnership, villages, monkeypatch
):
    if connection.vendor == "sqlite":
        # Django splits a bulk insert at 999 parameters for SQLite (its old default limit):
        # lifted to the limit of the SQLite in use (32,766 since 3.32), the rows are batched
        # by the import's own batch size, as on PostgreSQL.
        monkeypatch.setattr(connection.features, "max_query_params", 32766)
    commune = partnership.commune
    names = [village.name for village in villages]
    # A first import of the commune also reads the user's scope and records the file's layout.
    _queries(staff_user, commune, household_file(many_rows(3, names, prefix="WU")))
    few = household_file(many_rows(30, names, prefix="IT"))
    many = household_file(many_rows(300, names, prefix="MU"))
    # First imports (every row new), then the same files again (every row unchanged): the
    # households were created by a user, whose row a model's full validation would look up
    # once per household (created_by is a foreign key).
    first = _queries(staff_user, commune, few), _queries(staff_user, commune, many)
    again = _queries(staff_user, commune, few), _queries(staff_user, commune, many)
    assert Household.objects.filter(commune=commune, created_by=staff_user).count() == 333
    assert first[0] == first[1]
    assert again[0] == again[1]
