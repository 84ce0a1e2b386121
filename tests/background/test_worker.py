"""Real Celery workers on the real Redis: a queued task is run by a worker process, a worker
killed in the middle of an import is replaced and the import completes exactly once, and the
eager mode (the demo's) gives the same households as a worker.

PostgreSQL only: the worker is another process and must see the test database (SQLite's test
database lives in this process's memory). The broker is Redis database 14 of the REDIS_URL
server, flushed before and after.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.models import Job
from households import services
from households.models import Household, HouseholdImport, Member
from tests.background.helpers import household_file, many_rows
from tests.factories import PartnershipFactory, VillageFactory

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.REDIS_URL, reason="needs a Redis server (REDIS_URL) for the broker"
    ),
]
CELERY = Path(sys.executable).with_name("celery")
# Another Redis database may be chosen (two test runs on one server): TEST_BROKER_DB.
BROKER_DB = int(os.environ.get("TEST_BROKER_DB", "14"))


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot reach SQLite's in-memory test database")


def _broker_url() -> str:
    parts = urllib.parse.urlsplit(settings.REDIS_URL)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{BROKER_DB}"))


def _flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


@pytest.fixture
def broker():
    """Point this process's Celery app at the test broker (Redis db 14), emptied."""
    from config.celery import app

    url = _broker_url()
    _flush(url)
    saved = app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager

    def reset_pools():
        from kombu import pools

        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    reset_pools()
    app.conf.broker_url = app.conf.result_backend = url
    app.conf.task_always_eager = False
    yield url
    reset_pools()
    app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = saved
    _flush(url)


@pytest.fixture
def workers(broker, tmp_path):
    """Start workers as separate processes (each in its own process group); kill them after."""
    started = []
    db = connection.settings_dict
    database_url = "postgres://{user}:{password}@{host}:{port}/{name}".format(
        user=urllib.parse.quote(db["USER"] or ""),
        password=urllib.parse.quote(db["PASSWORD"] or ""),
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        name=db["NAME"],
    )
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "REDIS_URL": broker,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        # A task of a killed worker goes back to the queue after 3 s instead of an hour.
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }

    def start(name: str, **settings_env: str) -> subprocess.Popen:
        """Start a worker ``name``, with ``settings_env`` added to its environment."""
        log = (tmp_path / f"{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 (our own fixed command line)
            [
                str(CELERY),
                "-A",
                "config",
                "worker",
                "-P",
                "prefork",
                "-c",
                "1",
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "INFO",
            ],
            cwd=settings.BASE_DIR,
            env={**env, **settings_env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        kill(process)
    for log in sorted(tmp_path.glob("*.log")):
        sys.stdout.write(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}\n")


def kill(process: subprocess.Popen) -> None:
    """SIGKILL a worker and its pool processes: no warm shutdown, no acknowledgement."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def wait_for(predicate, *, timeout: float, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"still waiting after {timeout} s")


def _finished(job_id: int) -> Job | None:
    job = Job.objects.get(pk=job_id)
    return job if job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED) else None


def _applied(job: Job) -> dict:
    """What the import of ``job`` did, by outcome."""
    return HouseholdImport.objects.get(apply_job=job).applied_counts()


def _commune_with_villages():
    partnership = PartnershipFactory()
    for name in ("Pác Hợp", "Lũng Lừa"):
        VillageFactory(commune=partnership.commune, name=name)
    return partnership.commune


def _check_then_confirm(commune, content, *, chunk_size=500, eager=False):
    preview = services.household_import_start(
        actor=None, commune=commune, content=content, filename="ho.csv"
    )
    if eager:
        services.household_import_check(job_id=preview.pk)
    preview = wait_for(lambda: _finished(preview.pk), timeout=30)
    assert preview.status == Job.Status.SUCCEEDED, preview.errors
    return services.household_import_confirm(actor=None, preview=preview, chunk_size=chunk_size)


def _snapshot(commune) -> list[tuple]:
    """The imported households and heads of a commune, without ids or dates."""
    heads = {
        m.household_id: (m.full_name, m.sex, m.birth_year, m.ethnicity, m.has_disability)
        for m in Member.objects.filter(household__commune=commune)
    }
    return sorted(
        (h.code, h.village.name, h.head_name, h.housing_condition, h.search_text, heads.get(h.pk))
        for h in Household.objects.filter(commune=commune).select_related("village")
    )


def test_a_worker_runs_the_queued_import_and_eager_mode_gives_the_same_households(workers):
    workers("first")
    content = household_file(many_rows(300, ["Pác Hợp", "Lũng Lừa"]))
    on_worker = _commune_with_villages()
    # Queued on commit by the services, run by the worker process.
    job = _check_then_confirm(on_worker, content)
    job = wait_for(lambda: _finished(job.pk), timeout=30)
    assert job.status == Job.Status.SUCCEEDED, job.errors
    assert _applied(job) == {"new": 300, "update": 0, "unchanged": 0, "error": 0}
    assert Household.objects.filter(commune=on_worker).count() == 300

    # The same file in-process, as the demo runs it, into another commune.
    from households.tasks import household_import_task

    in_process = _commune_with_villages()
    eager = _check_then_confirm(in_process, content, eager=True)
    household_import_task.apply(args=[eager.pk])
    eager.refresh_from_db()
    assert _applied(eager) == _applied(job)
    assert _snapshot(in_process) == _snapshot(on_worker)


def test_an_import_whose_worker_is_killed_completes_exactly_once_on_a_new_worker(workers):
    rows = 6000
    commune = _commune_with_villages()
    first = workers("doomed")
    job = _check_then_confirm(
        commune, household_file(many_rows(rows, ["Pác Hợp", "Lũng Lừa"])), chunk_size=30
    )
    # Kill the worker (SIGKILL, no warm shutdown) once some chunks are committed.
    wait_for(lambda: Job.objects.filter(pk=job.pk, progress__gt=0).exists(), timeout=40, every=0.02)
    kill(first)
    at_kill = Job.objects.get(pk=job.pk)
    assert 0 < at_kill.progress < rows
    assert at_kill.status == Job.Status.RUNNING

    workers("replacement")
    job = wait_for(lambda: _finished(job.pk), timeout=60)
    assert job.status == Job.Status.SUCCEEDED, job.errors
    # Exactly once: every row created once, none counted twice, none lost.
    assert _applied(job) == {"new": rows, "update": 0, "unchanged": 0, "error": 0}
    assert HouseholdImport.objects.get(apply_job=job).runs >= 2
    assert Household.objects.filter(commune=commune).count() == rows
    assert Household.history.filter(commune_id=commune.pk).count() == rows
    assert Member.objects.filter(household__commune=commune).count() == rows


# Only the recovery brings these jobs back: the broker's own redelivery of a killed worker's
# task is an hour away, while a job is stale after 3 s without a sign of life.
RECOVERY_ONLY = {"CELERY_VISIBILITY_TIMEOUT": "3600", "JOB_STALE_AFTER": "3"}


def _recover_until_requeued() -> dict:
    """Run the recovery on a worker, as celery beat does every minute, until it re-queues."""
    from core.tasks import jobs_recover_task

    def requeued():
        done = jobs_recover_task.delay().get(timeout=30)
        return done if done["requeued"] else None

    return wait_for(requeued, timeout=60, every=1)


def test_a_killed_workers_import_is_resumed_by_the_recovery_with_every_row_once(workers):
    rows = 4000
    commune = _commune_with_villages()
    first = workers("doomed", **RECOVERY_ONLY)
    job = _check_then_confirm(
        commune, household_file(many_rows(rows, ["Pác Hợp", "Lũng Lừa"])), chunk_size=30
    )
    wait_for(lambda: Job.objects.filter(pk=job.pk, progress__gt=0).exists(), timeout=40, every=0.02)
    kill(first)
    at_kill = Job.objects.get(pk=job.pk)
    assert at_kill.status == Job.Status.RUNNING
    assert 0 < at_kill.progress < rows

    started = time.monotonic()
    workers("replacement", **RECOVERY_ONLY)
    assert _recover_until_requeued()["requeued"] == 1
    job = wait_for(lambda: _finished(job.pk), timeout=300)
    assert time.monotonic() - started < 300
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.attempts == 2
    # Every row exactly once: created once, counted once, none lost.
    assert _applied(job) == {"new": rows, "update": 0, "unchanged": 0, "error": 0}
    assert Household.objects.filter(commune=commune).count() == rows
    assert Household.objects.filter(commune=commune).values("code").distinct().count() == rows
    assert Household.history.filter(commune_id=commune.pk).count() == rows
    assert Member.objects.filter(household__commune=commune).count() == rows


def test_a_job_whose_message_was_lost_with_the_broker_is_sent_again(workers, broker):
    commune = _commune_with_villages()
    # The import is confirmed while no worker runs; then the broker loses its queue (Redis
    # restarted without its data): the job stays "queued" with nothing left to run it.
    job = _check_then_confirm(commune, household_file(many_rows(200, ["Pác Hợp"])), eager=True)
    _flush(broker)
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    workers("after-the-outage", **RECOVERY_ONLY)
    assert _recover_until_requeued()["requeued"] == 1
    job = wait_for(lambda: _finished(job.pk), timeout=60)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert Household.objects.filter(commune=commune).count() == 200
