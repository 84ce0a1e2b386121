"""The demo's review campaigns, run through the campaign and survey services step by step:
Linh Phú's 2025 periodic review to its commune decision, and the 2026 review under way.

Each household's surveyed facts are drawn so that the standard's arithmetic finds the
classification of its story; a mismatch stops the demo (the demo must show what the law gives).
Steps dated after the seeder's ``today`` are left for later, as they would be in the commune.
"""

import datetime

from demo import data
from demo.builders import households as builders
from demo.data import reviews as plan
from households.models import CampaignHousehold, Decision, Poverty, ReviewCampaign, Survey
from households.services import (
    campaign_open,
    decision_record,
    meeting_record,
    posting_record,
    survey_save,
    survey_start,
)

LEGACY_AS_CLASSIFICATION = {"policy": Poverty.NONE, "difficulty": Poverty.NONE}


def _index(code: str) -> int:
    return int(code.removeprefix(data.HOUSEHOLD_CODE_PREFIX))


def target_2025(code: str) -> str:
    """The classification the 2025 review finds for a household: its story's 2025 step."""
    step = data.TRAJECTORIES[builders.trajectory_for(_index(code))][1][4]
    if _index(code) == data.GRANT_HOUSEHOLD_INDEX:
        step = "poor"
    return LEGACY_AS_CLASSIFICATION.get(step, step)


def target_2026(code: str, now: str) -> str:
    """The classification the 2026 survey proposes: the poor stay poor; every other near-poor
    household has left near-poverty."""
    if now == Poverty.NEAR_POOR and _index(code) % 2:
        return Poverty.NONE
    return now


def _school_level(age: int) -> str:
    if age < 6:
        return "preschool" if age >= 3 else "none"
    if age <= 10:
        return "primary"
    if age <= 14:
        return "lower_secondary"
    if age <= 45:
        return "upper_secondary"
    return "primary"


def _people(survey: Survey, year: int) -> list[dict]:
    people = []
    for person in survey.people.select_related("member").order_by("member_id"):
        age = year - person.birth_year
        able = not person.member.has_disability and 15 <= age < 70
        people.append(
            {
                "member": person.member_id,
                "birth_year": person.birth_year,
                "attending_school": 3 <= age <= 17,
                "school_level": _school_level(age),
                "health_insurance": True,
                "work": "own_account" if able and 15 <= age <= 60 else "not_working",
                "able_to_work": able,
                "stunted": False,
                "underweight": False,
            }
        )
    return people


def survey_facts(survey: Survey, target: str, day: datetime.date) -> dict[str, dict]:
    """Facts, section by section, that give ``target`` under the 2022–2025 standard."""
    size = max(survey.people.count(), 1)
    poor = target == Poverty.POOR
    near_poor = target == Poverty.NEAR_POOR
    monthly = plan.INCOME_PER_PERSON[target] * size * 12
    return {
        "members": {"surveyed_on": day, "area": "rural", "people": _people(survey, day.year)},
        "housing": {
            "walls": "bamboo" if poor else "concrete_brick",
            "frame": "bamboo" if poor else "hardwood",
            "roof": "leaves" if poor else "metal",
            "floor_area_m2": (6 if poor else 16) * size,
        },
        "services": {
            "water": "unprotected_spring" if poor else "protected_spring",
            "toilet": "pit" if poor or near_poor else "pour_flush",
            "uses_telecom": True,
            "information_means": ["telephone", "loudspeaker"],
            "waste": "sorted_treated",
        },
        "income": {
            "income_crops_vnd": monthly * 6 // 10,
            "income_livestock_vnd": monthly - monthly * 6 // 10,
            "causes": ["land", "capital"] if poor or near_poor else [],
            "needs": ["credit", "livelihood", "housing"] if poor else [],
        },
    }


class ReviewSteps:
    """Run the demo's 2025 and 2026 review campaigns as far as ``today`` allows."""

    def review_campaigns(self) -> None:
        if self.today >= plan.CAMPAIGN_2025["opened_on"]:
            self._campaign(
                plan.CAMPAIGN_2025, target=lambda entry: target_2025(entry.household.code)
            )
        if self.today >= plan.CAMPAIGN_2026["opened_on"]:
            self._campaign(
                plan.CAMPAIGN_2026,
                target=lambda entry: target_2026(entry.household.code, entry.household.poverty),
            )

    def _campaign(self, spec: dict, *, target) -> None:
        campaign = ReviewCampaign.objects.filter(
            commune=self.commune, year=spec["year"], kind=ReviewCampaign.Kind.PERIODIC
        ).first()
        if campaign is None:
            campaign = campaign_open(
                actor=self.cadre,
                commune=self.commune,
                year=spec["year"],
                opened_on=spec["opened_on"],
            )
            self.created["review campaigns"] += 1
        if campaign.closed:
            return
        entries = list(
            campaign.entries.select_related("household", "village").order_by("household__code")
        )
        self._surveys(campaign, entries, spec["surveyed_from"], target)
        meetings = spec.get("meetings") or self._meeting_days(entries, spec["meetings_from"])
        for village_name, day in meetings:
            self._meeting(campaign, village_name, day)
        posting = spec.get("posting")
        if posting and self.today >= posting[1] and not campaign.postings.exists():
            start, end = posting
            posting_record(
                actor=self.cadre,
                campaign=campaign,
                posted_from=start,
                posted_until=end,
                place="Nhà văn hóa các thôn và trụ sở Ủy ban nhân dân xã",
            )
        decision = spec.get("decision")
        if (
            decision
            and self.today >= decision["signed_on"]
            and not Decision.objects.filter(campaign=campaign).exists()
        ):
            decision_record(actor=self.cadre, campaign=campaign, **decision)
            self.created["commune decisions"] += 1

    def _meeting_days(self, entries, first_day: datetime.date):
        villages = sorted({entry.village.name for entry in entries})
        return [(name, first_day + datetime.timedelta(days=i)) for i, name in enumerate(villages)]

    def _surveys(self, campaign, entries, first_day: datetime.date, target) -> None:
        for number, entry in enumerate(entries):
            day = first_day + datetime.timedelta(days=number % 40)
            if day > self.today or entry.state != CampaignHousehold.State.LISTED:
                continue
            wanted = target(entry)
            survey = survey_start(actor=self.cadre, entry=entry)
            for section, facts in survey_facts(survey, wanted, day).items():
                survey = survey_save(
                    actor=self.cadre,
                    survey=survey,
                    section=section,
                    data=facts,
                    version=survey.version,
                )
            if survey.proposed != wanted:
                raise RuntimeError(
                    f"The demo survey of {entry.household.code} gives {survey.proposed}, "
                    f"not {wanted}: its facts need redrawing."
                )
            self.created["surveys"] += 1

    def _meeting(self, campaign, village_name: str, day: datetime.date) -> None:
        village = self.villages[village_name]
        if day > self.today or campaign.meetings.filter(village=village).exists():
            return
        surveyed = list(
            campaign.entries.filter(village=village, state=CampaignHousehold.State.SURVEYED)
        )
        if not surveyed:
            return
        present = 24 + len(surveyed) % 17
        chair, supervisor = plan.MEETING_CHAIRS.get(village_name, plan.DEFAULT_CHAIR)
        meeting_record(
            actor=self.cadre,
            campaign=campaign,
            village=village,
            held_on=day,
            chair=chair,
            supervisor=supervisor,
            secretary="Cán bộ Lao động – Thương binh và Xã hội xã",
            present=present,
            votes={entry.pk: present - 1 - entry.pk % 3 for entry in surveyed},
        )
        self.created["village meetings"] += 1
