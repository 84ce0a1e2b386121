"""A commune with villages and households, and a way to record a decision's reviews directly
(rows, not the campaign service, which is tested on its own)."""

import datetime
import itertools

import pytest
from django.core.cache import cache

from households.models import (
    CampaignHousehold,
    Decision,
    Member,
    PovertyStandard,
    Review,
    ReviewCampaign,
    Survey,
)
from tests import factories as f

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def household(village, *, ethnicity=Member.Ethnicity.TAY, head_name=None, **kwargs):
    """A household of ``village`` with a head of ``ethnicity``."""
    made = f.HouseholdFactory(village=village, **({"head_name": head_name} if head_name else {}))
    f.MemberFactory(household=made, relation=Member.Relation.HEAD, ethnicity=ethnicity)
    return made


def decide(commune, year, reviews, *, kind="periodic", signed_on=None, standard="2022-2025"):
    """Record a commune decision: ``reviews`` are (household, classification, previous, deprived,
    causes, needs) tuples (the last three optional)."""
    standard = PovertyStandard.objects.get(code=standard)
    signed_on = signed_on or datetime.date(year, 12, 10)
    campaign = ReviewCampaign.objects.create(
        commune=commune, year=year, kind=kind, standard=standard, opened_on=signed_on
    )
    decision = Decision.objects.create(
        campaign=campaign,
        number=f"{next(_numbers)}/QĐ-UBND",
        signed_on=signed_on,
        signer="Hoàng Văn Chủ",
    )
    for row in reviews:
        target, classification, previous, deprived, causes, needs = (*row, [], [], [])[:6]
        entry = CampaignHousehold.objects.create(
            campaign=campaign,
            household=target,
            village=target.village,
            why=CampaignHousehold.Why.POOR,
            state=CampaignHousehold.State.DECIDED,
            proposed=classification,
        )
        Survey.objects.create(entry=entry, causes=causes, needs=needs, deprived=deprived)
        Review.objects.create(
            household=target,
            reviewed_on=signed_on,
            classification=classification,
            previous_classification=previous,
            reason="Quyết định của xã",
            standard=standard,
            decision=decision,
            entry=entry,
            deprived=deprived,
        )
        target.poverty = classification
        target.save(update_fields=["poverty"])
    return decision


@pytest.fixture
def commune(partnership):
    return partnership.commune


@pytest.fixture
def villages(commune):
    return [
        f.VillageFactory(commune=commune, name="Bản Chang"),
        f.VillageFactory(commune=commune, name="Nà Mạ"),
    ]


@pytest.fixture
def year_2025(commune, villages):
    """Bản Chang: 6 households (3 poor, 1 near-poor, 1 average, 1 none); Nà Mạ: 4 households
    (1 poor, 2 near-poor) and an archived one. Left/fell figures as named in each tuple."""
    chang, ma = villages
    h = [household(chang, head_name=f"Ma Văn Chang {n}") for n in range(6)]
    h[0].members.update(ethnicity=Member.Ethnicity.DAO)
    m = [household(ma, head_name=f"Nông Thị Mạ {n}") for n in range(4)]
    archived = household(ma)
    archived.archived = True
    archived.save(update_fields=["archived"])
    deprived = ["health_insurance", "housing_area", "water"]
    decision = decide(
        commune,
        2025,
        [
            (h[0], "poor", "poor", deprived, ["land", "capital"], ["credit"]),
            (h[1], "poor", "near_poor", deprived, ["land"], ["credit", "housing"]),
            (h[2], "poor", "", ["water", "toilet", "telecom"], ["illness"], ["health_insurance"]),
            (h[3], "near_poor", "poor", ["water"], [], ["training"]),  # left poverty
            (h[4], "average", "near_poor", [], [], []),  # left near-poverty
            (h[5], "none", "poor", [], [], []),  # left poverty
            (m[0], "poor", "poor", deprived, ["labour"], ["livelihood"]),
            (m[1], "near_poor", "none", ["water"], [], []),  # fell into near-poverty
            (m[2], "near_poor", "near_poor", ["telecom"], [], []),
        ],
    )
    return {"decision": decision, "chang": h, "ma": m, "archived": archived}
