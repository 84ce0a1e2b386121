"""Forms of the money pages: donations, allocations, grants.

Forms only read and shape input; the rules (allocations never exceed a donation, a donation's
value never drops below what is allocated) are the services' (activities.services).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.models import Asset, Grant
from activities.selectors.activity import activity_choices, partnerships_writable
from activities.selectors.money import (
    distribution_choices,
    donations_with_money_left,
    grant_choices,
    household_by_code,
)
from core.fields import DayMonthYearInput, PlausibleDateField, VndField
from core.money import format_vnd
from outreach.models import Donation, Partner, Partnership
from outreach.scope import scoped
from outreach.services import DONATION_FIELDS


def one_partnership(field: forms.ModelChoiceField, partnerships) -> None:
    """Hide a partnership select when the user enters records for a single partnership."""
    field.queryset = partnerships
    choices = list(partnerships[:2])
    if len(choices) == 1:
        field.initial = choices[0].pk
        field.widget = forms.HiddenInput()


# --- Donations ---------------------------------------------------------------------------------


class DonationForm(forms.ModelForm):
    """Record or change a donation: cash, or goods with their estimated value."""

    value_vnd = VndField(
        label=capfirst(_("value (VND)")),
        help_text=_("Cash amount, or estimated value of the goods, in đồng."),
    )

    class Meta:
        model = Donation
        fields = DONATION_FIELDS
        widgets = {
            "kind": forms.RadioSelect(attrs={"data-donation-kind": ""}),
            "received_on": DayMonthYearInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.order_by("name")
        if self.instance.pk:
            # A donation stays with its partnership: what it paid for was checked against it.
            del self.fields["partnership"]
        else:
            one_partnership(self.fields["partnership"], partnerships_writable(user=user))
            self.fields["received_on"].initial = timezone.localdate
        for name in ("goods_description", "goods_quantity", "goods_unit"):
            self.fields[name].widget.attrs["data-goods-field"] = ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Donation.Kind.CASH:
            # The goods fields may still hold what was typed before switching to cash.
            cleaned.update(goods_description="", goods_quantity=None, goods_unit="")
        return cleaned


# --- Allocations -------------------------------------------------------------------------------


class AllocationForm(forms.Form):
    """Assign part of a donation to one distribution, asset or grant of its partnership."""

    distribution = forms.ModelChoiceField(
        queryset=None, required=False, label=capfirst(_("distribution"))
    )
    asset_code = forms.CharField(
        required=False,
        max_length=40,
        label=capfirst(_("asset code")),
        help_text=_("For an asset: its code, as on its label (e.g. LP-DEN-2023-01)."),
    )
    grant = forms.ModelChoiceField(queryset=None, required=False, label=capfirst(_("grant")))
    amount_vnd = VndField(min_value=1, label=capfirst(_("amount (VND)")))
    allocated_on = PlausibleDateField(
        label=capfirst(_("allocated on")), widget=DayMonthYearInput(), initial=timezone.localdate
    )
    note = forms.CharField(required=False, max_length=255, label=capfirst(_("note")))

    def __init__(self, *args, user, donation: Donation, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.partnership = donation.partnership
        self.fields["distribution"].queryset = distribution_choices(
            user=user, partnership=self.partnership
        )
        self.fields["grant"].queryset = grant_choices(user=user, partnership=self.partnership)

    def clean_asset_code(self):
        code = self.cleaned_data.get("asset_code", "").strip()
        self.cleaned_data["asset"] = None
        if not code:
            return code
        asset = (
            scoped(Asset.objects.filter(partnership=self.partnership), self.user)
            .filter(code__iexact=code)
            .first()
        )
        if asset is None:
            raise ValidationError(
                gettext("No asset of this partnership has the code %(code)s.") % {"code": code}
            )
        self.cleaned_data["asset"] = asset
        return code

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in ("distribution", "asset", "grant")]
        # Judge the target only once each of its fields was read without error.
        misread = any(name in self.errors for name in ("distribution", "asset_code", "grant"))
        if not misread and sum(target is not None for target in chosen) != 1:
            raise ValidationError(
                gettext("Choose one thing to pay for: a distribution, an asset or a grant.")
            )
        return cleaned

    def targets(self) -> dict:
        """Return the chosen target as the keyword the service takes."""
        return {
            "distribution": self.cleaned_data.get("distribution"),
            "asset": self.cleaned_data.get("asset"),
            "grant": self.cleaned_data.get("grant"),
        }


class DonationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Donation) -> str:
        return gettext("%(partner)s · %(date)s · %(remaining)s left") % {
            "partner": obj.partner,
            "date": date_format(obj.received_on, "SHORT_DATE_FORMAT"),
            "remaining": format_vnd(obj.remaining_vnd),
        }


class GrantAllocationForm(forms.Form):
    """Fund a grant from a donation of its partnership that still has money left."""

    donation = DonationChoiceField(queryset=None, label=capfirst(_("donation")))
    amount_vnd = VndField(min_value=1, label=capfirst(_("amount (VND)")))
    allocated_on = PlausibleDateField(
        label=capfirst(_("allocated on")), widget=DayMonthYearInput(), initial=timezone.localdate
    )
    note = forms.CharField(required=False, max_length=255, label=capfirst(_("note")))

    def __init__(self, *args, user, grant: Grant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donation"].queryset = donations_with_money_left(
            user=user, partnership=grant.partnership
        )


class GrantPaymentForm(forms.Form):
    """Money of a grant paid out to its household (activities.services.grant_payment_record)."""

    paid_on = PlausibleDateField(
        label=capfirst(_("paid on")), widget=DayMonthYearInput(), initial=timezone.localdate
    )
    amount_vnd = VndField(min_value=1, label=capfirst(_("amount (VND)")))
    note = forms.CharField(required=False, max_length=255, label=capfirst(_("note")))


# --- Grants ------------------------------------------------------------------------------------


class GrantForm(forms.ModelForm):
    """Create or change a grant; the household is found by its code, within the user's scope."""

    household_code = forms.CharField(
        max_length=32,
        label=capfirst(_("household code")),
        help_text=_("As on the household's file in your commune."),
    )
    amount_vnd = VndField(label=capfirst(_("amount (VND)")))

    class Meta:
        model = Grant
        fields = [
            "partnership",
            "household_code",
            "purpose",
            "description",
            "amount_vnd",
            "approved_on",
            "completed_on",
            "activity",
        ]
        widgets = {"approved_on": DayMonthYearInput(), "completed_on": DayMonthYearInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            # grant_save keeps the household and the village it lived in; the allocations were
            # checked against the partnership.
            del self.fields["partnership"]
            del self.fields["household_code"]
            partnership = self.instance.partnership
            self.fields["activity"].queryset = activity_choices(
                user=user, partnerships=[partnership]
            )
        else:
            partnerships = partnerships_writable(user=user)
            one_partnership(self.fields["partnership"], partnerships)
            self.fields["approved_on"].initial = timezone.localdate
            self.fields["activity"].queryset = activity_choices(
                user=user, partnerships=partnerships
            )

    def clean(self):
        cleaned = super().clean()
        partnership: Partnership | None = cleaned.get("partnership")
        # The activity's partnership is checked by activities.services.grant_save.
        if "household_code" in self.fields and partnership is not None:
            code = cleaned.get("household_code", "")
            household = household_by_code(user=self.user, commune=partnership.commune, code=code)
            if household is None:
                self.add_error(
                    "household_code",
                    gettext("No household of %(commune)s has the code %(code)s.")
                    % {"commune": partnership.commune, "code": code},
                )
            else:
                self.instance.household = household
        return cleaned
