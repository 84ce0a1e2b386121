"""Forms of the household pages. They check input only; the services decide and save."""

from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import DayMonthYearInput, PlausibleDateField
from core.forms import FieldsHelper
from core.templatetags.people import display_name
from households.models import Concern, Household, Member
from households.selectors import concern_handlers, village_choices
from households.services import HOUSEHOLD_EDITABLE, MEMBER_EDITABLE


class _Crispy:
    """A crispy helper that draws the fields only: the page writes the <form> and buttons."""

    layout_fields: tuple[str, ...] = ()

    def _helper(self) -> None:
        self.helper = FieldsHelper(self)
        if self.layout_fields:
            self.helper.layout = Layout(*self.layout_fields)


class _ServiceFields:
    """A model form whose ``layout_fields`` are the fields its service takes."""

    def service_fields(self) -> dict:
        """Return the cleaned values to give the service."""
        return {name: self.cleaned_data[name] for name in self.layout_fields}

    def changed_service_fields(self) -> dict:
        """Return the cleaned values the user changed (an edit sends only those)."""
        changed = set(self.changed_data)
        return {name: value for name, value in self.service_fields().items() if name in changed}


class HouseholdForm(_ServiceFields, _Crispy, forms.ModelForm):
    """A household's own fields; the village among those of the user's communes."""

    layout_fields = HOUSEHOLD_EDITABLE
    not_a_duplicate = forms.BooleanField(
        label=_("This is a different household: save it anyway"), required=False
    )

    class Meta:
        model = Household
        fields = HOUSEHOLD_EDITABLE
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "address": forms.TextInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = village_choices(
            user=user, keep_pk=self.instance.village_id if self.instance.pk else None
        )
        self.fields["village"].label_from_instance = lambda village: (
            f"{village.name} ({village.commune.name})"
        )
        self._helper()

    def _post_clean(self):
        # The service validates the household (with its commune) when it saves.
        pass


class MemberForm(_ServiceFields, _Crispy, forms.ModelForm):
    """A person of the household."""

    layout_fields = MEMBER_EDITABLE

    class Meta:
        model = Member
        fields = MEMBER_EDITABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def clean(self):
        cleaned = super().clean()
        # Both or neither (the model's constraint says so too): the error goes on the one left
        # blank.
        category, relation = cleaned.get("policy_category"), cleaned.get("policy_relation")
        if bool(category) != bool(relation):
            self.add_error(
                "policy_relation" if category else "policy_category",
                _(
                    "Give both the category of meritorious service and the relation to the "
                    "person of merit, or neither."
                ),
            )
        return cleaned

    def _post_clean(self):
        # The service validates the member (constraints included) when it saves.
        pass


class FlagForm(_Crispy, forms.Form):
    """Why the household should be reviewed before its yearly review."""

    reason = forms.CharField(
        label=_("Why a review is asked for"),
        max_length=Household._meta.get_field("flag_reason").max_length,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class _HandledBy:
    def _handlers(self, household: Household) -> None:
        field = self.fields["handled_by"]
        field.queryset = concern_handlers(household=household)
        field.label_from_instance = display_name


class ConcernForm(_HandledBy, _Crispy, forms.Form):
    """What the family said, when, and who follows it up."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Concern.Kind.choices)
    raised_on = PlausibleDateField(label=_("Raised on"), widget=DayMonthYearInput())
    text = forms.CharField(
        label=_("What the family said"), widget=forms.Textarea(attrs={"rows": 4})
    )
    handled_by = forms.ModelChoiceField(
        label=_("Handled by"), queryset=Concern.objects.none(), required=False
    )

    def __init__(self, *args, household: Household, **kwargs):
        kwargs.setdefault("initial", {"raised_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self._handlers(household)
        self._helper()


class ConcernFollowUpForm(_HandledBy, _Crispy, forms.Form):
    """Where a concern stands; resolving it needs the resolution."""

    status = forms.ChoiceField(label=_("Status"), choices=Concern.Status.choices)
    handled_by = forms.ModelChoiceField(
        label=_("Handled by"), queryset=Concern.objects.none(), required=False
    )
    resolution = forms.CharField(
        label=_("Follow-up"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    resolved_on = PlausibleDateField(
        label=_("Resolved on"),
        widget=DayMonthYearInput(),
        required=False,
        help_text=_("Today if left empty."),
    )

    def __init__(self, *args, concern: Concern, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "status": concern.status,
                "handled_by": concern.handled_by_id,
                "resolution": concern.resolution,
                "resolved_on": concern.resolved_on,
            },
        )
        super().__init__(*args, **kwargs)
        self._handlers(concern.household)
        self._helper()


class ConcernReopenForm(_Crispy, forms.Form):
    """Reopen a resolved concern: the only change it allows."""

    status = forms.ChoiceField(
        label=_("Reopen as"),
        choices=[
            (Concern.Status.OPEN, Concern.Status.OPEN.label),
            (Concern.Status.IN_PROGRESS, Concern.Status.IN_PROGRESS.label),
        ],
    )

    def __init__(self, *args, concern: Concern, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()
