"""Forms of the asset pages: registering an asset and adding to its log.

The cadre's fault report is short on purpose: it is filled in on a phone, standing by the pole.
"""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.filters.money import VillageField
from activities.forms.money import VndField, one_partnership
from activities.models import Asset, MaintenanceLog
from activities.selectors.activity import partnerships_writable
from activities.selectors.money import household_by_code
from core.fields import DayMonthYearInput, PlausibleDateField
from outreach.models import Village
from outreach.scope import scoped


class AssetForm(forms.ModelForm):
    """Register a physical item: what, where, since when, worth how much."""

    village = VillageField(queryset=Village.objects.none(), label=capfirst(_("village")))
    household_code = forms.CharField(
        required=False,
        max_length=32,
        label=capfirst(_("household")),
        help_text=_("If it serves one household (a trash bin, say): its code."),
    )
    value_vnd = VndField(label=capfirst(_("value (VND)")))

    class Meta:
        model = Asset
        fields = [
            "partnership",
            "kind",
            "code",
            "description",
            "village",
            "household_code",
            "installed_on",
            "value_vnd",
        ]
        widgets = {"installed_on": DayMonthYearInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        partnerships = partnerships_writable(user=user)
        one_partnership(self.fields["partnership"], partnerships)
        self.fields["village"].queryset = (
            scoped(Village.objects.filter(commune__partnerships__in=partnerships), user)
            .select_related("commune")
            .distinct()
            .order_by("commune__name", "name", "pk")
        )
        self.fields["installed_on"].initial = timezone.localdate
        self.fields["code"].help_text = _("Printed on its label, e.g. LP-DEN-2023-16.")

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("household_code", "").strip()
        village = cleaned.get("village")
        self.instance.household = None
        if code and village is not None:
            household = household_by_code(user=self.user, commune=village.commune, code=code)
            if household is None:
                self.add_error(
                    "household_code",
                    gettext("No household of %(commune)s has the code %(code)s.")
                    % {"commune": village.commune, "code": code},
                )
            else:
                self.instance.household = household
        return cleaned


class MaintenanceForm(forms.Form):
    """Add to an asset's log: a check, a fault, a repair, a removal — those of ``kinds`` (what
    the person's role may record, ``activities.selectors.asset.log_kinds``; all by default)."""

    KINDS = [
        (kind.value, kind.label)
        for kind in (
            MaintenanceLog.Kind.CHECK,
            MaintenanceLog.Kind.FAULT,
            MaintenanceLog.Kind.REPAIR,
            MaintenanceLog.Kind.REMOVAL,
        )
    ]

    kind = forms.ChoiceField(choices=KINDS, label=capfirst(_("kind")))
    happened_on = PlausibleDateField(
        label=capfirst(_("date")), widget=DayMonthYearInput(), initial=timezone.localdate
    )
    note = forms.CharField(
        required=False, label=capfirst(_("note")), widget=forms.Textarea(attrs={"rows": 3})
    )
    reported_by_public = forms.BooleanField(
        required=False, label=capfirst(_("reported by the public"))
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            allowed = {str(kind) for kind in kinds}
            self.fields["kind"].choices = [c for c in self.KINDS if c[0] in allowed]


class FaultForm(forms.Form):
    """A cadre reports, from a phone, that an asset is broken."""

    happened_on = PlausibleDateField(
        label=_("Noticed on"), widget=DayMonthYearInput(), initial=timezone.localdate
    )
    note = forms.CharField(
        label=_("What is wrong?"),
        max_length=1000,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("e.g. The light no longer comes on at night.")}
        ),
    )
    reported_by_public = forms.BooleanField(required=False, label=_("A villager told me about it"))
