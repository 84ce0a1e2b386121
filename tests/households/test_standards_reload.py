"""The shipped standards come back when a flush has emptied them, and edited rows are left as
they are (households.apps, on post_migrate)."""

import pytest
from django.apps import apps
from django.db.models.signals import post_migrate

from households.models import IncomeTable, PovertyStandard, StandardIndicator
from households.poverty import classify

pytestmark = pytest.mark.django_db


def _send() -> None:
    config = apps.get_app_config("households")
    # As migrate and flush send it for the households app.
    post_migrate.send(sender=config, app_config=config, using="default", verbosity=0, apps=apps)


def test_an_emptied_table_gets_the_shipped_standards_and_the_example_table_back():
    IncomeTable.objects.all().delete()
    PovertyStandard.objects.all().delete()
    assert not StandardIndicator.objects.exists()
    _send()
    assert set(PovertyStandard.objects.values_list("code", flat=True)) == {"2022-2025", "2027-2030"}
    assert StandardIndicator.objects.filter(standard__code="2022-2025").count() == 12
    assert StandardIndicator.objects.filter(standard__code="2027-2030").count() == 12
    assert IncomeTable.objects.filter(is_example=True).count() == 1
    assert classify("2022-2025", area="rural", income_vnd=1_500_000, deprived=[]) == "near_poor"


def test_edited_standards_are_left_as_they_are():
    PovertyStandard.objects.filter(code="2022-2025").update(income_line_rural_vnd=1_600_000)
    _send()
    assert PovertyStandard.objects.get(code="2022-2025").income_line_rural_vnd == 1_600_000
    assert PovertyStandard.objects.count() == 2
