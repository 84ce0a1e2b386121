"""The page that says a family is in difficulty, and since when, or that it no longer is.

Office staff and commune cadres (``outreach.access.WORKERS``), for the households of their
communes; the form is here, beside the only page that uses it. The flag is a local judgement
used to choose gift recipients, not a legal status (POVERTY-REVIEW.md).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.fields import DayMonthYearInput, PlausibleDateField
from core.forms import FieldsHelper, attach_error
from households import selectors, services
from households.models import Household
from outreach.access import WORKERS, serves


class DifficultyForm(forms.Form):
    """Why the family is in difficulty, and since when."""

    reason = forms.CharField(
        label=gettext_lazy("Why the family is in difficulty"),
        max_length=Household._meta.get_field("difficulty_reason").max_length,
        help_text=gettext_lazy("An illness, a disaster, a death in the family…"),
    )
    since = PlausibleDateField(
        label=gettext_lazy("In difficulty since"), widget=DayMonthYearInput(), past=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FieldsHelper(self)


def _detail(household) -> HttpResponse:
    return redirect("households:household-detail", pk=household.pk)


@serves(*WORKERS)
@require_http_methods(["GET", "POST"])
def household_difficulty(request: HttpRequest, pk: int) -> HttpResponse:
    """Set, change or clear the household's in-difficulty flag (``clear`` in the POST clears;
    a refusal to clear is shown as a message above the form)."""
    household = selectors.household_get(user=request.user, pk=pk)
    initial = {
        "reason": household.difficulty_reason,
        "since": household.difficulty_since or timezone.localdate(),
    }
    form = DifficultyForm(initial=initial)
    if request.method == "POST" and "clear" in request.POST:
        try:
            services.household_difficulty_clear(actor=request.user, household=household)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The family is no longer recorded as in difficulty."))
            return _detail(household)
    elif request.method == "POST":
        form = DifficultyForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                services.household_difficulty_set(
                    actor=request.user, household=household, **form.cleaned_data
                )
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("The family is recorded as in difficulty."))
                return _detail(household)
    return render(
        request, "households/household_difficulty.html", {"form": form, "household": household}
    )
