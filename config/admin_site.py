"""The staff admin, scoped: every model admin sees only the rows outreach.scope allows.

Each ModelAdmin registered on this site (ours, Django's, any library's) is wrapped in
ScopedAdminMixin at registration, so an admin added later is scoped without remembering to. It
scopes what the admin reads (lists, ids) and what it writes: the choices of every foreign-key and
many-to-many field of its forms and inlines (so a made-up id outside the scope is "not a valid
choice"), the rows its actions receive, which rows may be changed at all (outreach.scope.writable:
reference data only by its owners) and, before anything is saved, the rows and the targets of
their foreign keys again (outreach.scope.require_in_scope, which the services call as well).
"""

import functools

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from core.forms import AdminLoginForm
from outreach.scope import (
    Role,
    may_create,
    require_in_scope,
    roles_of,
    rule_for,
    scoped,
    writable,
)


def _scope_choices(field, user):
    """Cut a model choice field's choices to the rows ``user`` may see, once."""
    if (
        isinstance(field, forms.ModelChoiceField)
        and not getattr(field, "_bacung_scoped", False)
        and field.queryset is not None
        and rule_for(field.queryset.model) is not None
    ):
        field.queryset = scoped(field.queryset, user)
        field._bacung_scoped = True
    return field


def _scoped_form(form_class, user):
    """Scope the fields a form declares itself (the others come through formfield_for_*)."""

    class ScopedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                _scope_choices(field, user)

    ScopedForm.__name__ = form_class.__name__
    return ScopedForm


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices of an admin form (or inline) within the scope.

    Models without a rule (users, groups, content types) keep the admin's own rules.
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return _scope_choices(field, request.user) if field is not None else None

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return _scope_choices(field, request.user) if field is not None else None


class ScopedInlineMixin(ScopedChoicesMixin):
    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = _scoped_form(formset.form, request.user)
        return formset


@functools.cache
def _scoped_inline(inline_class):
    if issubclass(inline_class, ScopedInlineMixin):
        return inline_class
    return type(
        inline_class.__name__,
        (ScopedInlineMixin, inline_class),
        {"__module__": inline_class.__module__},
    )


def _refuse_out_of_scope(request, obj) -> None:
    """A write past the forms' choices (a crafted request, an admin's own code): 403."""
    try:
        require_in_scope(request.user, obj)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error


class ScopedAdminMixin(ScopedChoicesMixin):
    """Rows outside the user's scope do not exist for them: lists omit them, ids give 404."""

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def get_form(self, request, obj=None, **kwargs):
        # Django passes ``change`` by keyword; UserAdmin's get_form takes no more positionally.
        return _scoped_form(super().get_form(request, obj, **kwargs), request.user)

    def get_inlines(self, request, obj):
        return [_scoped_inline(inline) for inline in super().get_inlines(request, obj)]

    def get_actions(self, request):
        # Django hands an action the changelist's (scoped) queryset cut to the selected ids, or
        # all of it for "select across"; scope it again, so that an action never reaches a row
        # this admin would not list, whatever an admin's get_queryset does.
        return {
            name: (_scoped_action(func), name_, description)
            for name, (func, name_, description) in super().get_actions(request).items()
        }

    def save_model(self, request, obj, form, change):
        _refuse_out_of_scope(request, obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.has_changed():
                _refuse_out_of_scope(request, inline_form.instance)
        super().save_formset(request, form, formset, change)

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
        if not may_create(self.model, request.user):
            return False
        return super().has_add_permission(request, *args)

    def _writable(self, request, obj) -> bool:
        # Reference data is read by all and changed by its owners (outreach.scope.writable).
        return (
            obj is None
            or writable(self.model._default_manager.filter(pk=obj.pk), request.user).exists()
        )

    def has_change_permission(self, request, obj=None):
        if not self._in_force(request) or self._read_only(request):
            return False
        return super().has_change_permission(request, obj) and self._writable(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not self._in_force(request) or self._read_only(request):
            return False
        return super().has_delete_permission(request, obj) and self._writable(request, obj)

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


def _scoped_action(func):
    @functools.wraps(func)
    def action(modeladmin, request, queryset):
        return func(modeladmin, request, scoped(queryset, request.user))

    return action


class BaCungAdminSite(admin.AdminSite):
    site_header = site_title = "Ba Cùng"
    # Refuses an over-long login name before django-axes records it.
    login_form = AdminLoginForm

    def has_permission(self, request):
        # A staff flag is not enough: the user needs a role in force today.
        return super().has_permission(request) and bool(roles_of(request.user))

    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, ScopedAdminMixin):
            base = type(base.__name__, (ScopedAdminMixin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)
