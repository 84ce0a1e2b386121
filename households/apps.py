from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    def ready(self) -> None:
        # Scope rules, signal receivers, the household's own case-file sections.
        from households import scope, sections, signals  # noqa: F401

        post_migrate.connect(_ensure_standards, sender=self)


def _ensure_standards(sender, using: str = "default", **kwargs) -> None:
    """Put the shipped poverty standards back when none is left: a flush of the database (as
    tests that need real transactions do) empties what migrations 0009 and 0010 loaded, and
    post_migrate follows every flush. Edited rows are never touched: this only fills an empty
    table."""
    from households import standards_data
    from households.models import IncomeTable, PovertyStandard, StandardIndicator

    if PovertyStandard.objects.using(using).exists():
        return
    standards_data.load_standards(PovertyStandard, StandardIndicator)
    standards_data.load_example_income_table(PovertyStandard, IncomeTable)
