from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities and support")

    def ready(self) -> None:
        import activities.case_file  # noqa: F401  (case-file sections, registry filter)
        from activities import (
            scope,  # noqa: F401  (registers how its rows are scoped)
            tasks,
        )
        from core.recovery import register_recoverer

        # Photos whose processing was lost (broker away, worker killed) are queued again.
        register_recoverer(tasks.photos_pending)
