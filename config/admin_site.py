"""The staff admin, scoped: every model admin sees only the rows outreach.scope allows.

Each ModelAdmin registered on this site (ours, Django's, any library's) is wrapped in
ScopedAdminMixin at registration, so an admin added later is scoped without remembering to.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from outreach.scope import Role, roles_of, scoped


class ScopedAdminMixin:
    """Rows outside the user's scope do not exist for them: lists omit them, ids give 404."""

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def _in_force(self, request) -> bool:
        return bool(roles_of(request.user))

    def _read_only(self, request) -> bool:
        # Auditors read everything and change nothing, whatever permissions they were given.
        return roles_of(request.user) <= {Role.AUDITOR}

    def has_module_permission(self, request):
        return self._in_force(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._in_force(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        if not self._in_force(request) or self._read_only(request):
            return False
        return super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        if not self._in_force(request) or self._read_only(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not self._in_force(request) or self._read_only(request):
            return False
        return super().has_delete_permission(request, obj)

    def _object_in_scope_or_404(self, request, object_id) -> None:
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
            found = self.get_queryset(request).filter(pk=pk).exists()
        except (ValidationError, ValueError, TypeError):
            found = False
        if not found:
            # The same answer for "missing" and "not yours": ids leak nothing.
            raise Http404(_("No such record."))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._object_in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._object_in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._object_in_scope_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    # Pages that libraries add per object: the same check before theirs.
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """django-simple-history's view of one past version (it checks no scope itself)."""
        self._object_in_scope_or_404(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def user_change_password(self, request, id, form_url=""):
        """Django's set-password page of a user."""
        self._object_in_scope_or_404(request, id)
        return super().user_change_password(request, id, form_url)


class BaCungAdminSite(admin.AdminSite):
    site_header = site_title = "Ba Cùng"

    def has_permission(self, request):
        # A staff flag is not enough: the user needs a role in force today.
        return super().has_permission(request) and bool(roles_of(request.user))

    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, ScopedAdminMixin):
            base = type(base.__name__, (ScopedAdminMixin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)
