"""Money in: the partners' donations, and their allocation to what they paid for."""

from django.db.models import Sum

from activities.models import Allocation
from activities.services import donation_allocate
from demo import data
from outreach.models import Donation
from outreach.services import donation_record


class MoneySteps:
    """Record the donations; allocate from one whatever part of an amount it has not yet given."""

    def donations(self) -> None:
        references = [spec[3] for spec in data.DONATIONS.values()]
        found = {
            d.reference: d
            for d in Donation.objects.filter(partnership=self.partnership, reference__in=references)
        }
        self.donation = {}
        for key, (partner, received_on, value, reference, note) in data.DONATIONS.items():
            donation = found.get(reference)
            if donation is None:
                donation = donation_record(
                    actor=self.staff,
                    partnership=self.partnership,
                    partner=self.partner[partner],
                    received_on=received_on,
                    value_vnd=value,
                    reference=reference,
                    note=note,
                )
                self.created["donations"] += 1
            self.donation[key] = donation

    def _fund(self, key: str, amount: int, **target) -> None:
        """Allocate from donation ``key`` whatever part of ``amount`` it has not yet given."""
        donation = self.donation[key]
        given = (
            Allocation.objects.filter(donation=donation, **target).aggregate(s=Sum("amount_vnd"))[
                "s"
            ]
            or 0
        )
        if given < amount:
            donation_allocate(
                actor=self.staff,
                donation=donation,
                amount_vnd=amount - given,
                allocated_on=donation.received_on,
                note=data.GRANT["allocation_note"] if key == "grant" else "",
                **target,
            )
            self.created["allocations"] += 1
