"""The fictional households, their members and their yearly reviews (built by
``demo.builders.households``), and which of them a distribution of a given day was for."""

import datetime

from django.db.models import OuterRef, Q, Subquery

from demo import data
from demo.builders import households as builders
from households.models import Household, Member, Poverty, Review, Status


class HouseholdSteps:
    """Write the missing households; answer which households a distribution of a day chose."""

    def household_rows(self) -> None:
        existing = set(
            Household.objects.filter(
                commune_id__in=self.household_communes, code__startswith=data.HOUSEHOLD_CODE_PREFIX
            ).values_list("code", flat=True)
        )
        missing = [
            index
            for index in range(1, self.households + 1)
            if builders.household_code(index) not in existing
        ]
        if not missing:
            return
        taken_ids = set(
            Member.objects.filter(national_id__startswith="000").values_list(
                "national_id", flat=True
            )
        )
        plans = [builders.household_plan(i, today=self.today, taken_ids=taken_ids) for i in missing]
        commune, villages = self.commune, self.villages
        if self.partnership.commune_id == self.new_commune.pk:
            # A later run, after the reform: households added now live on the new map.
            commune, villages = self.new_commune, self.new_villages()
        if len(plans) > self.bulk_threshold:
            counts = builders.write_in_bulk(
                plans,
                actor=self.staff,
                reviewer=self.cadre,
                commune=commune,
                villages=villages,
            )
        else:
            counts = builders.write_with_services(
                plans, actor=self.staff, reviewer=self.cadre, villages=villages
            )
        self.created.update(counts)

    def _households_chosen(self, day: datetime.date, *, poor=False, **filters):
        """Households that were, on ``day``, a policy family or in difficulty (or poor, with
        ``poor``), as a distribution of that day chose them.

        A policy family is one for good (``policy_family``); the classification on a day is its
        latest approved review's then. In difficulty on a day: for the years before the flag
        existed, the family's review of the time said so (its status of before, from which
        migration 0009 carried the flag over); since, the flag itself, set on or before the day.
        """
        latest = Review.objects.filter(
            household=OuterRef("pk"), approved=True, reviewed_on__lte=day
        ).order_by("-reviewed_on", "-pk")
        chosen = (
            Q(policy_family=True)
            | Q(status_then=Status.DIFFICULTY)
            | Q(in_difficulty=True, difficulty_since__lte=day)
        )
        if poor:
            chosen |= Q(classification_then=Poverty.POOR)
        return (
            Household.objects.filter(
                commune_id__in=self.household_communes, archived=False, **filters
            )
            .annotate(
                status_then=Subquery(latest.values("status")[:1]),
                classification_then=Subquery(latest.values("classification")[:1]),
            )
            .filter(chosen)
            .order_by("code")
        )
