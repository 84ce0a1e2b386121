"""The partnership admin's action that carries a partnership over to the commune its commune
merged into (``households.services.partnership_continue``).

The action moves households, so it is the households app's: it extends the partnership admin
that ``outreach.admin`` registered (outreach may not import households)."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin.services import run_service_action
from households.services import continuation_of, partnership_continue
from outreach.models import Partnership

_Base = type(admin.site._registry[Partnership])


class PartnershipAdmin(_Base):
    actions = [*(_Base.actions or []), "continue_with_successor"]

    @admin.action(description=_("Continue with the commune it merged into"), permissions=["change"])
    def continue_with_successor(self, request, queryset):
        def carry_over(partnership):
            into, first_day = continuation_of(partnership)
            return partnership_continue(
                actor=request.user, partnership=partnership, into=into, first_day=first_day
            )

        run_service_action(
            self,
            request,
            queryset.select_related("commune"),
            carry_over,
            done=gettext("Partnerships carried over to the new commune: %(count)d."),
        )


admin.site.unregister(Partnership)
admin.site.register(Partnership, PartnershipAdmin)
