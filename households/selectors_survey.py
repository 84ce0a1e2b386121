"""Reads of the survey pages, cut to the user's scope (an entry outside it is 404)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from households import deprivation, poverty
from households.models import (
    CampaignHousehold,
    IncomeTable,
    Indicator,
    Member,
    Poverty,
    Survey,
    SurveyMember,
)
from households.services.survey_checks import FIELDS, PERSON_FIELDS, shown
from outreach.access import WORKERS, Allowed, may
from outreach.scope import scoped

State = CampaignHousehold.State


def survey_entry(*, user, pk: int) -> tuple[CampaignHousehold, Survey | None, Allowed]:
    """Return the household under review ``pk``, its survey (or None) and whether ``user`` may
    edit it: office staff and cadres of its commune, while the household is not yet agreed or
    decided and the campaign open."""
    entry = get_object_or_404(
        scoped(CampaignHousehold.objects.all(), user).select_related(
            "household__village", "campaign__standard", "campaign__commune"
        ),
        pk=pk,
    )
    survey = Survey.objects.filter(entry=entry).select_related("income_table", "surveyor").first()
    if survey is not None:
        survey.entry = entry
    open_ = not entry.campaign.closed and entry.state not in (State.AGREED, State.DECIDED)
    return entry, survey, Allowed(edit=open_ and may(user, *WORKERS))


def survey_people(*, survey: Survey) -> list[SurveyMember]:
    """Return the survey's members with their names, the head first."""
    people = list(survey.people.select_related("member").order_by("member_id"))
    people.sort(key=lambda row: row.member.relation != Member.Relation.HEAD)
    return people


def survey_standard(*, entry: CampaignHousehold) -> poverty.Definition:
    """Return the definition of the standard the entry's campaign applies."""
    return poverty.from_row(entry.campaign.standard)


def survey_outcome(*, survey: Survey, people: list[SurveyMember], standard) -> dict:
    """Return the result so far: deprivations with reasons, income per person, and the
    classification they give (provisional until the commune decision) once the income is
    known."""
    result = deprivation.survey_result(survey, standard, people)
    proposed = ""
    if result.income_per_person_vnd is not None:
        proposed = poverty.classify_with(
            standard,
            area=survey.area,
            income_vnd=result.income_per_person_vnd,
            deprived=result.deprived,
        )
    return {
        "result": result,
        "deprivations": [
            {"code": found.code, "label": _label(Indicator, found.code), "reason": found.reason}
            for found in result.deprivations
        ],
        "proposed": proposed,
        "proposed_label": _label(Poverty, proposed) if proposed else "",
    }


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def income_tables(*, entry: CampaignHousehold) -> QuerySet:
    """Return the B1 tables of the campaign's standard."""
    return IncomeTable.objects.filter(standard_id=entry.campaign.standard_id).order_by("name")


def saved_values(*, survey: Survey, section: str, people: list[SurveyMember]) -> list:
    """Return a section's saved values as (label, value) pairs, to show after a stale save."""
    rows = []
    if section == "members":
        for name in ("surveyed_on", "area"):
            field = Survey._meta.get_field(name)
            rows.append((field.verbose_name, shown(field, getattr(survey, name))))
        for row in people:
            facts = ", ".join(
                f"{SurveyMember._meta.get_field(name).verbose_name}: "
                f"{shown(SurveyMember._meta.get_field(name), getattr(row, name))}"
                for name in PERSON_FIELDS
            )
            rows.append((row.member.full_name, facts))
        return rows
    names = FIELDS[section]
    for name in names:
        field = Survey._meta.get_field(name)
        value = getattr(survey, name)
        rows.append(
            (field.verbose_name, str(value) if field.is_relation and value else shown(field, value))
        )
    return rows
