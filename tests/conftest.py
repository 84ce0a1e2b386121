import pytest

from outreach.models import RoleAssignment
from outreach.services import role_assign
from tests.browser import browser  # noqa: F401  (the browser fixture, for tests/e2e and others)
from tests.factories import PartnerFactory, PartnershipFactory, UserFactory

Role = RoleAssignment.Role


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep uploaded files of a test out of var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs a quarter of a second per user on purpose; tests make hundreds of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def partnership(db):
    """The partnership the role fixtures serve (staff) or live in (cadre)."""
    return PartnershipFactory()


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin-t", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_user(partnership):
    user = UserFactory(username="staff-t", is_staff=True)
    role_assign(actor=None, user=user, role=Role.OFFICE_STAFF, partnership=partnership)
    return user


@pytest.fixture
def cadre_user(partnership):
    user = UserFactory(username="cadre-t")
    role_assign(actor=None, user=user, role=Role.COMMUNE_CADRE, commune=partnership.commune)
    return user


@pytest.fixture
def donor_partner(db):
    return PartnerFactory(name="Ngân hàng tài trợ thử nghiệm")


@pytest.fixture
def donor_user(donor_partner):
    user = UserFactory(username="donor-t")
    role_assign(actor=None, user=user, role=Role.DONOR, partner=donor_partner)
    return user


@pytest.fixture
def auditor_user(db):
    user = UserFactory(username="auditor-t", is_staff=True)
    role_assign(actor=None, user=user, role=Role.AUDITOR)
    return user


@pytest.fixture(autouse=True)
def _no_remembered_addresses():
    """The old communes an address may name are kept per province in the process; a test's rows
    (and their ids, reused after its rollback) are not the next test's."""
    from outreach.units import forget_addresses

    forget_addresses()
    yield
    forget_addresses()


@pytest.fixture(autouse=True)
def _no_quiet_hours(settings):
    """Send notices whatever the clock says; the tests of the quiet hours set them and the
    time they deliver at."""
    settings.NOTIFY_QUIET_HOURS = ""


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Run Celery tasks in-process, as the demo does, even when REDIS_URL is set (CI's second
    run); tests about real workers mark themselves ``celery_worker`` and get the broker."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from config.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _vietnamese_unless_asked():
    """Start every test in Vietnamese, the site's language: a request made in English by an
    earlier test leaves English active in the thread (the middleware activates per request)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
