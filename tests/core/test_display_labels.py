"""``get_<field>_display()`` answers as Django's does (the label in the active language, the
value itself when it is not a choice), with the field's map made once."""

import pytest
from django.utils import translation

from households.models import Household, Poverty
from tests import factories as f


@pytest.mark.django_db
def test_the_label_follows_the_language_and_unknown_values_pass_through():
    household = f.HouseholdFactory(poverty="poor")
    with translation.override("vi"):
        assert household.get_poverty_display() == "Hộ nghèo"
    with translation.override("en"):
        assert household.get_poverty_display() == "Poor"
    household.poverty = "not-a-choice"
    assert household.get_poverty_display() == "not-a-choice"
    household.poverty = ""
    assert household.get_poverty_display() == ""


@pytest.mark.django_db
def test_the_map_is_made_once_per_field():
    field = Household._meta.get_field("poverty")
    field.__dict__.pop("_display_labels", None)
    households = f.HouseholdFactory.create_batch(3, poverty="near_poor")
    with translation.override("vi"):
        assert {h.get_poverty_display() for h in households} == {"Hộ cận nghèo"}
    assert field.__dict__["_display_labels"]["near_poor"] == Poverty.NEAR_POOR.label
