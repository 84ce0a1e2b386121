from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    def ready(self) -> None:
        # Scope rules, signal receivers, the household's own case-file sections.
        from households import scope, sections, signals  # noqa: F401
