"""A write that loses a race with another runs again, and when it keeps losing nothing is saved
(Busy). The retry is tested by raising the database's errors from inside a service."""

import psycopg.errors
import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.utils import translation

from activities.models import Allocation
from activities.services import donation_allocate
from config.celery import app as celery_app
from core.models import Job
from core.services import Busy, service
from core.tasks import TRANSIENT_ERRORS
from households.models import Household, HouseholdImport
from outreach.models import Donation
from tests.activities.races.helpers import _import_rows, _lose_chunks, _lost
from tests.factories import DistributionFactory, DonationFactory, PartnershipFactory


@pytest.mark.django_db(transaction=True)
def test_a_service_that_lost_a_race_once_runs_again_and_keeps_only_its_second_attempt():
    donation = DonationFactory(value_vnd=10_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)
    attempts, committed = [], []

    @service
    def allocate_twice(*, actor):
        attempts.append(1)
        allocation = donation_allocate(
            actor=actor, donation=donation, amount_vnd=1_000_000, distribution=distribution
        )
        transaction.on_commit(lambda: committed.append(len(attempts)))
        if len(attempts) == 1:
            raise psycopg.errors.SerializationFailure("could not serialize access")
        return allocation

    allocation = allocate_twice(actor=None)

    assert len(attempts) == 2
    assert list(Allocation.objects.values_list("pk", flat=True)) == [allocation.pk]
    # The first attempt's on_commit callback went with its transaction.
    assert committed == [2]


@pytest.mark.django_db(transaction=True)
def test_a_service_that_keeps_losing_says_busy_after_the_retries_and_saves_nothing(settings):
    settings.SERVICE_RETRIES = 3
    donation = DonationFactory(value_vnd=10_000_000)
    distribution = DistributionFactory(partnership=donation.partnership)
    attempts, committed = [], []

    @service
    def allocate_never(*, actor):
        attempts.append(1)
        donation_allocate(
            actor=actor, donation=donation, amount_vnd=1_000_000, distribution=distribution
        )
        transaction.on_commit(lambda: committed.append(1))
        raise _lost(psycopg.errors.DeadlockDetected, "deadlock detected")

    with translation.override("en"), pytest.raises(Busy, match="nothing was saved"):
        allocate_never(actor=None)

    assert len(attempts) == 3
    assert not Allocation.objects.exists()
    assert committed == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "error",
    [
        pytest.param(
            lambda: psycopg.errors.SerializationFailure("could not serialize"), id="40001"
        ),
        pytest.param(lambda: _lost(psycopg.errors.DeadlockDetected, "deadlock"), id="40P01"),
        pytest.param(
            lambda: _lost(psycopg.errors.LockNotAvailable, "could not obtain lock on row"),
            id="55P03",
        ),
        pytest.param(lambda: OperationalError("database is locked"), id="sqlite-locked"),
    ],
)
def test_each_concurrency_error_is_retried(error):
    attempts = []

    @service
    def flaky(*, actor):
        attempts.append(1)
        if len(attempts) == 1:
            raise error()
        return "done"

    assert flaky(actor=None) == "done"
    assert len(attempts) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "error",
    [
        pytest.param(lambda: ValidationError("refused"), id="refusal"),
        pytest.param(lambda: OperationalError("no such table: x"), id="other-operational-error"),
        pytest.param(
            lambda: _lost(psycopg.errors.UniqueViolation, "duplicate key"), id="other-sqlstate"
        ),
    ],
)
def test_other_errors_are_not_retried(error):
    attempts = []

    @service
    def failing(*, actor):
        attempts.append(1)
        raise error()

    with pytest.raises(
        (ValidationError, OperationalError), match=r"refused|no such table|duplicate key"
    ):
        failing(actor=None)
    assert len(attempts) == 1


@pytest.mark.django_db(transaction=True)
def test_an_error_after_the_commit_is_not_a_reason_to_run_again():
    attempts = []

    @service
    def save_then_enqueue(*, actor):
        attempts.append(1)
        PartnershipFactory()
        # As a task run in-process on commit that meets a locked database.
        transaction.on_commit(lambda: (_ for _ in ()).throw(OperationalError("database is locked")))

    with pytest.raises(OperationalError, match="database is locked"):
        save_then_enqueue(actor=None)
    assert len(attempts) == 1


@pytest.mark.django_db(transaction=True)
def test_a_nested_service_leaves_the_retry_to_the_outermost_one(settings):
    settings.SERVICE_RETRIES = 3
    outer_runs, inner_runs = [], []

    @service
    def inner(*, actor):
        inner_runs.append(1)
        if len(inner_runs) == 1:
            raise _lost(psycopg.errors.LockNotAvailable, "canceling statement due to lock timeout")

    @service
    def outer(*, actor):
        outer_runs.append(1)
        inner(actor=actor)
        return "done"

    assert outer(actor=None) == "done"
    # The inner one did not run again inside the failed transaction: the outer one ran it anew.
    assert (len(outer_runs), len(inner_runs)) == (2, 2)


@pytest.mark.django_db(transaction=True)
def test_a_retried_service_gets_its_model_arguments_as_they_came():
    donation = DonationFactory(value_vnd=10_000_000, note="")
    seen = []

    @service
    def annotate(*, actor, donation: Donation):
        seen.append(donation.note)
        donation.note = "first attempt"
        donation.save(update_fields=["note"])
        if len(seen) == 1:
            raise psycopg.errors.SerializationFailure("could not serialize")
        return donation

    annotate(actor=None, donation=donation)

    assert seen == ["", ""]
    donation.refresh_from_db()
    assert donation.note == "first attempt"


def test_a_task_retries_what_a_service_gave_up_on():
    assert issubclass(Busy, TRANSIENT_ERRORS)
    assert isinstance(_lost(psycopg.errors.DeadlockDetected, "deadlock"), TRANSIENT_ERRORS)


@pytest.mark.django_db(transaction=True)
def test_an_import_chunk_that_lost_a_race_runs_again_and_imports_every_row_once(
    monkeypatch, import_commune
):
    calls = _lose_chunks(monkeypatch, times=1)

    job = _import_rows(import_commune, 6)

    assert job.status == Job.Status.SUCCEEDED
    assert calls == [2, 2, 2, 2]  # the second chunk twice
    assert Household.objects.filter(commune=import_commune).count() == 6
    assert HouseholdImport.objects.get(apply_job=job).applied_counts()["new"] == 6


@pytest.mark.django_db(transaction=True)
def test_an_import_chunk_that_keeps_losing_is_left_to_the_tasks_retry(
    monkeypatch, settings, import_commune
):
    settings.SERVICE_RETRIES = 3
    calls = _lose_chunks(monkeypatch, times=3)
    # In-process, a task's retry runs at once unless its error is to reach the caller (the
    # conftest's _tasks_in_process puts the setting back).
    celery_app.conf.task_eager_propagates = False

    job = _import_rows(import_commune, 6)

    # Three attempts, then the task's own retry resumed at the second chunk.
    assert calls == [2, 2, 2, 2, 2, 2]
    assert job.status == Job.Status.SUCCEEDED
    assert Household.objects.filter(commune=import_commune).count() == 6
    assert HouseholdImport.objects.get(apply_job=job).applied_counts()["new"] == 6
