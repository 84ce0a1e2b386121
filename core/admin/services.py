"""Admin saves through services, shared by every app, and the read-only history pages.

The admin writes through the same services as the views (STYLE.md). A service that refuses raises
``ValidationError``; Django's admin would turn that into a server error, because it expects
``save_model`` and ``save_formset`` to succeed once the forms are valid. ``ServiceAdmin`` makes the
refusal a form error instead:

1. The first attempt runs Django's normal change-form flow inside its transaction. When a service
   raises, the error is wrapped in ``ServiceRejected`` and leaves the transaction, which rolls back
   everything the attempt wrote (the object, its inlines, the log entry).
2. The same request is then processed again. This time the error is attached while the forms are
   validated (to the main form, or to the inline row that caused it), so the forms are invalid and
   Django renders the page as for any invalid input: the user's input kept, nothing saved.

Validating by calling the services inside ``clean()`` would write twice; copying Django's private
``_changeform_view`` would break with Django upgrades. This uses only public hooks.

A save or an action that loses a race for its rows (a deadlock, a lock timeout) runs again, as a
service does on its own outside the admin's transaction (``core.services.run_atomic``); when it
keeps losing, the user reads that nothing was saved and to try again, with the input kept.
"""

from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from core.forms import attach_error
from core.services import Busy, run_atomic

# Where the first attempt leaves a service's refusal for the second one.
_REJECTION_ATTR = "_bacung_service_rejection"
# An action that fails on many rows lists this many of them, then a count of the rest.
_MAX_ACTION_ERRORS = 10


class ServiceRejected(Exception):
    """A service refused an admin save; says which form the error belongs to."""

    def __init__(
        self, error: ValidationError, *, prefix: str | None = None, index: int | None = None
    ) -> None:
        super().__init__(error)
        self.error = error
        # The inline formset's prefix and the row's index in it; None for the main form.
        self.prefix = prefix
        self.index = index
        # Set when the second attempt builds the formset the error belongs to.
        self.claimed = False


def _rejection(request: HttpRequest) -> ServiceRejected | None:
    return getattr(request, _REJECTION_ATTR, None)


def _cleaned(form: BaseForm, names: Iterable[str]) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def _adopt(obj: Model, saved: Model) -> None:
    """Make the admin's unsaved instance the row the service saved, for the rest of the flow."""
    if obj is saved:
        return
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


class HistoryAdmin(SimpleHistoryAdmin):
    """A ModelAdmin with a read-only "History" page: who changed which fields, and when.

    django-simple-history's pages never write here: reverting to an old version would save the
    form directly, past the services and their workflow rules, so a past version is shown, never
    restored (SIMPLE_HISTORY_REVERT_DISABLED hides the button; the POST is refused here as well).

    Scope is checked once, by the admin site: its ScopedAdminMixin (config.admin_site), which
    wraps every registered admin, answers 404 on both pages for an id outside the user's scope
    before they run. They need it: the version page loads any version by id, and the history
    page falls back to the history of any id.
    """

    def _has_history(self) -> bool:
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    def history_view(self, request, object_id, extra_context=None):
        if not self._has_history():
            # A model without HistoricalRecords keeps Django's own page (the admin's log).
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        return super().history_view(request, object_id, extra_context)

    def get_urls(self):
        if self._has_history():
            return super().get_urls()
        # No past versions to show (history_form_view answers 404): Django's own URLs only.
        return admin.ModelAdmin.get_urls(self)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        if not self._has_history():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ServiceAdmin(HistoryAdmin):
    """A ModelAdmin whose saves go through services.

    Subclasses implement ``service_create`` (and ``service_update`` where changing is allowed);
    inlines that need services mix in ``ServiceInline``. Inlines without it save as Django does.
    """

    def service_create(self, request: HttpRequest, form: BaseForm) -> Model:
        """Create the object from the valid ``form`` through a service; return it."""
        raise NotImplementedError

    def service_update(self, request: HttpRequest, obj: Model, form: BaseForm) -> Model:
        """Change ``obj`` from the valid ``form`` through a service; return it."""
        raise NotImplementedError

    def cleaned(self, form: BaseForm, names: Iterable[str]) -> dict:
        """Return the cleaned values of the form fields among ``names``."""
        return _cleaned(form, names)

    def changed(self, form: BaseForm, names: Iterable[str]) -> dict:
        """Return the cleaned values of the fields among ``names`` that the user changed."""
        return _cleaned(form, [name for name in names if name in form.changed_data])

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        def attempt():
            return super(ServiceAdmin, self).changeform_view(
                request, object_id, form_url, extra_context
            )

        try:
            return run_atomic(attempt, using=router.db_for_write(self.model))
        except Busy as busy:
            self.message_user(request, busy.message, messages.ERROR)
            rejected = ServiceRejected(ValidationError(busy.message))
            setattr(request, _REJECTION_ATTR, rejected)
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRejected as rejected:
            # The first attempt's transaction is rolled back; validate again with the error.
            setattr(request, _REJECTION_ATTR, rejected)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        rejected = _rejection(request)
        if rejected is None:
            return form_class

        class RejectedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                # An inline's error is shown on its row, unless no inline took it.
                if rejected.prefix is None or not rejected.claimed:
                    attach_error(self, rejected.error)
                return cleaned_data

        RejectedForm.__name__ = form_class.__name__
        return RejectedForm

    def save_model(self, request, obj, form, change):
        try:
            if change:
                saved = self.service_update(request, obj, form)
            else:
                saved = self.service_create(request, form)
        except ValidationError as error:
            raise ServiceRejected(error) from error
        _adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        # Not form.save_m2m(): many-to-many fields are the services' to write (activity_save sets
        # an activity's villages after checking them).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        inline = getattr(formset, "service_inline", None)
        if inline is None:
            formset.save()
        else:
            inline.save_with_services(request, formset)


class _ServiceFormSet:
    """Mixed into an inline's formset: claims and shows the error of a refused row."""

    service_inline = None
    rejection: ServiceRejected | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.rejection is not None and self.rejection.prefix == self.prefix:
            self.rejection.claimed = True

    def clean(self):
        super().clean()
        rejected = self.rejection
        if rejected is None or rejected.prefix != self.prefix:
            return
        index = rejected.index
        form = self.forms[index] if index is not None and index < len(self.forms) else None
        if form is not None and not (self.can_delete and self._should_delete_form(form)):
            attach_error(form, rejected.error)
        else:
            # A refused deletion: the row is not validated, so the formset carries the error.
            raise ValidationError(rejected.error.messages)


class ServiceInline:
    """Mixed into an InlineModelAdmin whose rows are written by services.

    Implement ``service_create`` for new rows, ``service_update`` for changed rows (where the
    inline allows changes) and ``service_delete`` for deleted rows (where it allows deleting).
    """

    def service_create(self, request: HttpRequest, parent: Model, form: BaseForm) -> Model:
        raise NotImplementedError

    def service_update(self, request: HttpRequest, obj: Model, form: BaseForm) -> Model:
        raise NotImplementedError

    def service_delete(self, request: HttpRequest, obj: Model) -> None:
        raise NotImplementedError

    def cleaned(self, form: BaseForm, names: Iterable[str]) -> dict:
        """Return the cleaned values of the form fields among ``names``."""
        return _cleaned(form, names)

    def changed(self, form: BaseForm, names: Iterable[str]) -> dict:
        """Return the cleaned values of the fields among ``names`` that the user changed."""
        return _cleaned(form, [name for name in names if name in form.changed_data])

    def get_formset(self, request, obj=None, **kwargs):
        formset_class = super().get_formset(request, obj, **kwargs)
        return type(
            formset_class.__name__,
            (_ServiceFormSet, formset_class),
            {"service_inline": self, "rejection": _rejection(request)},
        )

    def save_with_services(self, request: HttpRequest, formset) -> None:
        """Write each added, changed or deleted row through the services."""
        # construct_change_message() reads these, as it would after formset.save().
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for index, form in enumerate(formset.forms):
            try:
                if formset.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME):
                    if form.instance.pk is not None:
                        self.service_delete(request, form.instance)
                        formset.deleted_objects.append(form.instance)
                elif not form.has_changed():
                    continue
                elif form.instance.pk is None:
                    formset.new_objects.append(self.service_create(request, formset.instance, form))
                else:
                    saved = self.service_update(request, form.instance, form)
                    formset.changed_objects.append((saved, form.changed_data))
            except ValidationError as error:
                raise ServiceRejected(error, prefix=formset.prefix, index=index) from error


def run_service_action(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    service: Callable[[Model], object],
    *,
    done: str,
) -> None:
    """Apply ``service`` to every selected row, all or nothing, and tell the user what happened.

    ``done`` is a message with a ``%(count)d`` placeholder. Each row runs in a savepoint so that
    every refusal can be listed; if any row is refused, the whole action is rolled back.
    """
    using = router.db_for_write(queryset.model)

    def attempt() -> tuple[int, list[tuple[Model, ValidationError]]]:
        failures, count = [], 0
        # .all(): a retried attempt reads the rows again rather than those the last one changed.
        for obj in queryset.all():
            try:
                with transaction.atomic(using=using):
                    service(obj)
            except ValidationError as error:
                failures.append((obj, error))
            else:
                count += 1
        if failures:
            transaction.set_rollback(True, using=using)
        return count, failures

    try:
        count, failures = run_atomic(attempt, using=using)
    except Busy as busy:
        modeladmin.message_user(request, busy.message, messages.ERROR)
        return
    if not failures:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)
        return
    for obj, error in failures[:_MAX_ACTION_ERRORS]:
        modeladmin.message_user(
            request,
            gettext("%(object)s: %(error)s") % {"object": obj, "error": " ".join(error.messages)},
            messages.ERROR,
        )
    if len(failures) > _MAX_ACTION_ERRORS:
        modeladmin.message_user(
            request,
            gettext("… and %(count)d more.") % {"count": len(failures) - _MAX_ACTION_ERRORS},
            messages.ERROR,
        )
    modeladmin.message_user(
        request,
        gettext("Nothing was changed: %(failed)d of the %(total)d selected could not be done.")
        % {"failed": len(failures), "total": count + len(failures)},
        messages.ERROR,
    )
