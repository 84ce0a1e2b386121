"""Forms of the review campaign's pages. They check input only; the services decide and save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import DayMonthYearInput, PlausibleDateField
from households.forms import _Crispy
from households.models import CampaignHousehold, Complaint, Decision, VillageMeeting

VOTE_PREFIX = "votes_"


class CampaignForm(_Crispy, forms.Form):
    """A commune's periodic review for a year."""

    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    opened_on = PlausibleDateField(label=_("Opened on"), widget=DayMonthYearInput(), past=True)

    def __init__(self, *args, communes, **kwargs):
        today = timezone.localdate()
        kwargs.setdefault("initial", {"year": today.year, "opened_on": today})
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        if len(communes) == 1:
            self.fields["commune"].initial = communes[0].pk
        self._helper()


class AdhocForm(_Crispy, forms.Form):
    """An ad-hoc review of one household: when, and why now."""

    opened_on = PlausibleDateField(label=_("Opened on"), widget=DayMonthYearInput(), past=True)
    reason = forms.CharField(
        label=_("Why the household is reviewed now"),
        max_length=CampaignHousehold._meta.get_field("note").max_length,
        required=False,
        help_text=_(
            "A written request, or a change of circumstance. Leave empty to use the "
            "request or the flag on the household's file."
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"opened_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self._helper()


class EntryAddForm(_Crispy, forms.Form):
    """A household added to the list by hand, by its code, with the reason."""

    code = forms.CharField(label=_("Household code"), max_length=32)
    reason = forms.CharField(
        label=_("Why it is added"),
        max_length=CampaignHousehold._meta.get_field("note").max_length,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class MeetingVillageForm(_Crispy, forms.Form):
    """The first step of the meeting form: which village met."""

    village = forms.ModelChoiceField(label=_("Village"), queryset=None)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self._helper()


class MeetingForm(_Crispy, forms.Form):
    """A village meeting: who chaired it, how many came, and the votes for each household read
    out (left empty: not read out)."""

    held_on = PlausibleDateField(label=_("Held on"), widget=DayMonthYearInput(), past=True)
    chair = forms.CharField(
        label=_("Chaired by"), max_length=VillageMeeting._meta.get_field("chair").max_length
    )
    supervisor = forms.CharField(
        label=_("For the Fatherland Front"),
        max_length=VillageMeeting._meta.get_field("supervisor").max_length,
        required=False,
    )
    secretary = forms.CharField(
        label=_("Minutes taken by"),
        max_length=VillageMeeting._meta.get_field("secretary").max_length,
        required=False,
    )
    present = forms.IntegerField(label=_("People present"), min_value=1)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    layout_fields = ("held_on", "chair", "supervisor", "secretary", "present", "notes")

    def __init__(self, *args, entries, **kwargs):
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"{VOTE_PREFIX}{entry.pk}"] = forms.IntegerField(
                label=_("Votes for"), min_value=0, required=False
            )
        self._helper()

    def vote_rows(self) -> list:
        """Return (entry, its votes field) for the page's table."""
        return [(entry, self[f"{VOTE_PREFIX}{entry.pk}"]) for entry in self.entries]

    def clean(self):
        data = super().clean()
        votes = {
            entry.pk: data[f"{VOTE_PREFIX}{entry.pk}"]
            for entry in self.entries
            if data.get(f"{VOTE_PREFIX}{entry.pk}") is not None
        }
        if not votes and not self.errors:
            raise forms.ValidationError(_("Give the votes for at least one household read out."))
        data["votes"] = votes
        return data

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.layout_fields}
        data["votes"] = self.cleaned_data["votes"]
        return data


class PostingForm(_Crispy, forms.Form):
    """Where and from when to when the results were posted."""

    posted_from = PlausibleDateField(label=_("Posted from"), widget=DayMonthYearInput())
    posted_until = PlausibleDateField(label=_("Posted until"), widget=DayMonthYearInput())
    village = forms.ModelChoiceField(
        label=_("Village"),
        queryset=None,
        required=False,
        help_text=_("Leave empty for the commune's own notice board."),
    )
    place = forms.CharField(label=_("Where"), max_length=200, required=False)

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self._helper()


class ComplaintForm(_Crispy, forms.Form):
    """A complaint about the posted results."""

    received_on = PlausibleDateField(label=_("Received on"), widget=DayMonthYearInput(), past=True)
    complainant = forms.CharField(
        label=_("From"), max_length=Complaint._meta.get_field("complainant").max_length
    )
    code = forms.CharField(
        label=_("About the household (code)"),
        max_length=32,
        required=False,
        help_text=_("Leave empty for a complaint about the whole list."),
    )
    text = forms.CharField(label=_("Complaint"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self._helper()


class SettleForm(_Crispy, forms.Form):
    """How and when a complaint was settled."""

    settled_on = PlausibleDateField(label=_("Settled on"), widget=DayMonthYearInput(), past=True)
    resolution = forms.CharField(
        label=_("How it was settled"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"settled_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self._helper()


class DecisionForm(_Crispy, forms.Form):
    """The commune's decision: its number, date and signer."""

    number = forms.CharField(
        label=_("Decision number"), max_length=Decision._meta.get_field("number").max_length
    )
    signed_on = PlausibleDateField(label=_("Signed on"), widget=DayMonthYearInput(), past=True)
    signer = forms.CharField(
        label=_("Signed by"), max_length=Decision._meta.get_field("signer").max_length
    )
    signer_title = forms.CharField(
        label=_("Title of the signer"),
        max_length=Decision._meta.get_field("signer_title").max_length,
        required=False,
    )

    def __init__(self, *args, disabled: bool = False, **kwargs):
        kwargs.setdefault("initial", {"signed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        if disabled:
            for field in self.fields.values():
                field.disabled = True
        self._helper()
