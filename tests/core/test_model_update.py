"""core.services.model_update: only known fields, only changed columns, nothing when unchanged."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Job
from core.services import model_update
from households.models import Household
from tests import factories as f

pytestmark = pytest.mark.django_db

FIELDS = ["kind", "message", "total", "created_by"]


@pytest.fixture
def job(staff_user):
    created = Job.objects.create(kind="export", message="Waiting", total=10, created_by=staff_user)
    return Job.objects.get(pk=created.pk)


def _stored(job: Job) -> dict:
    return Job.objects.filter(pk=job.pk).values().get()


def _updates(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if query["sql"].startswith("UPDATE")]


def test_a_field_the_caller_may_not_change_is_refused_and_nothing_changes(job):
    before = _stored(job)
    with pytest.raises(ValueError, match=r"Job may not change status here \(allowed: "):
        model_update(job, {"message": "Done", "status": Job.Status.SUCCEEDED}, fields=FIELDS)
    assert _stored(job) == before


def test_a_name_that_is_not_a_column_is_refused_and_nothing_changes(job):
    before = _stored(job)
    with pytest.raises(ValueError, match="percent is not a column of Job"):
        model_update(job, {"percent": 50}, fields=[*FIELDS, "percent"])
    assert _stored(job) == before


def test_unchanged_values_write_nothing_and_run_no_query(job, staff_user):
    before = _stored(job)
    same = {"kind": "export", "message": "Waiting", "total": 10, "created_by": staff_user}
    with CaptureQueriesContext(connection) as queries:
        assert model_update(job, same, fields=FIELDS) is False
    assert queries.captured_queries == []
    assert _stored(job) == before


def test_a_change_saves_only_the_changed_columns_and_the_timestamp(job):
    before = _stored(job)
    with CaptureQueriesContext(connection) as queries:
        assert model_update(job, {"message": "Half done", "total": 10}, fields=FIELDS) is True
    [update] = _updates(queries)
    assert '"message"' in update
    assert '"updated_at"' in update
    for unchanged in ('"total"', '"kind"', '"status"', '"created_by_id"', '"created_at"'):
        assert unchanged not in update
    after = _stored(job)
    assert after["message"] == "Half done"
    assert after["updated_at"] > before["updated_at"]
    assert {k: v for k, v in after.items() if k not in ("message", "updated_at")} == {
        k: v for k, v in before.items() if k not in ("message", "updated_at")
    }


def test_a_foreign_key_is_compared_by_its_id_and_saved_when_it_changes(job, cadre_user):
    with CaptureQueriesContext(connection) as queries:
        assert model_update(job, {"created_by": cadre_user}, fields=FIELDS) is True
    [update] = _updates(queries)
    assert '"created_by_id"' in update
    assert '"message"' not in update
    assert _stored(job)["created_by_id"] == cadre_user.pk


def test_an_invalid_value_is_refused_by_full_clean_and_nothing_is_saved(job):
    before = _stored(job)
    with pytest.raises(ValidationError, match="message"):
        model_update(job, {"message": "x" * 300}, fields=FIELDS)
    assert _stored(job) == before


def test_a_derived_column_named_in_also_save_is_written_with_the_change():
    household = f.HouseholdFactory(head_name="Ma Đình Liệu")
    household = Household.objects.get(pk=household.pk)
    # households.signals recomputes the search column on save; update_fields alone would drop it.
    changed = model_update(
        household, {"head_name": "Lý Văn Tư"}, fields=["head_name"], also_save=["search_text"]
    )
    assert changed is True
    household.refresh_from_db()
    assert "ly van tu" in household.search_text
    assert "lieu" not in household.search_text


def test_a_row_not_yet_stored_is_saved_whole(staff_user):
    job = Job(kind="export")
    assert model_update(job, {"message": "Queued", "created_by": staff_user}, fields=FIELDS)
    stored = Job.objects.get(pk=job.pk)
    assert (stored.kind, stored.message, stored.created_by) == ("export", "Queued", staff_user)
