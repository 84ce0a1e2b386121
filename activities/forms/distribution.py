"""Forms of the distribution pages. They check input only; the rules live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Distribution, Receipt, Verification
from core.fields import DayMonthYearInput, VndField
from core.forms import FieldsHelper
from core.money import format_vnd
from households.models import Poverty, Status


class _Form:
    """Crispy forms without their own <form> tag: the templates write it (action, CSRF)."""

    def _helper(self) -> FieldsHelper:
        return FieldsHelper()


class DistributionForm(_Form, forms.ModelForm):
    """Create or change a distribution; its partnership is chosen only when it is created."""

    value_per_item_vnd = VndField(label=_("Value per item (đồng)"), widget=forms.TextInput)

    class Meta:
        model = Distribution
        fields = [
            "partnership",
            "title",
            "distributed_on",
            "item_description",
            "value_per_item_vnd",
            "activity",
            "note",
        ]
        widgets = {
            "distributed_on": DayMonthYearInput,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "item_description": _("What each household receives, e.g. a Tết gift (rice, oil)."),
        }

    def __init__(self, *args, partnerships=None, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()
        self.fields["activity"].queryset = activities
        self.fields["activity"].required = False
        if self.instance.pk:
            # Its receipts and allocations were checked against this partnership.
            del self.fields["partnership"]
            if self.instance.status != Distribution.Status.DRAFT:
                self.fields["value_per_item_vnd"].disabled = True
                self.fields["value_per_item_vnd"].help_text = _(
                    "The value per item is fixed once approved."
                )
        else:
            self.fields["partnership"].queryset = partnerships
            first_two = list(partnerships[:2])
            if len(first_two) == 1:
                # Office staff of one partnership: nothing to choose.
                self.fields["partnership"].initial = first_two[0].pk
                self.fields["partnership"].widget = forms.HiddenInput()

    # The activity's partnership is checked by activities.services.distribution_save.


class DonationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, donation) -> str:
        return _("%(partner)s · received %(date)s · %(remaining)s left") % {
            "partner": donation.partner,
            "date": donation.received_on.strftime("%d/%m/%Y"),
            "remaining": format_vnd(donation.remaining_vnd),
        }


class AllocationForm(_Form, forms.Form):
    """Fund a distribution with part of a donation that still has money left."""

    donation = DonationChoiceField(label=_("Donation"), queryset=None, empty_label=None)
    amount_vnd = VndField(label=_("Amount (đồng)"), min_value=1, widget=forms.TextInput)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, donations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()
        self.fields["donation"].queryset = donations


class CriteriaForm(_Form, forms.Form):
    """Which households a distribution is for (all of the commune when nothing is chosen)."""

    # The values of the single status of before (activities.selectors.STATUS_CONDITIONS), so
    # that saved links keep their meaning; any one ticked qualifies.
    statuses = forms.MultipleChoiceField(
        label=_("Households that are"),
        choices=[
            (Poverty.POOR, Poverty.POOR.label),
            (Poverty.NEAR_POOR, Poverty.NEAR_POOR.label),
            (Poverty.AVERAGE, Poverty.AVERAGE.label),
            (Status.POLICY, _("A policy family")),
            (Status.DIFFICULTY, Status.DIFFICULTY.label),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "None ticked: any household. With several ticked, a household with any qualifies."
        ),
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("Villages"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every village of the commune."),
    )
    disability = forms.BooleanField(
        label=_("A member has a disability"),
        required=False,
    )
    poor_housing = forms.BooleanField(
        label=_("The house is dilapidated or makeshift"),
        required=False,
        help_text=_("With both ticked, a household with either qualifies."),
    )
    nothing_this_year = forms.BooleanField(
        label=_("Only households that have received nothing yet this year"),
        required=False,
    )
    quantity = forms.IntegerField(
        label=_("Quantity per household"), min_value=1, max_value=1000, initial=1
    )

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()
        self.fields["villages"].queryset = villages


class ReceiptAddForm(_Form, forms.Form):
    """Add one household found by the search."""

    household = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1000, initial=1)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()


class HouseholdSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Household code or name"),
        max_length=100,
        required=False,
        help_text=_("Accents do not matter: “ma dinh lieu” finds “Ma Đình Liệu”."),
    )


class ConfirmSheetForm(forms.Form):
    """The receipts ticked on the sheet (any of the distribution's receipts)."""

    receipts = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={"required": _("Tick at least one receipt.")},
    )

    def __init__(self, *args, distribution=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipts"].queryset = Receipt.objects.filter(distribution=distribution)


class CloseForm(forms.Form):
    """Closing a distribution: why each receipt still open was not delivered.

    One reason and note per receipt of the page (``reason_<id>``, ``note_<id>``), and one reason
    for all the others (``rest_reason``, ``rest_note``), also those of other pages.
    """

    rest_reason = forms.ChoiceField(
        label=_("Reason for every other receipt not delivered"),
        choices=[("", "—"), *Receipt.NotDelivered.choices],
        required=False,
    )
    rest_note = forms.CharField(label=_("What happened"), max_length=255, required=False)

    def __init__(self, *args, receipts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.receipts = list(receipts)
        for receipt in self.receipts:
            self.fields[f"reason_{receipt.pk}"] = forms.ChoiceField(
                label=_("Not delivered because"),
                choices=[("", "—"), *Receipt.NotDelivered.choices],
                required=False,
            )
            self.fields[f"note_{receipt.pk}"] = forms.CharField(
                label=_("What happened"), max_length=255, required=False
            )

    def rows(self) -> list[tuple]:
        """Return ``(receipt, reason field, note field)`` for the page's template."""
        return [
            (receipt, self[f"reason_{receipt.pk}"], self[f"note_{receipt.pk}"])
            for receipt in self.receipts
        ]

    def reasons(self, *, rest) -> dict[int, tuple[str, str]]:
        """Map receipt ids to ``(reason, note)``: those given one, then ``rest`` ids with the
        reason for all the others."""
        data = self.cleaned_data
        found = {
            receipt.pk: (data[f"reason_{receipt.pk}"], data[f"note_{receipt.pk}"])
            for receipt in self.receipts
            if data[f"reason_{receipt.pk}"]
        }
        for pk in rest:
            found.setdefault(pk, (data["rest_reason"], data["rest_note"]))
        return found


class SignatureForm(_Form, forms.Form):
    signature = forms.ImageField(
        label=_("Photo of the signature"),
        # On a phone, "image/*" offers the camera as well as the gallery.
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("A photo of the household's signature or thumbprint on the sheet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()

    # Type, size and pixel limits: activities.services.receipt_signature_attach, through the
    # same check as every photo (core.images.check_upload, settings.PHOTO_MAX_BYTES).


class VerificationRoundForm(_Form, forms.Form):
    sample_percent = forms.IntegerField(
        label=_("Share of confirmed receipts to check (%)"),
        min_value=1,
        max_value=100,
        initial=10,
        help_text=_("Drawn at random; 100 checks every confirmed receipt."),
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()


class VerificationForm(_Form, forms.Form):
    outcome = forms.ChoiceField(
        label=_("What did the visit find?"),
        choices=[
            choice
            for choice in Verification.Outcome.choices
            if choice[0] != Verification.Outcome.PENDING
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=255,
        required=False,
        help_text=_("Required when the household did not receive or had a problem."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper()
