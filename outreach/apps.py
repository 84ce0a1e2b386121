from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Partnership and partners")

    def ready(self) -> None:
        from outreach import scope  # noqa: F401  (registers how its rows are scoped)
