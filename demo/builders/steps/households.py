"""The fictional households, their members and their yearly reviews (built by
``demo.builders.households``), and who had which status on a given day."""

import datetime

from django.db.models import OuterRef, Subquery

from demo import data
from demo.builders import households as builders
from households.models import Household, Member, Review


class HouseholdSteps:
    """Write the missing households; answer which households had a status on a day."""

    def household_rows(self) -> None:
        existing = set(
            Household.objects.filter(
                commune=self.commune, code__startswith=data.HOUSEHOLD_CODE_PREFIX
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
        if len(plans) > self.bulk_threshold:
            counts = builders.write_in_bulk(
                plans,
                actor=self.staff,
                reviewer=self.cadre,
                commune=self.commune,
                villages=self.villages,
            )
        else:
            counts = builders.write_with_services(
                plans, actor=self.staff, reviewer=self.cadre, villages=self.villages
            )
        self.created.update(counts)

    def _households_with_status(self, statuses, day: datetime.date, **filters):
        """Households whose latest approved review up to ``day`` decided one of ``statuses``."""
        status_then = (
            Review.objects.filter(household=OuterRef("pk"), approved=True, reviewed_on__lte=day)
            .order_by("-reviewed_on", "-pk")
            .values("status")[:1]
        )
        return (
            Household.objects.filter(commune=self.commune, archived=False, **filters)
            .annotate(status_then=Subquery(status_then))
            .filter(status_then__in=statuses)
            .order_by("code")
        )
