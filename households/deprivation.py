"""The standard's rules applied to a survey's facts: which indicators a household is deprived
on, and why; and its income per person per month.

Pure functions over plain data (``Facts``, ``Person``), so that the survey service, the offline
sync and the tests call the same arithmetic; ``survey_facts`` reads a ``Survey`` row into them.
The cut-offs are the standard's ``params`` (``StandardIndicator.params``, shipped in
``households.standards_data``), never constants here. A fact not surveyed yet (an empty choice,
no members) makes no deprivation: the survey page shows the result so far.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from households.models.survey import (
    Frame,
    Roof,
    SchoolLevel,
    Toilet,
    Wall,
    Waste,
    Water,
    Work,
)
from households.poverty import Definition

# Levels of schooling from the least to the most, to compare with a standard's ``min_level``.
LEVEL_ORDER = [
    SchoolLevel.NONE,
    SchoolLevel.PRESCHOOL,
    SchoolLevel.PRIMARY,
    SchoolLevel.LOWER_SECONDARY,
    SchoolLevel.UPPER_SECONDARY,
    SchoolLevel.VOCATIONAL,
    SchoolLevel.UNIVERSITY,
]
MONTHS = 12


@dataclass(frozen=True)
class Person:
    """What the survey found about one member."""

    name: str
    birth_year: int
    attending_school: bool = False
    school_level: str = SchoolLevel.NONE
    health_insurance: bool = False
    work: str = Work.NOT_WORKING
    able_to_work: bool = True
    stunted: bool = False
    underweight: bool = False


@dataclass(frozen=True)
class Facts:
    """A household's surveyed facts; ``year`` is the year ages are counted in."""

    year: int
    people: tuple[Person, ...] = ()
    walls: str = ""
    frame: str = ""
    roof: str = ""
    floor_area_m2: int | None = None
    water: str = ""
    toilet: str = ""
    uses_telecom: bool | None = None
    information_means: tuple[str, ...] = ()
    waste: str = ""

    def age(self, person: Person) -> int:
        return self.year - person.birth_year


@dataclass(frozen=True)
class Deprivation:
    code: str
    reason: str

    def as_dict(self) -> dict:
        return {"code": self.code, "reason": self.reason}


@dataclass(frozen=True)
class Result:
    """What the arithmetic gives for a survey (``proposed`` only once it can be computed)."""

    deprivations: list[Deprivation] = field(default_factory=list)
    income_per_person_vnd: int | None = None
    income_points: int | None = None

    @property
    def deprived(self) -> list[str]:
        return [found.code for found in self.deprivations]

    @property
    def reasons(self) -> list[dict]:
        return [found.as_dict() for found in self.deprivations]


def _someone(facts: Facts, person: Person, what: str) -> str:
    return _("%(name)s, %(age)d years old, %(what)s") % {
        "name": person.name,
        "age": facts.age(person),
        "what": what,
    }


def _joined(parts: Iterable[str]) -> str:
    return "; ".join(parts)


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# --- One rule per indicator: the reason it is deprived on, or "" ----------------------------


def _employment(facts: Facts, params: dict) -> str:
    start, until = params.get("working_age_from", 15), params.get("working_age_until", 60)
    found = []
    for person in facts.people:
        if not (start <= facts.age(person) < until and person.able_to_work):
            continue
        if person.work == Work.UNEMPLOYED:
            found.append(_someone(facts, person, _("is unemployed")))
        elif person.work == Work.WAGE_NO_CONTRACT:
            found.append(_someone(facts, person, _("works for a wage without a contract")))
    return _joined(found)


def _dependents(facts: Facts, params: dict) -> str:
    if not facts.people:
        return ""
    child_under, elderly_from = params.get("child_under", 16), params.get("elderly_from", 60)
    dependants = sum(
        1
        for person in facts.people
        if facts.age(person) < child_under
        or facts.age(person) >= elderly_from
        or not person.able_to_work
    )
    members = len(facts.people)
    if dependants <= params.get("share_above", 0.5) * members:
        return ""
    return _("%(dependants)d of the %(members)d members are dependants") % {
        "dependants": dependants,
        "members": members,
    }


def _nutrition(facts: Facts, params: dict) -> str:
    found = []
    for person in facts.people:
        if facts.age(person) >= params.get("child_under", 16):
            continue
        if person.stunted and person.underweight:
            found.append(_someone(facts, person, _("is stunted and underweight")))
        elif person.stunted:
            found.append(_someone(facts, person, _("is stunted")))
        elif person.underweight:
            found.append(_someone(facts, person, _("is underweight")))
    return _joined(found)


def _health_insurance(facts: Facts, params: dict) -> str:
    return _joined(
        _someone(facts, person, _("has no health insurance"))
        for person in facts.people
        if facts.age(person) >= params.get("age_from", 6) and not person.health_insurance
    )


def _level_rank(level: str) -> int:
    try:
        return LEVEL_ORDER.index(level)
    except ValueError:
        return 0


def _adult_education(facts: Facts, params: dict) -> str:
    start, until = params.get("age_from", 16), params.get("age_until", 30)
    minimum = _level_rank(params.get("min_level", SchoolLevel.LOWER_SECONDARY))
    found = []
    for person in facts.people:
        if not start <= facts.age(person) <= until or person.attending_school:
            continue
        if _level_rank(person.school_level) < minimum:
            found.append(
                _someone(
                    facts,
                    person,
                    _("is not in school; highest level: %(level)s")
                    % {"level": _label(SchoolLevel, person.school_level).lower()},
                )
            )
    return _joined(found)


def _child_schooling(facts: Facts, params: dict) -> str:
    start, under = params.get("age_from", 3), params.get("age_under", 16)
    return _joined(
        _someone(facts, person, _("is not in school"))
        for person in facts.people
        if start <= facts.age(person) < under and not person.attending_school
    )


def _housing_quality(facts: Facts, params: dict) -> str:
    parts = [
        (_("walls"), facts.walls, params.get("durable_walls", []), Wall),
        (_("frame"), facts.frame, params.get("durable_frames", []), Frame),
        (_("roof"), facts.roof, params.get("durable_roofs", []), Roof),
    ]
    weak = [
        _("%(part)s: %(material)s") % {"part": part, "material": _label(choices, value)}
        for part, value, durable, choices in parts
        if value and value not in durable
    ]
    if len(weak) < params.get("non_durable_parts", 2):
        return ""
    return _("Not durable: %(parts)s") % {"parts": ", ".join(weak)}


def _housing_area(facts: Facts, params: dict) -> str:
    members = len(facts.people)
    if facts.floor_area_m2 is None or not members:
        return ""
    minimum = params.get("min_m2_per_person", 8)
    # Compared in whole numbers: 23 m² for 3 people is below 8 m² each, 24 m² is not.
    if facts.floor_area_m2 >= minimum * members:
        return ""
    return _("%(area)d m² for %(members)d people (%(each)s m² each)") % {
        "area": facts.floor_area_m2,
        "members": members,
        "each": f"{facts.floor_area_m2 / members:.1f}",
    }


def _water(facts: Facts, params: dict) -> str:
    if not facts.water or facts.water in params.get("clean", []):
        return ""
    return _("Domestic water: %(source)s") % {"source": _label(Water, facts.water)}


def _toilet(facts: Facts, params: dict) -> str:
    if not facts.toilet or facts.toilet in params.get("hygienic", []):
        return ""
    return _("Latrine: %(kind)s") % {"kind": _label(Toilet, facts.toilet)}


def _telecom(facts: Facts, params: dict) -> str:
    if facts.uses_telecom is not False:
        return ""
    return _("No member uses a telephone or the internet")


def _information_means(facts: Facts, params: dict) -> str:
    # Only once the services section is saved: before that, nothing is known.
    if facts.uses_telecom is None:
        return ""
    if set(facts.information_means) & set(params.get("means", [])):
        return ""
    return _("No television, radio, computer, telephone or village loudspeaker")


def _waste(facts: Facts, params: dict) -> str:
    if not facts.waste or facts.waste in params.get("treated", []):
        return ""
    return _("Household waste: %(how)s") % {"how": _label(Waste, facts.waste)}


RULES: dict[str, Callable[[Facts, dict], str]] = {
    "employment": _employment,
    "dependents": _dependents,
    "nutrition": _nutrition,
    "health_insurance": _health_insurance,
    "adult_education": _adult_education,
    "child_schooling": _child_schooling,
    "housing_quality": _housing_quality,
    "housing_area": _housing_area,
    "water": _water,
    "toilet": _toilet,
    "telecom": _telecom,
    "information_means": _information_means,
    "waste": _waste,
}


def deprivations(facts: Facts, standard: Definition) -> list[Deprivation]:
    """Return the indicators of ``standard`` that ``facts`` are deprived on, each with its reason
    (in the active language), in the standard's order; raise ``ValueError`` for an indicator
    that has no rule."""
    found = []
    for code, params in standard.indicators.items():
        rule = RULES.get(code)
        if rule is None:
            raise ValueError(f"No rule for the indicator {code!r}")
        reason = rule(facts, params or {})
        if reason:
            found.append(Deprivation(code=code, reason=reason))
    return found


def _whole_vnd(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} is a whole number of đồng")
    if value < 0:
        raise ValueError(f"{name} cannot be negative")
    return value


def income_by_sources(*, sources: Iterable[int], costs: int, members: int) -> int:
    """Return the income per person per month from a year's income by source: the sum less
    the costs (never below 0), shared by the members over 12 months, in whole đồng (rounded
    down)."""
    if isinstance(members, bool) or not isinstance(members, int) or members < 1:
        raise ValueError("A household has at least one member")
    total = sum(_whole_vnd(value, "An income") for value in sources)
    net = max(total - _whole_vnd(costs, "The costs"), 0)
    return net // (members * MONTHS)


def income_by_points(*, items: list[dict], bands: list[dict], chosen: Iterable[str]) -> tuple:
    """Return ``(points, income per person per month)`` on a B1 table: the points of the
    ``chosen`` items summed, and the income of the highest band whose ``min_points`` the score
    reaches (a score below every band gets the lowest band's). Raise ``ValueError`` for an item
    the table does not have, or a table without bands."""
    points_of = {item["code"]: int(item["points"]) for item in items}
    chosen = list(dict.fromkeys(chosen))
    unknown = [code for code in chosen if code not in points_of]
    if unknown:
        raise ValueError(f"Items not in the table: {', '.join(unknown)}")
    if not bands:
        raise ValueError("The table has no bands")
    points = sum(points_of[code] for code in chosen)
    ordered = sorted(bands, key=lambda band: band["min_points"])
    reached = [band for band in ordered if band["min_points"] <= points] or ordered[:1]
    return points, int(reached[-1]["income_vnd"])


INCOME_SOURCES = (
    "income_crops_vnd",
    "income_livestock_vnd",
    "income_forestry_vnd",
    "income_wages_vnd",
    "income_business_vnd",
    "income_allowances_vnd",
    "income_other_vnd",
)


def compute(facts: Facts, standard: Definition, *, income: dict | None) -> Result:
    """Return the deprivations of ``facts`` and, when the income is known, its income per person.

    ``income`` is ``{"sources": [...], "costs": n}`` or ``{"table": IncomeTable-like with items
    and bands, "chosen": [...]}``; None while the income section is not saved.
    """
    found = deprivations(facts, standard)
    if income is None or not facts.people:
        return Result(deprivations=found)
    if income.get("table") is not None:
        table = income["table"]
        points, per_person = income_by_points(
            items=table.items, bands=table.bands, chosen=income.get("chosen", [])
        )
        return Result(deprivations=found, income_per_person_vnd=per_person, income_points=points)
    per_person = income_by_sources(
        sources=income.get("sources", []), costs=income.get("costs", 0), members=len(facts.people)
    )
    return Result(deprivations=found, income_per_person_vnd=per_person)


# --- From a Survey row -------------------------------------------------------------------------


def survey_year(survey) -> int:
    """Return the year ages are counted in: the survey's date, else its campaign's year."""
    if survey.surveyed_on is not None:
        return survey.surveyed_on.year
    return survey.entry.campaign.year


def survey_facts(survey, people=None) -> Facts:
    """Read a ``Survey`` row (and its ``SurveyMember`` rows, or ``people`` given) into facts."""
    rows = people if people is not None else survey.people.select_related("member")
    return Facts(
        year=survey_year(survey),
        people=tuple(
            Person(
                name=row.member.full_name,
                birth_year=row.birth_year,
                attending_school=row.attending_school,
                school_level=row.school_level,
                health_insurance=row.health_insurance,
                work=row.work,
                able_to_work=row.able_to_work,
                stunted=row.stunted,
                underweight=row.underweight,
            )
            for row in rows
        ),
        walls=survey.walls,
        frame=survey.frame,
        roof=survey.roof,
        floor_area_m2=survey.floor_area_m2,
        water=survey.water,
        toilet=survey.toilet,
        uses_telecom=survey.uses_telecom,
        information_means=tuple(survey.information_means or ()),
        waste=survey.waste,
    )


def survey_income(survey) -> dict | None:
    """Return the income input of a ``Survey`` row for ``compute``, or None if not saved yet."""
    if "income" not in (survey.sections_done or []):
        return None
    if survey.income_table_id is not None:
        return {"table": survey.income_table, "chosen": list(survey.income_items or [])}
    return {
        "sources": [getattr(survey, name) for name in INCOME_SOURCES],
        "costs": survey.costs_vnd,
    }


def survey_result(survey, standard: Definition, people=None) -> Result:
    """Compute what the rules give for a ``Survey`` row so far (see ``compute``)."""
    return compute(survey_facts(survey, people), standard, income=survey_income(survey))
