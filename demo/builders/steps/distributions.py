"""The distributions, each run through its whole workflow, and the house-building grant."""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from activities.models import Distribution, Grant
from activities.services import (
    distribution_save,
    distribution_transition,
    grant_payment_record,
    grant_save,
    receipt_add,
    receipt_confirm,
)
from demo import data
from demo.builders import households as builders
from households.models import Household


class DistributionSteps:
    """The 2023 visit's gifts, the 2024 gifts and the grant: listed, funded, delivered."""

    def _distribution(self, spec, *, value, activity, recipients, funding) -> Distribution:
        """Run a distribution through its whole workflow: listed, funded, confirmed, closed."""
        distribution = Distribution.objects.filter(
            partnership=self.partnership, title=spec["title"], distributed_on=spec["distributed_on"]
        ).first()
        if distribution is not None and distribution.status == Distribution.Status.CLOSED:
            return distribution
        if distribution is None:
            distribution = distribution_save(
                actor=self.staff,
                distribution=Distribution(
                    partnership=self.partnership,
                    activity=activity,
                    title=spec["title"],
                    distributed_on=spec["distributed_on"],
                    item_description=spec["item_description"],
                    value_per_item_vnd=value,
                    note=spec["note"],
                ),
            )
            self.created["distributions"] += 1
        # Listed and funded first: a distribution is approved only once its money covers it.
        listed = set(distribution.receipts.values_list("household_id", flat=True))
        for household in recipients():
            if household.pk not in listed:
                receipt_add(actor=self.staff, distribution=distribution, household=household)
                self.created["receipts"] += 1
        for key, amount in funding:
            self._fund(key, amount, distribution=distribution)
        if distribution.status == Distribution.Status.DRAFT:
            distribution_transition(
                actor=self.staff, distribution=distribution, to=Distribution.Status.APPROVED
            )
        start = timezone.make_aware(
            datetime.datetime.combine(spec["distributed_on"], datetime.time(8, 30))
        )
        pending = distribution.receipts.filter(confirmed_at__isnull=True).order_by(
            "household__code"
        )
        for minutes, receipt in enumerate(pending):
            receipt_confirm(
                actor=self.cadre,
                receipt=receipt,
                confirmed_at=start + datetime.timedelta(minutes=4 * minutes),
            )
        return distribution_transition(
            actor=self.staff, distribution=distribution, to=Distribution.Status.CLOSED
        )

    def visit_2023(self) -> None:
        spec = data.VISIT_2023
        self._distribution(
            spec,
            value=data.VISIT_2023_GIFT_VND,
            activity=self.activity["visit_2023"],
            recipients=lambda: self._households_chosen(
                spec["distributed_on"], poor=True, village=self.villages[data.VILLAGE_PAC_HOP]
            )[: data.VISIT_2023_GIFTS],
            funding=[("visit_2023", data.VISIT_2023_GIFTS * data.VISIT_2023_GIFT_VND)],
        )

    def gifts_2024(self) -> None:
        spec = data.GIFTS_2024_DISTRIBUTION

        def recipients():
            households = list(self._households_chosen(spec["distributed_on"])[: data.GIFTS_2024])
            if len(households) < data.GIFTS_2024:
                raise CommandError(
                    f"Only {len(households)} households were policy families or in difficulty "
                    f"on {spec['distributed_on']:%d/%m/%Y}; the 2024 figure is {data.GIFTS_2024}."
                )
            return households

        self._distribution(
            spec,
            value=data.GIFT_2024_VND,
            activity=self.activity["gifts_2024"],
            recipients=recipients,
            funding=[
                ("gifts_bidv_tq", self.donation["gifts_bidv_tq"].value_vnd),
                ("gifts_bidv_md", self.donation["gifts_bidv_md"].value_vnd),
            ],
        )

    def house_grant(self) -> None:
        household = Household.objects.get(
            commune_id__in=self.household_communes,
            code=builders.household_code(data.GRANT_HOUSEHOLD_INDEX),
        )
        grant = Grant.objects.filter(
            partnership=self.partnership,
            household=household,
            purpose=Grant.Purpose.HOUSE_BUILDING,
        ).first()
        if grant is None:
            grant = grant_save(
                actor=self.staff,
                grant=Grant(
                    partnership=self.partnership,
                    household=household,
                    activity=self.activity["house_2024"],
                    purpose=Grant.Purpose.HOUSE_BUILDING,
                    description=data.GRANT["description"],
                    amount_vnd=data.GRANT_VND,
                    approved_on=data.GRANT["approved_on"],
                    completed_on=data.GRANT["completed_on"],
                ),
            )
            self.created["grants"] += 1
        self._fund("grant", grant.amount_vnd, grant=grant)
        # Paid to the family as the house was handed over: the grant is delivered as paid.
        if not grant.payments.exists():
            grant_payment_record(
                actor=self.staff,
                grant=grant,
                paid_on=data.GRANT["paid_on"],
                amount_vnd=grant.amount_vnd,
                note=data.GRANT["payment_note"],
            )
            self.created["grant payments"] += 1
        self.grant = grant
