"""Deny by default: a view serves only the roles it declares, and only to users whose role is in
force today. A view that declares nothing is refused (403), so a new page cannot leak by omission.

    @serves(Role.OFFICE_STAFF, Role.AUDITOR)   # these roles (administrators always)
    @public                                    # anyone, logged in or not (login, health check)

The staff admin is exempt here: its own permissions apply, and config.admin_site scopes every
model admin's rows with outreach.scope.
"""

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.access import declaration, public
from outreach.scope import Role, roles_of

__all__ = ["ALL_ROLES", "AccessMiddleware", "public", "serves"]

ALL_ROLES = frozenset(Role.values)
# Views that Django or a library provides, without our decorators.
_EXEMPT_MODULES = ("django.contrib.admin.", "django.views.i18n")


def serves(*roles: str) -> Callable:
    """Declare which roles a view serves; others get 403, anonymous users the login page."""
    allowed = frozenset(roles) | {Role.ADMINISTRATOR}

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
        if not roles_of(request.user) & roles:
            raise PermissionDenied
        return None
