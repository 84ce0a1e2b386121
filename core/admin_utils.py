"""Admin plumbing shared by every app: saves through services, money columns, folded search.

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
"""

import datetime
from collections.abc import Callable, Iterable

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import BigIntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms import BaseForm
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.money import format_vnd
from core.text import fold

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


def attach_error(form: BaseForm, error: ValidationError) -> None:
    """Add a service's error to ``form``: on a field the form shows, otherwise at the top."""
    items = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]
    for field, errors in items:
        form.add_error(field if field in form.fields else None, ValidationError(errors))


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

    django-simple-history's pages are narrowed in two ways. They show only records that the
    admin's ``get_queryset`` lets this user see (its version page would otherwise load any
    version by id, and its history page falls back to the history of any id), so the history
    leaks nothing that the change page hides. And they never write: reverting to an old version
    would save the form directly, past the services and their workflow rules, so a past version
    is shown, never restored (SIMPLE_HISTORY_REVERT_DISABLED hides the button; the POST is refused
    here as well).
    """

    def _check_in_scope(self, request: HttpRequest, object_id: str) -> None:
        pk = self.model._meta.pk.to_python(unquote(object_id))
        if not self.get_queryset(request).filter(pk=pk).exists():
            # Missing and out of scope look the same, as on every other page.
            raise Http404

    def _has_history(self) -> bool:
        return hasattr(self.model._meta, "simple_history_manager_attribute")

    def history_view(self, request, object_id, extra_context=None):
        if not self._has_history():
            # A model without HistoricalRecords keeps Django's own page (the admin's log).
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        try:
            self._check_in_scope(request, object_id)
        except ValidationError as error:  # a malformed id
            raise Http404 from error
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        if not self._has_history():
            raise Http404
        try:
            self._check_in_scope(request, object_id)
        except ValidationError as error:
            raise Http404 from error
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
        try:
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
    failures: list[tuple[Model, ValidationError]] = []
    count = 0
    using = router.db_for_write(queryset.model)
    with transaction.atomic(using=using):
        for obj in queryset:
            try:
                with transaction.atomic(using=using):
                    service(obj)
            except ValidationError as error:
                failures.append((obj, error))
            else:
                count += 1
        if failures:
            transaction.set_rollback(True, using=using)
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


def money_column(field: str, description, *, ordering: str | None = None):
    """Build a list_display column that shows a whole-đồng field as ``70.000.000 ₫``."""

    @admin.display(description=description, ordering=ordering or field)
    def column(modeladmin, obj):
        return format_vnd(getattr(obj, field))

    column.__name__ = f"{field}_formatted"
    return column


def related_total(related: QuerySet, link: str, aggregate) -> Coalesce:
    """Annotate each row with ``aggregate`` over its related rows, as a correlated subquery.

    ``related_total(Member.objects.all(), "household", Count("pk"))`` counts a household's
    members. A JOIN with GROUP BY would aggregate the whole related table before the page is
    cut; the subquery is evaluated for the rows on the page only.
    """
    totals = (
        related.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(total=aggregate)
        .values("total")
    )
    return Coalesce(Subquery(totals), 0, output_field=BigIntegerField())


def folded_search(
    queryset: QuerySet, term: str, folded_field: str, plain_fields: Iterable[str] = ()
) -> QuerySet:
    """Filter on a folded search column, ignoring case and diacritics ("ma dinh lieu").

    Both sides are folded (lower case, no diacritics), so ``contains`` is already
    case-insensitive; unlike ``icontains`` (``UPPER(col) LIKE …`` on PostgreSQL) it lets a
    pg_trgm index on the column itself serve the search. ``plain_fields`` match the raw term.
    """
    folded = fold(term)
    if not folded:
        return queryset
    condition = Q(**{f"{folded_field}__contains": folded})
    for name in plain_fields:
        condition |= Q(**{f"{name}__icontains": term.strip()})
    return queryset.filter(condition)


class YesNoNullFilter(admin.SimpleListFilter):
    """A yes/no filter on whether a nullable field is set ("confirmed", "ended")."""

    field: str = ""
    yes_label = _("Yes")
    no_label = _("No")

    def lookups(self, request, model_admin):
        return [("yes", self.yes_label), ("no", self.no_label)]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(**{f"{self.field}__isnull": False})
        if self.value() == "no":
            return queryset.filter(**{f"{self.field}__isnull": True})
        return queryset


def year_filter(field: str, years: Callable[[], Iterable[datetime.date]]):
    """Build a list filter on the year of the date ``field`` ("2024").

    ``years`` gives the dates whose years are offered; read them from a small table (the
    distributions, not their million receipts), since the filter runs on every page load.
    """

    class YearFilter(admin.SimpleListFilter):
        title = _("year")
        parameter_name = f"{field.replace('__', '_')}_year"

        def lookups(self, request, model_admin):
            found = sorted({day.year for day in years()}, reverse=True)
            return [(str(year), str(year)) for year in found]

        def queryset(self, request, queryset):
            value = self.value()
            if not value or not value.isdigit():
                return queryset
            year = int(value)
            # A range, not __year, so that an index on the column serves it.
            return queryset.filter(
                **{
                    f"{field}__gte": datetime.date(year, 1, 1),
                    f"{field}__lt": datetime.date(year + 1, 1, 1),
                }
            )

    return YearFilter


class ReadOnlyInline(admin.TabularInline):
    """An inline that shows a record's history (reviews, log entries) and changes nothing.

    The rows are written on their own admin page, through their service.
    """

    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
