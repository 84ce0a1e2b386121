"""The survey pages, phone-first: the household's survey with its result so far, and one page
per section.

Office staff and cadres of the commune edit; auditors read. A save refused because someone
else saved first shows the saved values and what changed, and keeps the user's input.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import attach_error
from households import selectors_survey as selectors
from households import services
from households.forms_survey import (
    SECTION_FORMS,
    IncomeForm,
    PersonForm,
    ServicesForm,
    initial_for,
)
from households.models import Survey
from households.services.survey_checks import SECTION_LABELS
from outreach.access import RECORD_READERS, WORKERS, serves

GET_POST = require_http_methods(["GET", "POST"])
STALE = "stale"


def _to_survey(entry) -> HttpResponse:
    return redirect("households:survey", pk=entry.pk)


@serves(*RECORD_READERS)
@GET_POST
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a household's survey: its sections, done or not, and the result so far; a POST
    starts the survey."""
    entry, survey, can = selectors.survey_entry(user=request.user, pk=pk)
    if request.method == "POST":
        if not can.edit:
            raise PermissionDenied
        try:
            services.survey_start(
                actor=request.user, entry=entry, client_id=request.POST.get("client_id") or None
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The survey was started."))
        return _to_survey(entry)
    context = {"entry": entry, "household": entry.household, "survey": survey, "can": can}
    if survey is not None:
        standard = selectors.survey_standard(entry=entry)
        people = selectors.survey_people(survey=survey)
        context.update(
            people=people,
            sections=[
                (name, SECTION_LABELS[name], name in survey.sections_done)
                for name in Survey.SECTIONS
            ],
            **selectors.survey_outcome(survey=survey, people=people, standard=standard),
        )
    return render(request, "households/survey/detail.html", context)


def _forms(request, entry, survey, section, people, data=None):
    """Build the section's form (and, for the members, one form per member)."""
    kwargs = {"initial": initial_for(survey, section)}
    if section == "services":
        standard = selectors.survey_standard(entry=entry)
        kwargs.update(
            uses_waste="waste" in standard.indicators,
            uses_information_means="information_means" in standard.indicators,
        )
    elif section == "income":
        kwargs["tables"] = selectors.income_tables(entry=entry)
    form = SECTION_FORMS[section](data, **kwargs)
    person_forms = [PersonForm(data, row=row) for row in people] if section == "members" else []
    return form, person_forms


def _attach(form, person_forms, error: ValidationError) -> None:
    """Put the service's errors on the fields they name (a member's as ``people.<pk>.<field>``)."""
    if not hasattr(error, "error_dict"):
        attach_error(form, error)
        return
    by_member = {str(person.row.member_id): person for person in person_forms}
    for key, errors in error.error_dict.items():
        parts = key.split(".")
        person = by_member.get(parts[1]) if len(parts) == 3 and parts[0] == "people" else None
        if person is not None:
            field = parts[2] if parts[2] in person.fields else None
            person.add_error(field, ValidationError(errors))
        else:
            attach_error(form, ValidationError({key: errors}))


def _data(form, person_forms) -> dict:
    data = form.service_data()
    if person_forms:
        data["people"] = [person.service_data() for person in person_forms]
    return data


@serves(*WORKERS)
@GET_POST
def survey_section(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    """Edit one section of a household's survey."""
    if section not in Survey.SECTIONS:
        raise Http404
    entry, survey, can = selectors.survey_entry(user=request.user, pk=pk)
    if survey is None:
        return _to_survey(entry)
    if not can.edit:
        messages.error(request, _("This survey can no longer change."))
        return _to_survey(entry)
    people = selectors.survey_people(survey=survey)
    form, person_forms = _forms(request, entry, survey, section, people, request.POST or None)
    stale = None
    if form.is_bound and all([form.is_valid(), *(p.is_valid() for p in person_forms)]):
        try:
            services.survey_save(
                actor=request.user,
                survey=survey,
                section=section,
                data=_data(form, person_forms),
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            if getattr(error, "code", None) == STALE:
                stale, form, person_forms = _stale(request, entry, section, error)
            else:
                _attach(form, person_forms, error)
        else:
            messages.success(
                request, _("Saved: %(section)s.") % {"section": SECTION_LABELS[section]}
            )
            return _to_survey(entry)
    return render(
        request,
        "households/survey/section.html",
        {
            "entry": entry,
            "household": entry.household,
            "survey": survey,
            "section": section,
            "section_label": SECTION_LABELS[section],
            "form": form,
            "person_forms": person_forms,
            "stale": stale,
            "by_table": isinstance(form, IncomeForm) and "income_table" in form.fields,
            "is_services": isinstance(form, ServicesForm),
        },
    )


def _stale(request, entry, section, error):
    """Rebuild the page after a stale save: the user's input kept, the saved values shown, and
    the version moved on so that saving again is a choice made having seen them."""
    _entry, survey, _can = selectors.survey_entry(user=request.user, pk=entry.pk)
    people = selectors.survey_people(survey=survey)
    data = request.POST.copy()
    data["version"] = str(survey.version)
    form, person_forms = _forms(request, entry, survey, section, people, data)
    form.is_valid()
    for person in person_forms:
        person.is_valid()
    stale = {
        "message": " ".join(error.messages),
        "saved": selectors.saved_values(survey=survey, section=section, people=people),
    }
    return stale, form, person_forms
