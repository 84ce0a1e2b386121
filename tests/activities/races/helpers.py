"""Helpers of the race tests (names kept from tests/activities/test_races_answer.py, which the
modules here were split from): the PostgreSQL mark, the busy message in Vietnamese, a race
lost as the database reports it, an import whose chunks lose, twenty clients at once."""

import threading

import psycopg.errors
import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.utils import translation

from core.models import Job
from core.services import BUSY_MESSAGE
from households import services as household_services
from households.imports import applying
from outreach.models import RoleAssignment
from tests.activities.pages import text
from tests.background.helpers import household_file, many_rows

Role = RoleAssignment.Role
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def _vietnamese_busy() -> str:
    with translation.override("vi"):
        return str(BUSY_MESSAGE)


def _lost(error_class, message="could not serialize access due to concurrent update"):
    """Return the error Django raises when psycopg answers ``error_class``: wrapped, as a cause."""
    try:
        raise error_class(message)
    except psycopg.Error as cause:
        try:
            raise OperationalError(message) from cause
        except OperationalError as error:
            return error


def _lose_chunks(monkeypatch, times: int) -> list:
    """Make the second chunk of an import lose a race ``times`` times, after writing its rows."""
    calls = []
    apply_checked = applying._apply_checked

    def apply_then_lose(actor, checked, commune):
        calls.append(len(checked))
        apply_checked(actor, checked, commune)
        if 1 < len(calls) <= 1 + times:
            raise _lost(psycopg.errors.LockNotAvailable, "canceling statement due to lock timeout")

    monkeypatch.setattr(applying, "_apply_checked", apply_then_lose)
    return calls


def _import_rows(commune, count: int) -> Job:
    """Check then confirm a file of ``count`` rows in chunks of 2 (the task runs at once)."""
    preview = household_services.household_import_start(
        actor=None,
        commune=commune,
        content=household_file(many_rows(count, ["Pác Hợp", "Lũng Lừa"])),
        filename="ho.csv",
    )
    household_services.household_import_check(job_id=preview.pk)
    job = household_services.household_import_confirm(actor=None, preview=preview, chunk_size=2)
    job.refresh_from_db()
    return job


def _clients(users) -> list[Client]:
    clients = []
    for user in users:
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    return clients


def _all_at_once(posts) -> list:
    """Send each of ``posts`` (a function returning a response) from its own thread at once."""
    barrier = threading.Barrier(len(posts))
    responses, errors = [None] * len(posts), []

    def run(index, post):
        try:
            barrier.wait()
            responses[index] = post()
        except Exception as error:  # reported below: a thread's failure must fail the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return responses


def _assert_polite(responses) -> None:
    busy = _vietnamese_busy()
    statuses = sorted(response.status_code for response in responses)
    assert set(statuses) <= {200, 302, 409}, statuses
    for response in responses:
        if response.status_code == 409:
            assert busy in text(response)
