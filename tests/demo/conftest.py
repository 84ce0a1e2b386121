"""The demo, seeded once for the tests of tests/demo inside a transaction rolled back at the end;
each test runs in a savepoint within it, so tests that run the command again leave the others'
data alone."""

import io
import sys

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.demo.helpers import N


@pytest.fixture(scope="package")
def _fast_hasher():
    # The demo password is hashed on every run; the real hasher is slow on purpose.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="package", autouse=True)
def seeded(_fast_hasher, django_db_setup, django_db_blocker):
    """Seed once for the package; roll it all back afterwards so other packages see no demo."""
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
