"""Who may act: one vocabulary for the views' declarations, the pages' buttons and the selectors.

Deny by default: a view serves only the roles it declares, and only to users whose role is in
force today. A view that declares nothing is refused (403), so a new page cannot leak by omission.

    @serves(Role.OFFICE_STAFF, Role.AUDITOR)   # these roles (administrators always)
    @serves(*OFFICE_READERS)                   # the same, by the name of the group
    @public                                    # anyone, logged in or not (login, health check)

A button, a form or a selector asks the same question with ``may(user, *roles)`` (in templates
``{% load access %}`` and ``user|may:"Office staff"`` or ``user|may:"WORKERS"``), so a page shows
what its views serve. ``implied`` adds the administrator in one place, for both.

The staff admin is exempt here: its own permissions apply, and config.admin_site scopes every
model admin's rows with outreach.scope.
"""

import dataclasses
from collections.abc import Callable, Iterable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.access import declaration, public
from outreach.scope import Role, roles_of

__all__ = [
    "ALL_ROLES",
    "OFFICE_READERS",
    "RECORD_READERS",
    "ROLE_SETS",
    "WORKERS",
    "AccessMiddleware",
    "Allowed",
    "implied",
    "may",
    "public",
    "serves",
]

ALL_ROLES = frozenset(Role.values)
# The groups of roles that recur across pages (DESIGN.md's roles table). Administrators are never
# listed: ``implied`` adds them.
# Those who work in the communes: office staff and the commune's cadres (reviews, receipts,
# verification visits, asset faults, whole ID numbers).
WORKERS = (Role.OFFICE_STAFF, Role.COMMUNE_CADRE)
# Those who read the office's side of the records: the money trail, every post, fault reports.
OFFICE_READERS = (Role.OFFICE_STAFF, Role.AUDITOR)
# Those who read households' records: households, activities, distributions, assets, grants.
RECORD_READERS = (Role.OFFICE_STAFF, Role.COMMUNE_CADRE, Role.AUDITOR)
# By name, for templates (``user|may:"WORKERS"``).
ROLE_SETS = {
    "WORKERS": WORKERS,
    "OFFICE_READERS": OFFICE_READERS,
    "RECORD_READERS": RECORD_READERS,
}
# Views that Django or a library provides, without our decorators.
_EXEMPT_MODULES = ("django.contrib.admin.", "django.views.i18n")


def implied(roles: Iterable[str]) -> frozenset:
    """Return ``roles`` with the administrator, who may always act; refuse unknown role names
    (a misspelt role would otherwise hide a button or refuse a page without a word)."""
    roles = frozenset(roles)
    unknown = roles - ALL_ROLES
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    return roles | {Role.ADMINISTRATOR}


def may(user, *roles: str) -> bool:
    """Tell whether ``user`` holds today one of ``roles`` (administrators always may).

    Anonymous and inactive users, and those whose every role has expired, may nothing.
    """
    if not (getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)):
        return False
    return bool(roles_of(user) & implied(roles))


@dataclasses.dataclass(frozen=True)
class Allowed:
    """What a user may do with one object: its detail selector works it out with ``may`` and
    the object's state; the page's buttons read it (``can.edit``). What is not set is refused."""

    edit: bool = False  # change the object itself
    review: bool = False  # record a review of a household
    record: bool = False  # add to its records: concerns, verification visits, log entries
    confirm: bool = False  # confirm receipts
    sign: bool = False  # keep a photo of the signature
    remove: bool = False  # take it off its distribution
    manage: bool = False  # move it through its workflow: approve, close, start a round
    allocate: bool = False  # fund it from a donation, or give an allocation back
    pay: bool = False  # record a payment
    handle: bool = False  # confirm or dismiss a public report
    report_fault: bool = False  # report that it is broken
    see_money: bool = False  # read the money trail behind it


def serves(*roles: str) -> Callable:
    """Declare which roles a view serves; others get 403, anonymous users the login page."""
    allowed = implied(roles)

    def decorate(view):
        view.bacung_roles = allowed
        return view

    return decorate


class AccessMiddleware:
    """Refuse any request whose view does not declare the roles it serves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if view.__module__.startswith(_EXEMPT_MODULES) or getattr(
            request.resolver_match, "namespace", ""
        ).startswith("admin"):
            return None
        is_public, roles = declaration(view)
        if is_public:
            return None
        if roles is None:
            raise PermissionDenied("This page declares no role.")
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not may(request.user, *roles):
            raise PermissionDenied
        return None
