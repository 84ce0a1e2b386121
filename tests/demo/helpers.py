"""Helpers of the seed_demo tests (names kept from tests/demo/test_seed_demo.py, which the
modules here were split from)."""

from demo import data
from outreach.models import Partnership

# Enough households for 100 policy or difficulty households in 2024 (MIN_HOUSEHOLDS checks it).
N = data.MIN_HOUSEHOLDS


def _partnership() -> Partnership:
    return Partnership.objects.get(office__name=data.OFFICE)
