"""Load the poverty standards, and carry the single status of before over to the three facts.

A review recorded before the campaigns keeps its status as it was written; its classification
is read from it: poor and near-poor as they were, and "policy family" or "in difficulty" as
"not poor or near-poor" (the old status was one choice among all five, so a household recorded
as a policy family or in difficulty had not been found poor or near-poor). The figures computed
from reviews (left poverty, left near-poverty) are unchanged by this reading.

A household whose reviews ever called it a policy family gets the attribute on its head (the
category and relation were not recorded: "not recorded"); one whose current status was "in
difficulty" gets the flag, with the reason and date of the review that said so.
"""

from django.db import migrations
from django.db.models import Case, CharField, Value, When

from households import standards_data

CLASSIFIED = ("poor", "near_poor", "none")


def _classification(field: str):
    return Case(
        When(**{f"{field}__in": CLASSIFIED}, then=field),
        When(**{f"{field}__in": ("policy", "difficulty")}, then=Value("none")),
        default=Value(""),
        output_field=CharField(),
    )


def load_standards(apps, schema_editor):
    standards_data.load_standards(
        apps.get_model("households", "PovertyStandard"),
        apps.get_model("households", "StandardIndicator"),
    )


def carry_over(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    HistoricalHousehold = apps.get_model("households", "HistoricalHousehold")
    Member = apps.get_model("households", "Member")
    Review = apps.get_model("households", "Review")

    Review.objects.update(
        classification=_classification("status"),
        previous_classification=_classification("previous_status"),
    )

    policy = Review.objects.filter(approved=True, status="policy").values("household_id")
    for household_id in Household.objects.filter(pk__in=policy).values_list("pk", flat=True):
        members = Member.objects.filter(household_id=household_id)
        person = members.filter(relation="head").first() or members.order_by("pk").first()
        if person is None:
            continue
        if not person.policy_category:
            Member.objects.filter(pk=person.pk).update(
                policy_category="unrecorded", policy_relation="unrecorded"
            )
        Household.objects.filter(pk=household_id).update(policy_family=True)

    for household in Household.objects.filter(poverty="difficulty").only("pk"):
        said = (
            Review.objects.filter(household_id=household.pk, approved=True, status="difficulty")
            .order_by("-reviewed_on", "-pk")
            .first()
        )
        Household.objects.filter(pk=household.pk).update(
            in_difficulty=True,
            difficulty_reason=(said.reason[:255] if said else ""),
            difficulty_since=(said.reviewed_on if said else None),
        )

    Household.objects.filter(poverty__in=("policy", "difficulty")).update(poverty="none")
    HistoricalHousehold.objects.filter(poverty__in=("policy", "difficulty")).update(poverty="none")


class Migration(migrations.Migration):
    dependencies = [("households", "0008_poverty_review")]

    operations = [
        migrations.RunPython(load_standards, migrations.RunPython.noop),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
    ]
