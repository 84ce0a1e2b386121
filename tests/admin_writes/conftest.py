"""Fixtures of the write matrix: the world of tests/test_permission_matrix.py (partnership A
inside, B outside, one user per role), built once per module, with the staff flag given to
the cadre and the donor as well: the worst case, in which only the scope stands between them
and the admin's forms. The staff member and the cadre of that world; messages in English."""

import copy

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import translation

from tests.test_permission_matrix import _make_world


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world once for the module, rolled back after its last case (as the GET matrix)."""
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            rows = _make_world()
            for role in ("cadre", "donor"):
                user = rows["users"][role]
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        except BaseException:
            TestCase._rollback_atomics(atomics)
            raise
    yield rows
    with django_db_blocker.unblock():
        TestCase._rollback_atomics(atomics)


@pytest.fixture
def world(db, module_world):
    return copy.deepcopy(module_world)


@pytest.fixture
def staff(world):
    return get_user_model().objects.get(username="m-staff")


@pytest.fixture
def cadre(world):
    return get_user_model().objects.get(username="m-cadre")


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
