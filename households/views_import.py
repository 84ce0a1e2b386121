"""The household import pages: upload a file, read the dry run's outcome of every row (and the
field read from each column, to correct), confirm.

Office staff only (and administrators). The file is checked and applied by background jobs
(``households.tasks``) whose progress shows on the job page; these views only start them and
show their results. Forms are here, beside the only pages that use them.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import FieldsHelper, attach_error
from core.jobs import jobs_of
from core.models import Job
from households import imports, services
from households.models import HouseholdImport
from households.services.household_import import household_import_recheck
from outreach.access import serves
from outreach.models import Commune
from outreach.scope import Role, scoped

STAFF = Role.OFFICE_STAFF
ROWS_PER_PAGE = 100
SHOW = {
    "all": gettext_lazy("All rows"),
    imports.Outcome.ERROR: gettext_lazy("Errors"),
    imports.Outcome.NEW: gettext_lazy("New"),
    imports.Outcome.UPDATE: gettext_lazy("Updates"),
    imports.Outcome.UNCHANGED: gettext_lazy("Unchanged"),
}


class ImportUploadForm(forms.Form):
    """The file and the commune whose households it lists."""

    commune = forms.ModelChoiceField(label=gettext_lazy("Commune"), queryset=Commune.objects.none())
    file = forms.FileField(
        label=gettext_lazy("Household file (CSV or XLSX)"),
        # The file is checked by the service (imports.check_file), in the words of every path;
        # Django's own "empty file" error would say it differently.
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = scoped(Commune.objects.all(), user).filter(valid_until__isnull=True)
        self.fields["commune"].queryset = communes.order_by("name")
        if len(self.fields["commune"].queryset) == 1:
            self.fields["commune"].initial = self.fields["commune"].queryset[0]
        self.helper = FieldsHelper(self)


class ImportMappingForm(forms.Form):
    """The header's row and the field of each of the file's columns, as the check read them,
    for the person to correct before checking the file again."""

    header_row = forms.IntegerField(
        label=gettext_lazy("Header row"),
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, layout: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["header_row"].initial = layout.get("header_row") or 1
        choices = [("", gettext_lazy("Not read"))] + [
            (column.key, f"{column.label} ({column.header})") for column in imports.FIELDS
        ]
        self.headers = [column["header"] for column in layout.get("columns", [])]
        for position, column in enumerate(layout.get("columns", [])):
            self.fields[f"column_{position}"] = forms.ChoiceField(
                label=column["header"] or gettext_lazy("(no header)"),
                choices=choices,
                required=False,
                initial=column.get("field", ""),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def columns(self) -> list:
        return [self[f"column_{position}"] for position in range(len(self.headers))]

    def choice(self) -> dict[str, str]:
        """Return the chosen field of each column, by its header."""
        return {
            header: self.cleaned_data.get(f"column_{position}", "")
            for position, header in enumerate(self.headers)
            if header
        }


class ImportConfirmForm(forms.Form):
    valid_only = forms.BooleanField(
        label=gettext_lazy("Import only the valid rows (rows with errors are left out)"),
        required=False,
    )


def _import_of(user, pk: int) -> HouseholdImport:
    """Return the import whose check job is ``pk``, if it is in the user's scope and the user
    follows its job (they uploaded it, or administer the site); 404 for anything else."""
    found = (
        scoped(HouseholdImport.objects.all(), user)
        .filter(check_job_id=pk, check_job__in=jobs_of(user))
        .select_related("commune", "check_job", "apply_job")
        .first()
    )
    if found is None:
        raise Http404(_("No such record."))
    return found


@serves(STAFF)
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Take a household file and start its dry run (the rows' outcomes show on the next page)."""
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.household_import_start(
                actor=request.user,
                commune=form.cleaned_data["commune"],
                content=upload,  # measured before it is read
                filename=upload.name,
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.info(request, _("The file is being checked; nothing is imported yet."))
            return redirect("job-detail", pk=job.pk)
    return render(
        request, "households/import_upload.html", {"form": form, "columns": imports.COLUMNS}
    )


@serves(STAFF)
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """Hand out an empty household file with the expected columns."""
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-ho.csv"'
    return response


@serves(STAFF)
@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the dry run of a file: every row's outcome, then the button that imports it."""
    household_import = _import_of(request.user, pk)
    job = household_import.check_job
    if job.status in (Job.Status.QUEUED, Job.Status.RUNNING):
        return redirect("job-detail", pk=job.pk)
    layout = household_import.layout
    context = {
        "job": job,
        "household_import": household_import,
        "commune": household_import.commune,
        "show_choices": SHOW,
        "confirm": ImportConfirmForm(),
        "layout": layout,
        "mapping": ImportMappingForm(layout=layout) if layout.get("columns") else None,
    }
    if job.status == Job.Status.SUCCEEDED:
        report = services.import_preview_report(household_import)
        show = request.GET.get("show", "all")
        show = show if show in SHOW else "all"
        rows = report["rows"]
        if show != "all":
            rows = [row for row in rows if row["outcome"] == show]
        context.update(
            report=report,
            show=show,
            page_obj=Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
            applied=household_import.apply_job,
        )
    return render(request, "households/import_preview.html", context)


@serves(STAFF)
@require_POST
def import_remap(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the file again, read with the header row and the fields the person chose."""
    household_import = _import_of(request.user, pk)
    form = ImportMappingForm(request.POST, layout=household_import.layout)
    if not form.is_valid():
        messages.error(request, _("Choose a header row (a row number) and a field per column."))
        return redirect("households:import-preview", pk=pk)
    try:
        job = household_import_recheck(
            actor=request.user,
            preview=household_import.check_job,
            header_row=form.cleaned_data["header_row"],
            choice=form.choice(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("households:import-preview", pk=pk)
    messages.info(request, _("The file is being checked again with the columns you chose."))
    return redirect("job-detail", pk=job.pk)


@serves(STAFF)
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the import of a checked file (only its valid rows, when the user asked)."""
    job = _import_of(request.user, pk).check_job
    form = ImportConfirmForm(request.POST)
    form.is_valid()
    try:
        applied = services.household_import_confirm(
            actor=request.user,
            preview=job,
            valid_only=form.cleaned_data.get("valid_only", False),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("households:import-preview", pk=job.pk)
    messages.success(request, _("The import has started: follow it below."))
    return redirect("job-detail", pk=applied.pk)
