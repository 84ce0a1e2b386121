import pytest
from django.contrib.auth.models import Group

from core import roles
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded files of a test out of var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs a quarter of a second per user on purpose; tests make hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user_in(group_name: str, username: str, **extra):
    user = UserFactory(username=username, **extra)
    group, _ = Group.objects.get_or_create(name=group_name)
    user.groups.add(group)
    return user


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-t", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_user(db):
    return _user_in(roles.OFFICE_STAFF, "staff-t", is_staff=True)


@pytest.fixture
def cadre_user(db):
    return _user_in(roles.COMMUNE_CADRE, "cadre-t")


@pytest.fixture
def donor_user(db):
    return _user_in(roles.DONOR, "donor-t")


@pytest.fixture
def auditor_user(db):
    return _user_in(roles.AUDITOR, "auditor-t", is_staff=True)
