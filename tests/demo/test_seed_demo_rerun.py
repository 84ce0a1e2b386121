"""seed_demo run again: the same number changes nothing, a bigger one adds only the missing
households, the bulk path writes what the services write, too few households is refused."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max

from activities.models import Receipt
from demo.builders import seeder
from households.models import Household
from tests.demo.helpers import N

pytestmark = pytest.mark.django_db


# --- Running it again ----------------------------------------------------------------------------


def _snapshot() -> dict:
    """Row counts of every model, and when the last row of each changed."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        rows = model._default_manager.all()
        state[model._meta.label] = rows.count()
        if any(f.name == "updated_at" for f in model._meta.fields):
            state[f"{model._meta.label}.updated_at"] = rows.aggregate(m=Max("updated_at"))["m"]
    state["users"] = list(get_user_model().objects.order_by("pk").values())
    return state


def test_second_run_changes_nothing():
    before = _snapshot()
    out = io.StringIO()
    call_command("seed_demo", households=N, stdout=out)
    assert _snapshot() == before
    assert "Nothing to create" in out.getvalue()


def test_a_bigger_number_adds_only_the_missing_households():
    households = Household.objects.all()
    last_change = households.aggregate(m=Max("updated_at"))["m"]
    receipts = Receipt.objects.count()
    call_command("seed_demo", households=N + 5, stdout=io.StringIO())
    assert households.count() == N + 5
    assert households.filter(updated_at__gt=last_change).count() == 5
    assert Receipt.objects.count() == receipts


def test_bulk_path_writes_the_same_households_as_the_services(monkeypatch):
    def written(codes):
        rows = []
        for household in Household.objects.filter(code__in=codes).order_by("code"):
            rows.append(
                (
                    household.code,
                    household.village.name,
                    household.head_name,
                    household.address,
                    household.housing_condition,
                    household.notes,
                    household.poverty,
                    household.policy_family,
                    household.in_difficulty,
                    household.difficulty_reason,
                    household.difficulty_since,
                    household.last_reviewed_on,
                    household.search_text,
                    household.created_by.username,
                    list(
                        household.members.order_by("pk").values_list(
                            "full_name", "sex", "birth_year", "relation", "ethnicity",
                            "has_disability", "disability_note", "national_id",
                            "policy_category", "policy_relation",
                        )
                    ),
                    list(
                        household.reviews.order_by("reviewed_on", "pk").values_list(
                            "reviewed_on", "status", "previous_status", "classification",
                            "previous_classification", "reason", "approved", "reviewer__username",
                        )
                    ),
                )
            )  # fmt: skip
        return rows

    codes = [f"LP-{index:04d}" for index in range(N + 1, N + 4)]
    with transaction.atomic():
        call_command("seed_demo", households=N + 3, stdout=io.StringIO())
        by_services = written(codes)
        transaction.set_rollback(True)
    assert len(by_services) == 3

    monkeypatch.setattr(seeder, "BULK_THRESHOLD", 0)
    call_command("seed_demo", households=N + 3, stdout=io.StringIO())
    assert written(codes) == by_services


def test_too_few_households_for_the_figures_is_refused():
    with pytest.raises(CommandError, match="at least"):
        call_command("seed_demo", households=N - 1, stdout=io.StringIO())
