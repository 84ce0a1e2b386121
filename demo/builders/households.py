"""Fictional households for the demo: planned as plain data, then written.

A household's plan depends only on its number, so ``--households 300`` and ``--households 500``
agree on the first 300, and a bigger run only adds the missing ones. Plans are written through the
households services (the rules users obey), or in bulk when there are many to write: the bulk path
writes the same rows and fills the derived columns (search text, policy family) as the services
would.

The reviews are those of before the review campaigns (2022 to 2025): each keeps the single status
a cadre chose then, with the classification migration 0009 reads from it ("policy family" and "in
difficulty" years are classified "none"). Reviews cannot be recorded through a service any more
(only a commune decision makes one), so both paths write them as rows, the way the migration left
the records of those years. The three facts follow from them: the classification of the latest
review; a policy family's member with their category of merit; the in-difficulty flag, with the
reason and date of the review that found the family in difficulty, while it still is.
"""

import dataclasses
import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction

from demo import data
from households.models import (
    Household,
    Member,
    PolicyCategory,
    PolicyRelation,
    Poverty,
    Review,
    Status,
)
from households.services import (
    household_create,
    household_difficulty_set,
    household_search_text,
    member_add,
)
from outreach.models import Commune, Village

# Household numbers from here on get no national ID, so that every generated number stays unique.
_MAX_ID_INDEX = 99_999
_DISADVANTAGED_HOUSING = {
    "poor": (("makeshift", 3), ("dilapidated", 2), ("semi_solid", 4), ("solid", 1)),
    "near_poor": (("makeshift", 1), ("semi_solid", 5), ("solid", 2)),
    "other": (("makeshift", 1), ("semi_solid", 4), ("solid", 5)),
}


@dataclass(frozen=True)
class MemberPlan:
    full_name: str
    sex: str
    birth_year: int
    relation: str
    ethnicity: str
    has_disability: bool = False
    disability_note: str = ""
    national_id: str = ""
    policy_category: str = ""
    policy_relation: str = ""


# How migration 0009 reads a status of before as a classification.
LEGACY_CLASSIFICATION = {Status.POLICY: Poverty.NONE, Status.DIFFICULTY: Poverty.NONE}
# A policy family's first review says who in it served; the category follows from it (the
# reasons of ("", "policy") in demo.data, in order): a martyr's child, a war invalid, a
# resistance member.
POLICY_BY_REASON = (
    (PolicyCategory.MARTYR, PolicyRelation.CHILD),
    (PolicyCategory.WAR_INVALID, PolicyRelation.SELF),
    (PolicyCategory.RESISTANCE, PolicyRelation.SELF),
)


def classification_of(status: str) -> str:
    """Return the classification a status of before stands for (as migration 0009 reads it)."""
    return LEGACY_CLASSIFICATION.get(status, status)


@dataclass
class HouseholdPlan:
    index: int
    village: str
    trajectory: str
    housing_condition: str
    notes: str = ""
    members: list[MemberPlan] = field(default_factory=list)
    # (day, status, reason), oldest first
    reviews: list[tuple[datetime.date, str, str]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return household_code(self.index)

    @property
    def head_name(self) -> str:
        return self.members[0].full_name

    @property
    def poverty(self) -> str:
        """The classification of the latest review (blank: never reviewed)."""
        return classification_of(self.reviews[-1][1]) if self.reviews else ""

    @property
    def policy_family(self) -> bool:
        return any(member.policy_category for member in self.members)

    @property
    def difficulty(self) -> tuple[datetime.date, str] | None:
        """Since when and why the family is in difficulty, if its latest review said so: the
        first review of the years it has been in difficulty since."""
        since = None
        for day, status, reason in reversed(self.reviews):
            if status != Status.DIFFICULTY:
                break
            since = (day, reason)
        return since

    @property
    def address(self) -> str:
        return (
            f"Thôn {self.village}, xã {data.COMMUNE}, huyện {data.DISTRICT}, tỉnh {data.PROVINCE}"
        )

    def status_on(self, day: datetime.date) -> str:
        """Return the status of before that its latest review on or before ``day`` chose."""
        status = ""
        for reviewed_on, decided, _reason in self.reviews:
            if reviewed_on <= day:
                status = decided
        return status


def household_code(index: int) -> str:
    return f"{data.HOUSEHOLD_CODE_PREFIX}{index:04d}"


def _weighted(rng: random.Random, pairs) -> str:
    names, weights = zip(*pairs, strict=True)
    return rng.choices(names, weights=weights)[0]


def trajectory_for(index: int) -> str:
    """Pick the status path of household ``index``: each block of 20 holds every path its quota."""
    block, slot = divmod(index - 1, data.TRAJECTORY_BLOCK)
    pattern = [name for name, (count, _path) in data.TRAJECTORIES.items() for _ in range(count)]
    random.Random(f"{data.SEED}:block:{block}").shuffle(pattern)
    return pattern[slot]


class _People:
    """Names, birth years and ID numbers for one household, from its own random stream."""

    def __init__(self, rng: random.Random, index: int, taken_ids: set[str]):
        self.rng = rng
        self.index = index
        self.taken_ids = taken_ids
        self.members: list[MemberPlan] = []

    def surname(self, ethnicity: str) -> str:
        return _weighted(self.rng, data.SURNAMES[ethnicity])

    def name(self, surname: str, ethnicity: str, sex: str, birth_year: int) -> str:
        rng = self.rng
        taken = {m.full_name.split()[-1] for m in self.members}
        for _attempt in range(10):  # no two people of a household share a given name
            if birth_year >= 2000 and rng.random() < 0.5:
                middle = rng.choice(data.YOUNG_MIDDLE_NAMES[sex])
                given = rng.choice(data.YOUNG_GIVEN_NAMES[sex])
            else:
                middle = rng.choice(data.MIDDLE_NAMES[(ethnicity, sex)])
                given = rng.choice(data.GIVEN_NAMES[sex])
            if given not in taken:
                break
        return f"{surname} {middle} {given}"

    def national_id(self, sex: str, birth_year: int) -> str:
        # 12 digits as on a citizen ID card: place (000: none, so fictional), century and sex,
        # year of birth, then a serial made unique by the household and the member's position.
        if self.index > _MAX_ID_INDEX or birth_year > 2012 or self.rng.random() > 0.75:
            return ""
        century_sex = (0 if birth_year < 2000 else 2) + (1 if sex == "female" else 0)
        serial = self.index * 10 + len(self.members)
        number = f"000{century_sex}{birth_year % 100:02d}{serial:06d}"
        return "" if number in self.taken_ids else number

    def add(self, surname, ethnicity, sex, birth_year, relation, *, disability="", name=""):
        if not disability and not name and self.rng.random() < 0.03:
            disability = self.rng.choice(data.DISABILITY_NOTES)
        member = MemberPlan(
            full_name=name or self.name(surname, ethnicity, sex, birth_year),
            sex=sex,
            birth_year=birth_year,
            relation=relation,
            ethnicity=ethnicity,
            has_disability=bool(disability),
            disability_note=disability,
            national_id=self.national_id(sex, birth_year),
        )
        self.members.append(member)
        return member


def _other(sex: str) -> str:
    return "female" if sex == "male" else "male"


def _family(people: _People, ethnicity: str, trajectory: str, this_year: int) -> None:
    """Make the head first, then spouse, parents, children and grandchildren (1 to 7 people)."""
    rng = people.rng
    elderly = trajectory == "difficulty"
    if elderly:
        head_sex = "female" if rng.random() < 0.5 else "male"
        head_year = rng.randint(1938, 1958)
    else:
        head_sex = "female" if rng.random() < 0.15 else "male"
        head_year = rng.randint(1945, 1975) if trajectory == "policy" else rng.randint(1955, 1998)
    surname = people.surname(ethnicity)
    disability = ""
    if trajectory == "policy" and head_sex == "male" and head_year <= 1968 and rng.random() < 0.4:
        disability = data.WAR_INVALID_NOTE
    people.add(surname, ethnicity, head_sex, head_year, "head", disability=disability)

    married = rng.random() < (0.35 if elderly else 0.9 if head_sex == "male" else 0.2)
    family_surname = surname
    if married:
        spouse_ethnicity = ethnicity if rng.random() < 0.9 else rng.choice(data.ETHNICITIES)
        spouse_sex = _other(head_sex)
        offset = rng.randint(-1, 6) if head_sex == "male" else -rng.randint(0, 6)
        spouse = people.add(
            people.surname(spouse_ethnicity),
            spouse_ethnicity,
            spouse_sex,
            min(head_year + offset, this_year - 18),
            "spouse",
        )
        if spouse_sex == "male":
            family_surname = spouse.full_name.split()[0]
    elif head_sex == "female":
        family_surname = people.surname(ethnicity)  # the children's late or absent father's

    if elderly:
        if rng.random() < 0.4:
            born = rng.randint(2008, 2016)
            sex = rng.choice(("male", "female"))
            people.add(family_surname, ethnicity, sex, born, "grandchild")
        return

    if head_year >= 1972:
        if rng.random() < 0.45:
            father_year = max(1930, head_year - rng.randint(22, 32))
            if rng.random() < 0.6:
                people.add(surname, ethnicity, "male", father_year, "parent")
            mother_ethnicity = ethnicity if rng.random() < 0.9 else rng.choice(data.ETHNICITIES)
            people.add(
                people.surname(mother_ethnicity),
                mother_ethnicity,
                "female",
                min(father_year + rng.randint(0, 5), head_year - 18),
                "parent",
            )
        children = rng.choice((0, 1, 1, 2, 2, 2, 3, 3, 4))
        first, last = head_year + 19, min(this_year - 1, head_year + 45)
        for born in sorted(rng.randint(first, last) for _ in range(children) if first <= last):
            people.add(family_surname, ethnicity, rng.choice(("male", "female")), born, "child")
    else:
        born_years = sorted(
            min(rng.randint(head_year + 20, head_year + 38), 2006)
            for _ in range(rng.choice((0, 1, 1, 2)))
        )
        children = [
            people.add(family_surname, ethnicity, rng.choice(("male", "female")), born, "child")
            for born in born_years
        ]
        # A married son often lives with his parents, with his wife and children.
        son = next((c for c in children if c.sex == "male" and c.birth_year <= 2000), None)
        if son and rng.random() < 0.5:
            people.add(people.surname(ethnicity), ethnicity, "female", son.birth_year + 2, "other")
            last = min(this_year - 1, son.birth_year + 34)
            for grand_year in sorted(
                rng.randint(son.birth_year + 20, last) for _ in range(rng.randint(1, 2))
            ):
                sex = rng.choice(("male", "female"))
                people.add(son.full_name.split()[0], ethnicity, sex, grand_year, "grandchild")
    del people.members[7:]


def _reviews(rng, trajectory: str, head: MemberPlan, today: datetime.date):
    """Turn a status path into review rows: a baseline, then each year the household is followed."""
    path = data.TRAJECTORIES[trajectory][1]
    reviews, previous = [], ""
    for day, status in zip(data.REVIEW_DAYS, path, strict=True):
        if day > today or day > data.LAST_STATUS_REVIEW:
            break
        if previous == "none" and status == "none":
            continue  # households outside every list are not reviewed again
        options = data.REASONS.get((previous, status)) or data.REASONS[("", status)]
        if status == "policy" and not previous:
            war_invalid = head.disability_note == data.WAR_INVALID_NOTE
            options = [options[1]] if war_invalid else [options[0], options[2]]
        reviews.append((day, status, rng.choice(options)))
        previous = status
    return reviews


def household_plan(
    index: int, *, today: datetime.date, taken_ids: set[str] | None = None
) -> HouseholdPlan:
    """Plan household number ``index``: always the same people for the same number."""
    rng = random.Random(f"{data.SEED}:household:{index}")
    people = _People(rng, index, taken_ids or set())
    if index == data.GRANT_HOUSEHOLD_INDEX:
        fixed = data.GRANT_HOUSEHOLD
        for name, sex, year, relation, disabled, note in fixed["members"]:
            disability = (note or "Khuyết tật") if disabled else ""
            people.add(
                name.split()[0], "tay", sex, year, relation, disability=disability, name=name
            )
        plan = HouseholdPlan(
            index=index,
            village=fixed["village"],
            trajectory="stays_poor",
            housing_condition=fixed["housing_condition"],
            notes=fixed["notes"],
            members=people.members,
        )
    else:
        trajectory = trajectory_for(index)
        village = _weighted(rng, ((name, weight) for name, _inv, weight, _mix in data.VILLAGES))
        mix = next(m for name, _inv, _w, m in data.VILLAGES if name == village)
        ethnicity = _weighted(rng, zip(data.ETHNICITIES, mix, strict=True))
        _family(people, ethnicity, trajectory, today.year)
        first_status = data.TRAJECTORIES[trajectory][1][0]
        housing = _DISADVANTAGED_HOUSING.get(first_status, _DISADVANTAGED_HOUSING["other"])
        plan = HouseholdPlan(
            index=index,
            village=village,
            trajectory=trajectory,
            housing_condition=_weighted(rng, housing),
            notes=data.HOUSEHOLD_NOTES.get(trajectory, ""),
            members=people.members,
        )
    plan.reviews = _reviews(rng, plan.trajectory, plan.members[0], today)
    _policy(plan)
    return plan


def _policy(plan: HouseholdPlan) -> None:
    """Record the category of merit of a policy family's head, as its first review told it."""
    said = next((reason for _day, status, reason in plan.reviews if status == Status.POLICY), None)
    if said is None:
        return
    reasons = data.REASONS[("", Status.POLICY)]
    category, relation = POLICY_BY_REASON[reasons.index(said) if said in reasons else 2]
    plan.members[0] = dataclasses.replace(
        plan.members[0], policy_category=category, policy_relation=relation
    )


def _review_rows(plan: HouseholdPlan, *, household_id: int, reviewer) -> list[Review]:
    rows, previous = [], ""
    for day, status, reason in plan.reviews:
        rows.append(
            Review(
                household_id=household_id,
                reviewer=reviewer,
                reviewed_on=day,
                status=status,
                previous_status=previous,
                classification=classification_of(status),
                previous_classification=classification_of(previous),
                reason=reason,
            )
        )
        previous = status
    return rows


def _member_fields(member: MemberPlan) -> dict:
    return {
        "full_name": member.full_name,
        "sex": member.sex,
        "birth_year": member.birth_year,
        "relation": member.relation,
        "ethnicity": member.ethnicity,
        "has_disability": member.has_disability,
        "disability_note": member.disability_note,
        "national_id": member.national_id,
        "policy_category": member.policy_category,
        "policy_relation": member.policy_relation,
    }


def write_with_services(plans, *, actor, reviewer, villages: dict[str, Village]) -> dict[str, int]:
    """Create each planned household, its members and its reviews through the services."""
    for plan in plans:
        household = household_create(
            actor=actor,
            village=villages[plan.village],
            code=plan.code,
            head_name=plan.head_name,
            address=plan.address,
            housing_condition=plan.housing_condition,
            notes=plan.notes,
        )
        for member in plan.members:
            member_add(actor=actor, household=household, **_member_fields(member))
        _write_reviews(plan, household, reviewer=reviewer)
        if plan.difficulty:
            since, reason = plan.difficulty
            household_difficulty_set(
                actor=reviewer, household=household, reason=reason, since=since
            )
    return _counts(plans)


@transaction.atomic
def _write_reviews(plan: HouseholdPlan, household: Household, *, reviewer) -> None:
    """Write the reviews of before the campaigns and the classification the latest one gave."""
    Review.objects.bulk_create(_review_rows(plan, household_id=household.pk, reviewer=reviewer))
    if plan.reviews:
        household = Household.objects.select_for_update().get(pk=household.pk)
        household.poverty = plan.poverty
        household.last_reviewed_on = plan.reviews[-1][0]
        household.save(update_fields=["poverty", "last_reviewed_on", "updated_at"])


@transaction.atomic
def write_in_bulk(
    plans, *, actor, reviewer, commune: Commune, villages: dict[str, Village]
) -> dict[str, int]:
    """Create many planned households at once, filling what the services would derive."""
    households = []
    for plan in plans:
        household = Household(
            commune=commune,
            village=villages[plan.village],
            code=plan.code,
            head_name=plan.head_name,
            address=plan.address,
            housing_condition=plan.housing_condition,
            notes=plan.notes,
            created_by=actor,
        )
        if plan.reviews:
            household.last_reviewed_on = plan.reviews[-1][0]
            household.poverty = plan.poverty
        # bulk_create sends no signals, so the derived columns are filled here.
        household.policy_family = plan.policy_family
        if plan.difficulty:
            household.in_difficulty = True
            household.difficulty_since, household.difficulty_reason = plan.difficulty
        household.search_text = household_search_text(
            household, [m.full_name for m in plan.members]
        )
        households.append(household)
    Household.objects.bulk_create(households, batch_size=1000)
    ids = dict(
        Household.objects.filter(commune=commune, code__in=[p.code for p in plans]).values_list(
            "code", "pk"
        )
    )
    members, reviews = [], []
    for plan in plans:
        household_id = ids[plan.code]
        members += [Member(household_id=household_id, **_member_fields(m)) for m in plan.members]
        reviews += _review_rows(plan, household_id=household_id, reviewer=reviewer)
    Member.objects.bulk_create(members, batch_size=2000)
    Review.objects.bulk_create(reviews, batch_size=2000)
    return _counts(plans)


def _counts(plans) -> dict[str, int]:
    return {
        "households": len(plans),
        "members": sum(len(p.members) for p in plans),
        "reviews": sum(len(p.reviews) for p in plans),
    }
