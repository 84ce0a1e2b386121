"""The survey at the door: started once per household under review, saved section by section.

Facts are checked field by field (a refusal names the field and leaves everything as it was);
a save based on an older version than the stored one is refused with what the other person
changed (two cadres at once never lose one's answers silently). Once the four sections are
saved, the standard's rules (``households.deprivation``) give the deprivations, the income per
person and the proposed classification, and the household is "surveyed".
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import actor_or_none, service
from households import deprivation, poverty
from households.models import CampaignHousehold, IncomeTable, Survey, SurveyMember
from households.models.standard import Area
from households.models.survey import (
    Cause,
    Frame,
    InformationMeans,
    Need,
    Roof,
    Toilet,
    Wall,
    Waste,
    Water,
)
from households.services.survey_checks import (
    FIELDS,
    check_choice,
    check_choices,
    check_flag,
    check_vnd,
    person_errors,
    stale_changes,
)
from outreach.scope import require_in_scope

State = CampaignHousehold.State
# A floor area above this is a typing mistake, not a house.
MAX_FLOOR_AREA_M2 = 2000


def _check_editable(entry: CampaignHousehold) -> None:
    """Refuse a survey of a household the village already agreed on or the commune decided,
    or of a closed campaign; a household sent back to survey (resurvey) can be surveyed."""
    if entry.campaign.closed:
        raise ValidationError(_("This review campaign is closed: its surveys cannot change."))
    if entry.state in (State.AGREED, State.DECIDED):
        raise ValidationError(
            _(
                "This household was already agreed at the village meeting or decided: its "
                "survey cannot change."
            )
        )


def _client_uuid(client_id) -> uuid.UUID | None:
    if client_id in (None, ""):
        return None
    try:
        return client_id if isinstance(client_id, uuid.UUID) else uuid.UUID(str(client_id))
    except ValueError as error:
        raise ValidationError({"client_id": _("This is not a valid client id.")}) from error


@service
def survey_start(*, actor, entry: CampaignHousehold, client_id=None) -> Survey:
    """Start the survey of a household under review, with a row per current member (their
    birth year copied); return the survey already started if there is one (a replay of the
    same ``client_id`` too)."""
    require_in_scope(actor, entry)
    entry = (
        CampaignHousehold.objects.select_for_update(of=("self",))
        .select_related("campaign", "household")
        .get(pk=entry.pk)
    )
    client_id = _client_uuid(client_id)
    if client_id is not None:
        replayed = Survey.objects.filter(client_id=client_id).first()
        if replayed is not None:
            if replayed.entry_id != entry.pk:
                raise ValidationError(
                    {"client_id": _("This client id belongs to another household's survey.")}
                )
            return replayed
    existing = Survey.objects.filter(entry=entry).first()
    if existing is not None:
        return existing
    _check_editable(entry)
    survey = Survey(entry=entry, client_id=client_id, surveyor=actor_or_none(actor))
    # Nothing surveyed yet: the yes/no of telephone use is unknown (None).
    survey.full_clean(exclude=["uses_telecom"])
    survey.save()
    SurveyMember.objects.bulk_create(
        SurveyMember(survey=survey, member=member, birth_year=member.birth_year)
        for member in entry.household.members.order_by("pk")
    )
    return survey


# --- Checking each section -------------------------------------------------------------------


def _unknown_keys(data: dict, section: str) -> None:
    unknown = sorted(set(data) - set(FIELDS[section]))
    if unknown:
        raise ValidationError(
            _("These fields are not part of this section: %(fields)s")
            % {"fields": ", ".join(unknown)}
        )


def _check_surveyed_on(value, campaign_year: int, errors: dict) -> datetime.date | None:
    if value in (None, ""):
        errors["surveyed_on"] = _("Give the date of the survey.")
        return None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        errors["surveyed_on"] = _("Give the date of the survey.")
        return None
    if value > timezone.localdate():
        errors["surveyed_on"] = _("The survey cannot be dated in the future.")
    elif value.year < campaign_year:
        errors["surveyed_on"] = _(
            "The survey cannot be dated before the campaign's year (%(year)d)."
        ) % {"year": campaign_year}
    return value


def _members(survey: Survey, data: dict) -> tuple[dict, list]:
    """Check the members section; return the survey's values and the people's rows to save."""
    errors: dict = {}
    campaign_year = survey.entry.campaign.year
    surveyed_on = _check_surveyed_on(data.get("surveyed_on"), campaign_year, errors)
    area = check_choice(data.get("area"), Area, "area", errors)
    year = surveyed_on.year if surveyed_on and "surveyed_on" not in errors else campaign_year
    household = survey.entry.household
    members = {member.pk: member for member in household.members.all()}
    existing = {row.member_id: row for row in survey.people.all()}
    rows = []
    people = data.get("people") or []
    if not isinstance(people, list):
        raise ValidationError({"people": _("List the members of the household.")})
    for person in people:
        member_pk = person.get("member") if isinstance(person, dict) else None
        if hasattr(member_pk, "pk"):
            member_pk = member_pk.pk
        if member_pk not in members:
            errors[f"people.{member_pk}.member"] = _(
                "This person is not a member of this household."
            )
            continue
        values, person_errs = person_errors(person, year=year, prefix=f"people.{member_pk}.")
        errors.update(person_errs)
        row = existing.get(member_pk) or SurveyMember(survey=survey, member=members[member_pk])
        rows.append((row, values))
    if not rows and not existing:
        errors["people"] = _("A survey needs at least one member of the household.")
    if errors:
        raise ValidationError(errors)
    return {"surveyed_on": surveyed_on, "area": area}, rows


def _housing(survey: Survey, data: dict) -> dict:
    errors: dict = {}
    values = {
        "walls": check_choice(data.get("walls"), Wall, "walls", errors),
        "frame": check_choice(data.get("frame"), Frame, "frame", errors),
        "roof": check_choice(data.get("roof"), Roof, "roof", errors),
    }
    area = data.get("floor_area_m2")
    if isinstance(area, bool) or not isinstance(area, int):
        errors["floor_area_m2"] = _("Give the floor area in whole square metres.")
    elif area <= 0:
        errors["floor_area_m2"] = _("The floor area must be more than 0 m².")
    elif area > MAX_FLOOR_AREA_M2:
        errors["floor_area_m2"] = _("A floor area over %(most)d m² is not plausible.") % {
            "most": MAX_FLOOR_AREA_M2
        }
    values["floor_area_m2"] = area
    if errors:
        raise ValidationError(errors)
    return values


def _services(survey: Survey, data: dict, standard: poverty.Definition) -> dict:
    errors: dict = {}
    waste = data.get("waste") or ""
    values = {
        "water": check_choice(data.get("water"), Water, "water", errors),
        "toilet": check_choice(data.get("toilet"), Toilet, "toilet", errors),
        "uses_telecom": check_flag(data.get("uses_telecom"), "uses_telecom", errors),
        "information_means": check_choices(
            data.get("information_means"), InformationMeans, "information_means", errors
        ),
        "waste": (
            check_choice(waste, Waste, "waste", errors)
            if waste or "waste" in standard.indicators
            else ""
        ),
    }
    if errors:
        raise ValidationError(errors)
    return values


def _income_table(survey: Survey, value, errors: dict) -> IncomeTable | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, IncomeTable) else value
    table = IncomeTable.objects.filter(pk=pk, standard_id=survey.entry.campaign.standard_id).first()
    if table is None:
        errors["income_table"] = _("This B1 table is not one of the campaign's standard.")
    return table


def _income(survey: Survey, data: dict) -> dict:
    errors: dict = {}
    values = {name: check_vnd(data.get(name, 0), name, errors) for name in FIELDS["income_vnd"]}
    table = _income_table(survey, data.get("income_table"), errors)
    items = data.get("income_items") or []
    if table is None:
        items = []
    else:
        codes = {item["code"] for item in table.items}
        if not isinstance(items, list) or any(code not in codes for code in items):
            errors["income_items"] = _("Choose characteristics from the table.")
    values.update(
        income_table=table,
        income_items=list(dict.fromkeys(items)) if isinstance(items, list) else [],
        causes=check_choices(data.get("causes"), Cause, "causes", errors),
        needs=check_choices(data.get("needs"), Need, "needs", errors),
    )
    if errors:
        raise ValidationError(errors)
    return values


# --- Saving -------------------------------------------------------------------------------------


def _definition(survey: Survey) -> poverty.Definition:
    return poverty.from_row(survey.entry.campaign.standard)


def _apply_result(survey: Survey, standard: poverty.Definition) -> list[str]:
    """Store what the rules give; once complete, move the household to "surveyed"."""
    result = deprivation.survey_result(survey, standard)
    survey.deprived = result.deprived
    survey.reasons = result.reasons
    survey.income_per_person_vnd = result.income_per_person_vnd
    survey.income_points = result.income_points
    changed = ["deprived", "reasons", "income_per_person_vnd", "income_points"]
    if not survey.complete or result.income_per_person_vnd is None:
        return changed
    survey.proposed = poverty.classify_with(
        standard,
        area=survey.area,
        income_vnd=result.income_per_person_vnd,
        deprived=result.deprived,
    )
    entry = survey.entry
    entry.state = State.SURVEYED
    entry.proposed = survey.proposed
    entry.resurvey = False
    entry.save(update_fields=["state", "proposed", "resurvey", "updated_at"])
    return [*changed, "proposed"]


def _check_version(survey: Survey, section: str, data: dict, version) -> None:
    if version == survey.version:
        return
    changes = stale_changes(survey, based_on=version, data=data)
    listed = "; ".join(changes) if changes else _("(no detail kept)")
    raise ValidationError(
        _(
            "Someone else saved this survey while you were editing it (version %(yours)s, now "
            "%(now)d); nothing of yours was saved. What they changed: %(changes)s. Check the "
            "saved values, then save again."
        )
        % {"yours": version, "now": survey.version, "changes": listed},
        code="stale",
    )


@service
def survey_save(*, actor, survey: Survey, section: str, data: dict, version: int) -> Survey:
    """Save one section of a survey after checking its facts; once all four are saved,
    compute the deprivations, the income per person and the proposed classification, and
    mark the household "surveyed" (a section saved again computes them again)."""
    require_in_scope(actor, survey)
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("entry__campaign__standard", "entry__household", "income_table")
        .get(pk=survey.pk)
    )
    _check_editable(survey.entry)
    if section not in Survey.SECTIONS:
        raise ValidationError({"section": _("There is no such section of the survey.")})
    _check_version(survey, section, data, version)
    _unknown_keys(data, section)
    standard = _definition(survey)
    rows = []
    if section == "members":
        values, rows = _members(survey, data)
    elif section == "housing":
        values = _housing(survey, data)
    elif section == "services":
        values = _services(survey, data, standard)
    else:
        values = _income(survey, data)
    for name, value in values.items():
        setattr(survey, name, value)
    for row, row_values in rows:
        for name, value in row_values.items():
            setattr(row, name, value)
        row.save()
    if section not in survey.sections_done:
        survey.sections_done = [
            name for name in Survey.SECTIONS if name in {*survey.sections_done, section}
        ]
    survey.version += 1
    survey.surveyor = actor_or_none(actor) or survey.surveyor
    # The yes/no of telephone use is unknown (None) until the services section is saved.
    unknown = ["uses_telecom"] if survey.uses_telecom is None else []
    survey.full_clean(exclude=["entry", "client_id", *unknown])
    _apply_result(survey, standard)
    # The history row names the section saved: a stale save lists the sections saved since.
    survey._change_reason = section
    survey.save()
    return survey
