"""The survey's checks of single facts, and what another person changed (``survey_save``).

Each check adds a translated reason under the field's name to ``errors`` and returns the value
to store; the service raises them all at once, so a refusal names every field that is wrong.
"""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import format_vnd
from households.models import IncomeTable, Survey, SurveyMember
from households.models.survey import SchoolLevel, Work

SECTION_LABELS = {
    "members": gettext_lazy("Members"),
    "housing": gettext_lazy("Housing"),
    "services": gettext_lazy("Water, sanitation and information"),
    "income": gettext_lazy("Income"),
}
# The fields each section takes (the keys of survey_save's ``data``).
FIELDS = {
    "members": ("surveyed_on", "area", "people"),
    "housing": ("walls", "frame", "roof", "floor_area_m2"),
    "services": ("water", "toilet", "uses_telecom", "information_means", "waste"),
    "income_vnd": (
        "income_crops_vnd",
        "income_livestock_vnd",
        "income_forestry_vnd",
        "income_wages_vnd",
        "income_business_vnd",
        "income_allowances_vnd",
        "income_other_vnd",
        "costs_vnd",
    ),
}
FIELDS["income"] = (*FIELDS["income_vnd"], "income_table", "income_items", "causes", "needs")
PERSON_FLAGS = (
    "attending_school",
    "health_insurance",
    "able_to_work",
    "stunted",
    "underweight",
)
PERSON_FIELDS = ("birth_year", "school_level", "work", *PERSON_FLAGS)
# The youngest age (in years, the survey's year less the birth year) at which a level of
# schooling can have been reached. Below it, the level is a typing mistake.
LEVEL_MIN_AGE = {
    SchoolLevel.PRIMARY: 5,
    SchoolLevel.LOWER_SECONDARY: 11,
    SchoolLevel.UPPER_SECONDARY: 14,
    SchoolLevel.VOCATIONAL: 15,
    SchoolLevel.UNIVERSITY: 15,
}
# Stunting and underweight are recorded by the health station for children under 16.
CHILD_UNDER = 16
EARLIEST_BIRTH_YEAR = 1900
MAX_VND = 10**15


def check_choice(value, choices, name: str, errors: dict) -> str:
    if value in (None, ""):
        errors[name] = _("Choose an answer.")
        return ""
    if value not in choices.values:
        errors[name] = _("%(value)s is not one of the choices.") % {"value": value}
        return ""
    return value


def check_choices(values, choices, name: str, errors: dict) -> list:
    if values in (None, ""):
        return []
    if not isinstance(values, list | tuple):
        errors[name] = _("Choose among the answers.")
        return []
    unknown = [value for value in values if value not in choices.values]
    if unknown:
        errors[name] = _("%(value)s is not one of the choices.") % {
            "value": ", ".join(map(str, unknown))
        }
        return []
    return list(dict.fromkeys(values))


def check_flag(value, name: str, errors: dict) -> bool | None:
    if not isinstance(value, bool):
        errors[name] = _("Answer yes or no.")
        return None
    return value


def check_vnd(value, name: str, errors: dict) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        errors[name] = _("Enter a whole number of đồng.")
        return 0
    if value < 0:
        errors[name] = _("An amount cannot be negative.")
        return 0
    if value > MAX_VND:
        errors[name] = _("This amount is not plausible.")
        return 0
    return value


def _check_birth_year(value, year: int, key: str, errors: dict) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[key] = _("Give the year of birth.")
        return None
    if value > year:
        errors[key] = _("The year of birth cannot be after the survey's year (%(year)d).") % {
            "year": year
        }
        return None
    if value < EARLIEST_BIRTH_YEAR:
        errors[key] = _("The year of birth cannot be before %(year)d.") % {
            "year": EARLIEST_BIRTH_YEAR
        }
        return None
    return value


def _check_level_for_age(level: str, age: int, key: str, errors: dict) -> None:
    youngest = LEVEL_MIN_AGE.get(level)
    if youngest is not None and age < youngest:
        errors[key] = _(
            "At %(age)d years old, nobody has reached %(level)s (from %(youngest)d years)."
        ) % {"age": age, "level": SchoolLevel(level).label.lower(), "youngest": youngest}


def person_errors(person: dict, *, year: int, prefix: str) -> tuple[dict, dict]:
    """Check one member's facts; return the values to store and the errors (keys ``prefix`` +
    field name)."""
    errors: dict = {}
    unknown = sorted(set(person) - {"member", *PERSON_FIELDS})
    if unknown:
        errors[f"{prefix}member"] = _("These fields are not part of this section: %(fields)s") % {
            "fields": ", ".join(unknown)
        }
    birth_year = _check_birth_year(person.get("birth_year"), year, f"{prefix}birth_year", errors)
    values = {
        "birth_year": birth_year,
        "school_level": check_choice(
            person.get("school_level", SchoolLevel.NONE),
            SchoolLevel,
            f"{prefix}school_level",
            errors,
        ),
        "work": check_choice(person.get("work", Work.NOT_WORKING), Work, f"{prefix}work", errors),
    }
    for flag in PERSON_FLAGS:
        default = flag == "able_to_work"
        values[flag] = check_flag(person.get(flag, default), f"{prefix}{flag}", errors)
    if birth_year is not None:
        age = year - birth_year
        if values["school_level"]:
            _check_level_for_age(values["school_level"], age, f"{prefix}school_level", errors)
        if age >= CHILD_UNDER:
            for flag in ("stunted", "underweight"):
                if values[flag]:
                    errors[f"{prefix}{flag}"] = _(
                        "Recorded for children under %(age)d years old only."
                    ) % {"age": CHILD_UNDER}
    return values, errors


# --- What another person changed ---------------------------------------------------------------


def shown(field, value) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if field.name.endswith("_vnd"):
        return format_vnd(value)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


COMPARED = (
    "surveyed_on",
    "area",
    *FIELDS["housing"],
    *FIELDS["services"],
    *FIELDS["income_vnd"],
    "income_table",
    "income_items",
    "causes",
    "needs",
)


def _people_differences(survey: Survey, people) -> list[str]:
    """Name the members' facts whose saved value differs from what the user sent."""
    if not isinstance(people, list):
        return []
    sent = {}
    for person in people:
        if isinstance(person, dict):
            member = person.get("member")
            sent[getattr(member, "pk", member)] = person
    found = []
    for row in survey.people.select_related("member"):
        person = sent.get(row.member_id)
        if person is None:
            continue
        fields = [
            f"{SurveyMember._meta.get_field(name).verbose_name}: "
            f"{shown(SurveyMember._meta.get_field(name), getattr(row, name))}"
            for name in PERSON_FIELDS
            if name in person and person[name] != getattr(row, name)
        ]
        if fields:
            found.append(f"{row.member.full_name} ({', '.join(fields)})")
    return found


def stale_changes(survey: Survey, *, based_on, data: dict) -> list[str]:
    """Return what was saved since version ``based_on``: each survey field as "field: before →
    now", the sections saved since, and the members' facts whose saved value differs from what
    the user sent in ``data`` (the members keep no versions of their own)."""
    before = (
        survey.history.filter(version=based_on).order_by("-history_date").first()
        if isinstance(based_on, int) and not isinstance(based_on, bool)
        else None
    )
    changes = []
    if before is not None:
        for name in COMPARED:
            field = Survey._meta.get_field(name)
            old, new = getattr(before, field.attname), getattr(survey, field.attname)
            if old == new:
                continue
            if field.is_relation:
                old = str(IncomeTable.objects.filter(pk=old).first() or "—")
                new = str(survey.income_table or "—")
                changes.append(f"{field.verbose_name}: {old} → {new}")
            else:
                changes.append(f"{field.verbose_name}: {shown(field, old)} → {shown(field, new)}")
        saved = (
            survey.history.filter(version__gt=based_on)
            .exclude(history_change_reason__isnull=True)
            .values_list("history_change_reason", flat=True)
        )
        sections = [name for name in Survey.SECTIONS if name in set(saved)]
        if sections:
            changes.insert(
                0,
                _("sections saved: %(sections)s")
                % {"sections": ", ".join(str(SECTION_LABELS[name]) for name in sections)},
            )
    differences = _people_differences(survey, data.get("people"))
    if differences:
        changes.append(_("members as saved: %(people)s") % {"people": "; ".join(differences)})
    return changes
