"""core.tasks.house_task: the house options, retries for transient errors and for nothing else.

Tasks run eagerly here (tests/conftest.py, even with REDIS_URL set), and eager errors propagate
to the caller: a retry comes back as ``Retry`` carrying the error. With propagation off, as on a
worker, a retry runs at once, in-process, without its countdown, so a whole series of tries can
be followed.
"""

import pytest
from celery.exceptions import Retry
from django.core.exceptions import ValidationError
from django.db import OperationalError

from activities.tasks import assets_due_remind_task, donor_digest_task, photo_process_task
from channel.tasks import (
    digest_send_task,
    fault_photo_process_task,
    post_notify_task,
    post_photo_process_task,
)
from core.tasks import IO_ERRORS, TRANSIENT_ERRORS, house_task
from households.tasks import (
    household_import_check_task,
    household_import_task,
    reviews_due_remind_task,
)
from reports.tasks import list_export_task

# What each run of the test tasks below saw: the number of the try (0 for the first).
_tries: list[int] = []
_ERRORS = {
    "database": lambda: OperationalError("database is locked"),
    "storage": lambda: OSError("network share unreachable"),
    "refused": lambda: ValidationError("The file was refused."),
    "bug": lambda: KeyError("no such column"),
}


@house_task(name="tests.core.failing_task")
def failing_task(self, error: str, failures: int) -> dict:
    _tries.append(self.request.retries)
    if len(_tries) <= failures:
        raise _ERRORS[error]()
    return {"tries": len(_tries)}


@house_task(name="tests.core.failing_io_task", autoretry_for=IO_ERRORS)
def failing_io_task(self, error: str, failures: int) -> dict:
    return failing_task.run(error, failures)


@pytest.fixture(autouse=True)
def _fresh_tries():
    # Eager even with REDIS_URL set (CI's second run): tests/conftest.py's _tasks_in_process.
    assert failing_task.app.conf.task_always_eager
    _tries.clear()


@pytest.fixture
def worker_like(monkeypatch):
    """Handle a task's retries inside the eager run instead of raising them to the caller."""
    monkeypatch.setitem(failing_task.app.conf, "task_eager_propagates", False)


def test_a_transient_error_asks_for_a_retry_within_the_first_backoff():
    with pytest.raises(Retry, match="database is locked") as retried:
        failing_task.delay("database", 1)
    assert isinstance(retried.value.exc, OperationalError)
    assert 0 <= retried.value.when <= 10
    assert _tries == [0]


def test_refused_data_is_not_retried():
    with pytest.raises(ValidationError, match="The file was refused"):
        failing_task.delay("refused", 1)
    assert _tries == [0]


def test_a_bug_is_not_retried():
    with pytest.raises(KeyError, match="no such column"):
        failing_task.delay("bug", 1)
    assert _tries == [0]


def test_a_storage_error_is_retried_only_by_tasks_that_ask_for_it():
    with pytest.raises(OSError, match="network share unreachable"):
        failing_task.delay("storage", 1)
    assert _tries == [0]
    _tries.clear()
    with pytest.raises(Retry, match="network share unreachable"):
        failing_io_task.delay("storage", 1)
    assert _tries == [0]


def test_a_task_that_widens_its_retries_still_does_not_retry_refused_data():
    with pytest.raises(ValidationError, match="The file was refused"):
        failing_io_task.delay("refused", 1)
    assert _tries == [0]


def test_a_transient_error_is_retried_until_the_task_succeeds(worker_like):
    assert failing_task.delay("database", 2).get() == {"tries": 3}
    assert _tries == [0, 1, 2]


def test_a_transient_error_that_lasts_fails_the_task_after_five_retries(worker_like):
    result = failing_task.delay("database", 10)
    with pytest.raises(OperationalError, match="database is locked"):
        result.get()
    assert _tries == [0, 1, 2, 3, 4, 5]


def test_refused_data_fails_the_task_at_once_on_a_worker_too(worker_like):
    result = failing_io_task.delay("refused", 10)
    with pytest.raises(ValidationError, match="The file was refused"):
        result.get()
    assert _tries == [0]


@pytest.mark.parametrize(
    ("task", "name", "retried"),
    [
        (photo_process_task, "activities.tasks.photo_process_task", IO_ERRORS),
        (assets_due_remind_task, "activities.tasks.assets_due_remind_task", TRANSIENT_ERRORS),
        (donor_digest_task, "activities.tasks.donor_digest_task", TRANSIENT_ERRORS),
        (post_notify_task, "channel.tasks.post_notify_task", IO_ERRORS),
        (digest_send_task, "channel.tasks.digest_send_task", IO_ERRORS),
        (post_photo_process_task, "channel.tasks.post_photo_process_task", IO_ERRORS),
        (fault_photo_process_task, "channel.tasks.fault_photo_process_task", IO_ERRORS),
        (
            household_import_check_task,
            "households.tasks.household_import_check_task",
            TRANSIENT_ERRORS,
        ),
        (household_import_task, "households.tasks.household_import_task", TRANSIENT_ERRORS),
        (reviews_due_remind_task, "households.tasks.reviews_due_remind_task", TRANSIENT_ERRORS),
        (list_export_task, "reports.tasks.list_export_task", TRANSIENT_ERRORS),
    ],
)
def test_every_task_keeps_its_name_and_has_the_house_options(task, name, retried):
    assert task.name == name
    assert (task.acks_late, task.reject_on_worker_lost) == (True, True)
    assert tuple(task.autoretry_for) == retried
    assert tuple(task.dont_autoretry_for) == (ValidationError,)
    assert (task.retry_backoff, task.retry_jitter, task.max_retries) == (10, True, 5)
