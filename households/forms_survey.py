"""Forms of the survey pages, one per section (and one compact block per member). They check
the input's shape only; ``households.services.survey`` checks the facts and saves.

Each section's form carries the survey's ``version`` in a hidden field: a save based on an
older version than the stored one is refused by the service (two cadres at once).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import DayMonthYearInput, PlausibleDateField, VndField
from core.forms import FieldsHelper
from households.models import IncomeTable, Survey, SurveyMember
from households.models.standard import Area
from households.models.survey import (
    Cause,
    Frame,
    InformationMeans,
    Need,
    Roof,
    SchoolLevel,
    Toilet,
    Wall,
    Waste,
    Water,
    Work,
)
from households.services.survey_checks import FIELDS, PERSON_FIELDS


def _blank(choices) -> list:
    return [("", "—"), *choices.choices]


class _SectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def _helper(self) -> None:
        self.helper = FieldsHelper(self)

    def service_data(self) -> dict:
        """Return the section's data as ``survey_save`` takes it."""
        return {name: self.cleaned_data[name] for name in self.service_fields}


class MembersForm(_SectionForm):
    service_fields = ("surveyed_on", "area")

    surveyed_on = PlausibleDateField(label=_("Surveyed on"), widget=DayMonthYearInput())
    area = forms.ChoiceField(label=_("Area"), choices=Area.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class PersonForm(forms.Form):
    """One member's facts, in a compact block (prefix ``p<member pk>``)."""

    birth_year = forms.IntegerField(
        label=_("Birth year"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    attending_school = forms.BooleanField(label=_("Attending school or training"), required=False)
    school_level = forms.ChoiceField(label=_("Highest level reached"), choices=SchoolLevel.choices)
    health_insurance = forms.BooleanField(label=_("Has health insurance"), required=False)
    work = forms.ChoiceField(label=_("Work"), choices=Work.choices)
    able_to_work = forms.BooleanField(label=_("Able to work"), required=False)
    stunted = forms.BooleanField(label=_("Stunted (child under 16)"), required=False)
    underweight = forms.BooleanField(label=_("Underweight (child under 16)"), required=False)

    def __init__(self, *args, row: SurveyMember, **kwargs):
        self.row = row
        kwargs.setdefault("prefix", f"p{row.member_id}")
        kwargs.setdefault("initial", {name: getattr(row, name) for name in PERSON_FIELDS})
        super().__init__(*args, **kwargs)
        self.helper = FieldsHelper(self)

    def service_data(self) -> dict:
        return {"member": self.row.member_id, **self.cleaned_data}


class HousingForm(_SectionForm):
    service_fields = FIELDS["housing"]

    walls = forms.ChoiceField(label=_("Walls"), choices=_blank(Wall))
    frame = forms.ChoiceField(label=_("Frame (columns)"), choices=_blank(Frame))
    roof = forms.ChoiceField(label=_("Roof"), choices=_blank(Roof))
    floor_area_m2 = forms.IntegerField(
        label=_("Floor area (m²)"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class ServicesForm(_SectionForm):
    service_fields = FIELDS["services"]

    water = forms.ChoiceField(label=_("Main source of domestic water"), choices=_blank(Water))
    toilet = forms.ChoiceField(label=_("Latrine"), choices=_blank(Toilet))
    uses_telecom = forms.TypedChoiceField(
        label=_("Does a member use a telephone or the internet?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    information_means = forms.MultipleChoiceField(
        label=_("Means of information the household has"),
        choices=InformationMeans.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    waste = forms.ChoiceField(label=_("Household waste"), choices=_blank(Waste), required=False)

    def __init__(self, *args, uses_waste: bool, uses_information_means: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # The standard decides which indicators exist; a question it does not use is not asked.
        if uses_waste:
            self.fields["waste"].required = True
        else:
            del self.fields["waste"]
        if not uses_information_means:
            del self.fields["information_means"]
        self._helper()

    def service_data(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.service_fields if name in self.fields
        }


class IncomeForm(_SectionForm):
    SOURCES, TABLE = "sources", "table"
    service_fields = FIELDS["income"]

    method = forms.ChoiceField(
        label=_("How the income is estimated"),
        choices=[
            (SOURCES, _("Income by source over 12 months")),
            (TABLE, _("Points on the B1 table")),
        ],
        widget=forms.RadioSelect,
        initial=SOURCES,
    )
    income_crops_vnd = VndField(label=_("Crops (₫ over 12 months)"), required=False)
    income_livestock_vnd = VndField(label=_("Livestock (₫)"), required=False)
    income_forestry_vnd = VndField(label=_("Forestry and fishing (₫)"), required=False)
    income_wages_vnd = VndField(label=_("Wages and salaries (₫)"), required=False)
    income_business_vnd = VndField(label=_("Trade and services (₫)"), required=False)
    income_allowances_vnd = VndField(
        label=_("Pensions, allowances and remittances (₫)"), required=False
    )
    income_other_vnd = VndField(label=_("Other income (₫)"), required=False)
    costs_vnd = VndField(label=_("Production costs (₫)"), required=False)
    income_table = forms.ModelChoiceField(
        label=_("B1 table"), queryset=IncomeTable.objects.none(), required=False
    )
    income_items = forms.MultipleChoiceField(
        label=_("What the household has (B1 characteristics)"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    causes = forms.MultipleChoiceField(
        label=_("Causes of poverty"),
        choices=Cause.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    needs = forms.MultipleChoiceField(
        label=_("Support needed"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, tables, **kwargs):
        super().__init__(*args, **kwargs)
        tables = list(tables)
        if tables:
            self.fields["income_table"].queryset = IncomeTable.objects.filter(
                pk__in=[table.pk for table in tables]
            )
            items = {}
            for table in tables:
                for item in table.items:
                    items.setdefault(item["code"], f"{item['label']} ({item['points']})")
            self.fields["income_items"].choices = list(items.items())
        else:
            for name in ("method", "income_table", "income_items"):
                del self.fields[name]
        self._helper()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("method") == self.TABLE and not cleaned.get("income_table"):
            self.add_error("income_table", _("Choose the B1 table."))
        return cleaned

    def service_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) or 0 for name in FIELDS["income_vnd"]}
        by_table = self.cleaned_data.get("method") == self.TABLE
        data["income_table"] = self.cleaned_data.get("income_table") if by_table else None
        data["income_items"] = list(self.cleaned_data.get("income_items") or []) if by_table else []
        data["causes"] = list(self.cleaned_data["causes"])
        data["needs"] = list(self.cleaned_data["needs"])
        return data


def initial_for(survey: Survey, section: str) -> dict:
    """Return a section form's initial values: what is saved, and the survey's version."""
    initial = {"version": survey.version}
    if section == "members":
        initial.update(surveyed_on=survey.surveyed_on, area=survey.area)
    elif section == "services":
        initial.update({name: getattr(survey, name) for name in FIELDS["services"]})
        if survey.uses_telecom is not None:
            initial["uses_telecom"] = "yes" if survey.uses_telecom else "no"
    elif section == "income":
        initial.update({name: getattr(survey, name) for name in FIELDS["income"]})
        initial["income_table"] = survey.income_table_id
        initial["method"] = IncomeForm.TABLE if survey.income_table_id else IncomeForm.SOURCES
    else:
        initial.update({name: getattr(survey, name) for name in FIELDS[section]})
    return initial


SECTION_FORMS = {
    "members": MembersForm,
    "housing": HousingForm,
    "services": ServicesForm,
    "income": IncomeForm,
}
