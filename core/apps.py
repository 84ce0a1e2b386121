from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.idle import on_login

        user_logged_in.connect(on_login, dispatch_uid="core.idle.on_login")
