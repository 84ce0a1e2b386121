from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    """The offline field app and its sync. Depends on activities and households (beside reports)."""

    name = "field"
    verbose_name = _("Field work")
