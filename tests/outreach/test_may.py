"""``may``: one answer to "who may act", for views (``@serves``), buttons and selectors alike."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from activities.models import Distribution
from activities.selectors.distribution import distribution_detail
from outreach.access import (
    ALL_ROLES,
    OFFICE_READERS,
    RECORD_READERS,
    ROLE_SETS,
    WORKERS,
    AccessMiddleware,
    Allowed,
    may,
    serves,
)
from outreach.context_processors import roles as roles_context
from outreach.models import RoleAssignment
from outreach.services import role_assign
from tests import factories as f

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role
USERS = ["staff_user", "cadre_user", "donor_user", "auditor_user", "admin_user"]
# The one role each fixture holds (the administrator holds them all).
HOLDS = {
    "staff_user": Role.OFFICE_STAFF,
    "cadre_user": Role.COMMUNE_CADRE,
    "donor_user": Role.DONOR,
    "auditor_user": Role.AUDITOR,
}


@pytest.fixture
def expired_user(partnership):
    user = f.UserFactory(username="expired-t", is_staff=True)
    role_assign(
        actor=None,
        user=user,
        role=Role.OFFICE_STAFF,
        partnership=partnership,
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    return user


@pytest.mark.parametrize("who", list(HOLDS))
def test_each_role_may_act_as_itself_and_nothing_else(request, who):
    user = request.getfixturevalue(who)
    for role in ALL_ROLES:
        assert may(user, role) == (role == HOLDS[who]), role
    assert may(user, *ALL_ROLES)
    assert not may(user)


def test_the_administrator_is_implied_in_every_role(admin_user):
    for role in ALL_ROLES:
        assert may(admin_user, role), role
    for roles in ROLE_SETS.values():
        assert may(admin_user, *roles)
    # Naming no role asks "is this an administrator?".
    assert may(admin_user)


def test_an_administrators_role_assignment_counts_as_the_superuser_flag(db):
    user = f.UserFactory(username="assigned-admin-t")
    role_assign(actor=None, user=user, role=Role.ADMINISTRATOR)
    assert may(user, Role.OFFICE_STAFF)
    assert may(user, Role.ADMINISTRATOR)


def test_an_expired_role_assignment_gives_nothing(expired_user):
    assert not any(may(expired_user, role) for role in ALL_ROLES)
    assert not may(expired_user, *ALL_ROLES)
    request = RequestFactory().get("/")
    request.user = expired_user
    shortcuts = roles_context(request)
    assert shortcuts["user_roles"] == set()
    assert not any(shortcuts[name] for name in shortcuts if name != "user_roles")


def test_anonymous_and_inactive_users_may_nothing(db):
    inactive_admin = f.UserFactory(username="gone-admin-t", is_superuser=True, is_active=False)
    for user in (None, AnonymousUser(), inactive_admin):
        assert not may(user, *ALL_ROLES), user
        assert not may(user), user


def test_an_inactive_user_keeps_no_role_of_an_assignment_in_force(staff_user):
    staff_user.is_active = False
    assert not may(staff_user, Role.OFFICE_STAFF)


def test_a_misspelt_role_is_refused_rather_than_denied_in_silence(staff_user):
    with pytest.raises(ValueError, match="Unknown roles: Ofice staff"):
        may(staff_user, "Ofice staff")
    with pytest.raises(ValueError, match="Unknown roles: Ofice staff"):
        serves("Ofice staff")


def test_the_named_sets_are_the_roles_table():
    assert WORKERS == (Role.OFFICE_STAFF, Role.COMMUNE_CADRE)
    assert OFFICE_READERS == (Role.OFFICE_STAFF, Role.AUDITOR)
    assert RECORD_READERS == (Role.OFFICE_STAFF, Role.COMMUNE_CADRE, Role.AUDITOR)
    # Nobody lists the administrator: ``implied`` adds them.
    assert all(Role.ADMINISTRATOR not in roles for roles in ROLE_SETS.values())


def _served(view, user) -> bool:
    """Tell whether the access middleware lets ``user`` open ``view``."""
    request = RequestFactory().get("/somewhere/")
    request.user = user
    request.resolver_match = None
    try:
        return AccessMiddleware(lambda request: None).process_view(request, view, (), {}) is None
    except PermissionDenied:
        return False


@pytest.mark.parametrize("name", list(ROLE_SETS))
def test_serves_and_may_agree_for_each_named_set(request, expired_user, name):
    roles = ROLE_SETS[name]

    @serves(*roles)
    def view(request):
        raise AssertionError("not called")

    users = [request.getfixturevalue(who) for who in USERS] + [expired_user]
    answers = {user.username: may(user, *roles) for user in users}
    assert answers == {user.username: _served(view, user) for user in users}
    # The sets are not empty promises: someone is let in, someone is kept out.
    assert set(answers.values()) == {True, False}


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_serves_and_may_agree_for_each_role(request, expired_user, role):
    @serves(role)
    def view(request):
        raise AssertionError("not called")

    for user in [request.getfixturevalue(who) for who in USERS] + [expired_user]:
        assert may(user, role) == _served(view, user), user.username


def _render(source: str, user) -> str:
    return Template("{% load access %}" + source).render(Context({"user": user}))


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("staff_user", "staff workers office"),
        ("cadre_user", "workers"),
        ("auditor_user", "office"),
        ("donor_user", ""),
        ("admin_user", "staff workers office"),
    ],
)
def test_the_template_filter_asks_may_by_role_by_set_and_by_list(request, who, shown):
    user = request.getfixturevalue(who)
    source = (
        '{% if user|may:"Office staff" %}staff {% endif %}'
        '{% if user|may:"WORKERS" %}workers {% endif %}'
        '{% if user|may:"Office staff, Auditor" %}office{% endif %}'
    )
    assert _render(source, user).strip() == shown


def test_the_template_filter_refuses_a_misspelt_role(staff_user):
    with pytest.raises(ValueError, match="Unknown roles: Office staf"):
        _render('{% if user|may:"Office staf" %}x{% endif %}', staff_user)


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("staff_user", True),
        ("admin_user", True),
        ("cadre_user", False),
        ("auditor_user", False),
    ],
)
def test_the_asset_registry_shows_its_register_button_to_whom_may_register(
    client, request, who, shown
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("activities:asset-list"))
    assert response.status_code == 200
    assert (f'href="{reverse("activities:asset-create")}"' in response.content.decode()) is shown
    # The page's button and the page it leads to answer alike.
    create = client.get(reverse("activities:asset-create"))
    assert create.status_code == (200 if shown else 403)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (
            "staff_user",
            Allowed(edit=True, manage=True, allocate=True, confirm=True, see_money=True),
        ),
        ("cadre_user", Allowed(confirm=True)),
        ("auditor_user", Allowed(see_money=True)),
        (
            "admin_user",
            Allowed(edit=True, manage=True, allocate=True, confirm=True, see_money=True),
        ),
    ],
)
def test_the_distribution_detail_says_what_each_role_may_do(request, partnership, who, expected):
    distribution = f.DistributionFactory(
        partnership=partnership, status=Distribution.Status.DISTRIBUTING
    )
    found, can = distribution_detail(user=request.getfixturevalue(who), pk=distribution.pk)
    assert found == distribution
    assert can == expected


def test_a_closed_distribution_leaves_staff_only_its_workflow_and_money(staff_user, partnership):
    distribution = f.DistributionFactory(partnership=partnership, status=Distribution.Status.CLOSED)
    _found, can = distribution_detail(user=staff_user, pk=distribution.pk)
    assert can == Allowed(manage=True, see_money=True)
