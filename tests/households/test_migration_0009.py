"""Migration 0009 carries the single status of before over to the three facts, losing nothing:
rows written at 0007 with the historical models, migrated forward, read back."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests import factories as f

BEFORE = [("households", "0007_household_import")]
AFTER = [("households", "0009_standards_and_three_facts")]
D = datetime.date


def _migrate(targets):
    """Migrate to ``targets`` and return the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_rows(apps, village) -> dict:
    Household = apps.get_model("households", "Household")
    Member = apps.get_model("households", "Member")
    Review = apps.get_model("households", "Review")

    def household(code, status, *reviews, head=True):
        row = Household.objects.create(
            commune_id=village.commune_id,
            village_id=village.pk,
            code=code,
            head_name=f"Chủ hộ {code}",
            status=status,
            last_reviewed_on=reviews[-1][0] if reviews else None,
        )
        if head:
            Member.objects.create(
                household=row, full_name=f"Chủ hộ {code}", sex="male", birth_year=1960,
                relation="head", ethnicity="tay",
            )  # fmt: skip
        Member.objects.create(
            household=row, full_name=f"Con {code}", sex="female", birth_year=1990,
            relation="child", ethnicity="tay",
        )  # fmt: skip
        previous = ""
        for day, decided, reason in reviews:
            Review.objects.create(
                household=row, reviewed_on=day, status=decided, previous_status=previous,
                reason=reason,
            )  # fmt: skip
            previous = decided
        return row.pk

    return {
        "poor_then_policy": household(
            "LP-0001",
            "policy",
            (D(2022, 1, 14), "poor", "Thu nhập thấp"),
            (D(2023, 12, 14), "policy", "Thân nhân liệt sĩ"),
        ),
        "difficulty": household(
            "LP-0002",
            "difficulty",
            (D(2022, 1, 14), "near_poor", "Cận nghèo"),
            (D(2023, 12, 14), "difficulty", "Mưa lũ làm hư hỏng hoa màu"),
        ),
        # Was in difficulty, is near-poor again: no flag now; no head: the first member.
        "was_in_difficulty": household(
            "LP-0003",
            "near_poor",
            (D(2022, 1, 14), "difficulty", "Ốm đau"),
            (D(2023, 12, 14), "near_poor", "Khỏe lại"),
            head=False,
        ),
        "poor": household("LP-0004", "poor", (D(2023, 12, 14), "poor", "Thu nhập thấp")),
        "never": household("LP-0005", ""),
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_single_status_becomes_the_three_facts_and_reviews_keep_it():
    village = f.VillageFactory()
    try:
        old = _old_rows(_migrate(BEFORE), village)
        apps = _migrate(AFTER)
        Household = apps.get_model("households", "Household")
        Member = apps.get_model("households", "Member")
        Review = apps.get_model("households", "Review")
        facts = {
            key: Household.objects.values(
                "poverty", "policy_family", "in_difficulty", "difficulty_reason",
                "difficulty_since", "last_reviewed_on",
            ).get(pk=pk)
            for key, pk in old.items()
        }  # fmt: skip
        reviews = {
            key: list(
                Review.objects.filter(household_id=pk)
                .order_by("reviewed_on")
                .values_list(
                    "status", "previous_status", "classification", "previous_classification",
                    "reason",
                )
            )
            for key, pk in old.items()
        }  # fmt: skip
        policy = {
            key: list(
                Member.objects.filter(household_id=pk)
                .exclude(policy_category="")
                .values_list("full_name", "policy_category", "policy_relation")
            )
            for key, pk in old.items()
        }
        standards = set(
            apps.get_model("households", "PovertyStandard").objects.values_list("code", flat=True)
        )
    finally:
        _latest()

    assert facts["poor_then_policy"] == {
        "poverty": "none",
        "policy_family": True,
        "in_difficulty": False,
        "difficulty_reason": "",
        "difficulty_since": None,
        "last_reviewed_on": D(2023, 12, 14),
    }
    assert facts["difficulty"] == {
        "poverty": "none",
        "policy_family": False,
        "in_difficulty": True,
        "difficulty_reason": "Mưa lũ làm hư hỏng hoa màu",
        "difficulty_since": D(2023, 12, 14),
        "last_reviewed_on": D(2023, 12, 14),
    }
    assert facts["was_in_difficulty"]["poverty"] == "near_poor"
    assert (facts["was_in_difficulty"]["in_difficulty"], facts["poor"]["poverty"]) == (
        False,
        "poor",
    )
    assert facts["never"]["poverty"] == ""
    assert not any(facts[key]["policy_family"] for key in ("difficulty", "poor", "never"))

    # Old reviews keep their status as written; the classification is read from it.
    assert reviews["poor_then_policy"] == [
        ("poor", "", "poor", "", "Thu nhập thấp"),
        ("policy", "poor", "none", "poor", "Thân nhân liệt sĩ"),
    ]
    assert reviews["difficulty"] == [
        ("near_poor", "", "near_poor", "", "Cận nghèo"),
        ("difficulty", "near_poor", "none", "near_poor", "Mưa lũ làm hư hỏng hoa màu"),
    ]
    assert reviews["was_in_difficulty"] == [
        ("difficulty", "", "none", "", "Ốm đau"),
        ("near_poor", "difficulty", "near_poor", "none", "Khỏe lại"),
    ]

    # The policy family is on the head, its category and relation not recorded before.
    assert policy["poor_then_policy"] == [("Chủ hộ LP-0001", "unrecorded", "unrecorded")]
    assert not any(policy[key] for key in ("difficulty", "was_in_difficulty", "poor", "never"))
    assert {"2022-2025", "2027-2030"} <= standards


@pytest.mark.django_db(transaction=True)
def test_the_database_is_left_at_the_latest_migrations():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
