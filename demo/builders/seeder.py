"""Ensure every part of the demo exists, through the services wherever one exists.

Each row is looked up first by a natural key (a name, a code, a ledger reference, a title and a
date), in bulk, and only what is missing is created: a second run changes nothing and is fast.

The steps live by area in ``demo.builders.steps``; ``Seeder`` composes them and runs them in order.
"""

import datetime
from collections import Counter

from django.db.models import Sum

from activities.models import Asset, Receipt
from core.money import format_vnd
from demo import data
from demo.builders.steps.activities import ActivitySteps
from demo.builders.steps.distributions import DistributionSteps
from demo.builders.steps.ground import GroundSteps
from demo.builders.steps.households import HouseholdSteps
from demo.builders.steps.money import MoneySteps
from demo.builders.steps.pages import PageSteps
from demo.builders.steps.reviews import ReviewSteps
from households.models import Household

# More missing households than this are written in bulk rather than one service call at a time.
BULK_THRESHOLD = 1000


class Seeder(
    GroundSteps,
    HouseholdSteps,
    MoneySteps,
    ActivitySteps,
    DistributionSteps,
    ReviewSteps,
    PageSteps,
):
    """Ensure each part of the demo exists, in the order the money trail needs."""

    def __init__(self, *, households: int, today: datetime.date):
        self.households = households
        self.today = today
        self.created: Counter[str] = Counter()
        # Read when a seeder is made, not imported by the step, so a test can lower it here.
        self.bulk_threshold = BULK_THRESHOLD

    def run(self) -> None:
        self.accounts()
        self.ground()
        self.partners()
        self.role_assignments()
        self.household_rows()
        self.donations()
        self.activities()
        self.trash_bins()
        self.solar_poles()
        self.pole_maintenance()
        self.visit_2023()
        self.gifts_2024()
        self.house_grant()
        self.photos()
        self.verification_2024()
        # The 2025 reform: the records above stay on the old map, those below are on the new.
        self.reform()
        # Before the concerns: the demo's requests for a review come after the 2026 listing.
        self.review_campaigns()
        self.concerns()
        self.subscriptions()
        self.site_profile()

    # --- What the demo now holds --------------------------------------------------------------

    def summary(self) -> list[str]:
        """Read the reported figures back from the rows, as a report would."""
        assets = Asset.objects.filter(partnership=self.partnership)
        bins = assets.filter(kind=Asset.Kind.TRASH_BIN, installed_on__year=2022)
        poles = assets.filter(
            kind=Asset.Kind.SOLAR_LIGHT,
            installed_on__year=2023,
            village__name=data.VILLAGE_PAC_HOP,
        )
        receipts = Receipt.objects.filter(distribution__partnership=self.partnership)
        households = Household.objects.filter(commune_id__in=self.household_communes)
        return [
            f"{self.commune.full_name}: {households.count()} households in "
            f"{len(self.villages)} villages",
            f"2022: {bins.count()} trash bins in {bins.values('village').distinct().count()} "
            "villages (Văn phòng Tỉnh ủy)",
            f"2023: {poles.count()} solar light poles in Pác Hợp worth "
            f"{format_vnd(poles.aggregate(s=Sum('value_vnd'))['s'])} (Agribank Tuyên Quang)",
            f"2023: {receipts.filter(distribution__distributed_on__year=2023).count()} gifts to "
            "families in Pác Hợp (Văn phòng Tỉnh ủy)",
            f"2024: {receipts.filter(distribution__distributed_on__year=2024).count()} gifts to "
            "policy families and families in difficulty (BIDV Tuyên Quang, BIDV Mỹ Đình)",
            f"2024: {format_vnd(self.grant.amount_vnd)} house-building grant to "
            f"{self.grant.household} ({self.grant.village.name})",
        ]
