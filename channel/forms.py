"""Forms of the channel: a post with its photos, a subscription, the public pages' short forms.

The forms only take input; the rules are the services' (channel.services). Photos are checked here
already, so that a bad file is named beside the file field with the rest of the input kept.
"""

import re

from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from activities.forms.activity import ACCEPTED_TYPES, CHOOSE_AGAIN, MultiplePhotoField
from activities.forms.money import one_partnership
from activities.selectors.activity import partnerships_writable
from channel import selectors
from channel.models import NotifyPreference, Post, PublicFaultReport, Subscription
from core import images
from core.forms import FieldsHelper
from core.phones import MobilePhoneFormField
from outreach.models import Village
from outreach.scope import scoped


class PostForm(forms.ModelForm):
    """An update from the office: for whom, about what, with photos sharing one caption."""

    photos = MultiplePhotoField(label=_("Photos"), required=False)
    photo_caption = forms.CharField(
        label=_("Caption of the photos"), max_length=255, required=False
    )
    photo_consent = forms.BooleanField(
        label=_("The people shown agreed that donors and the public may see these photos."),
        required=False,
        help_text=_("Without it, only the office and the commune see the photos."),
    )

    class Meta:
        model = Post
        fields = [
            "partnership",
            "title",
            "body",
            "audience",
            "village",
            "partner",
            "activity",
            "distribution",
            "is_public",
        ]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partnerships = partnerships_writable(user=user)
        one_partnership(self.fields["partnership"], partnerships)
        self.fields["village"].queryset = (
            scoped(Village.objects.filter(commune__partnerships__in=partnerships), user)
            .select_related("commune")
            .distinct()
            .order_by("commune__name", "name", "pk")
        )
        self.fields["partner"].queryset = selectors.funding_partners(partnerships=partnerships)
        self.fields["activity"].queryset = selectors.recent_activities(
            user=user, partnerships=partnerships
        )
        self.fields["distribution"].queryset = selectors.recent_distributions(
            user=user, partnerships=partnerships
        )
        self.fields["village"].label = capfirst(_("village"))
        self.helper = FieldsHelper()
        self.helper.layout = Layout(
            "partnership",
            "title",
            "body",
            Fieldset(
                _("For whom"),
                "audience",
                Row(
                    Column("village", css_class="col-sm-6"),
                    Column("partner", css_class="col-sm-6"),
                ),
                "is_public",
            ),
            Fieldset(
                _("About"),
                Row(
                    Column("activity", css_class="col-sm-6"),
                    Column("distribution", css_class="col-sm-6"),
                ),
            ),
            Fieldset(_("Photos"), "photos", "photo_caption", "photo_consent"),
        )

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        try:
            images.check_uploads(files)
        except ValidationError as error:
            raise ValidationError([*error.error_list, CHOOSE_AGAIN]) from error
        return files


class SubscriptionForm(forms.Form):
    """Whether, and how often, the user is told of new posts; their mobile number and the way
    they prefer to be told (channel.services.subscription_choose)."""

    OFF = "off"

    frequency = forms.ChoiceField(
        label=_("Messages about new posts"),
        choices=[*Subscription.Frequency.choices, (OFF, _("No messages"))],
        widget=forms.RadioSelect,
    )
    phone = MobilePhoneFormField(label=_("Mobile number"), required=False)
    channel = forms.ChoiceField(
        label=_("How to tell me"),
        choices=NotifyPreference.Preferred.choices,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FieldsHelper()


class VerifyForm(forms.Form):
    """The code printed on a sheet, a receipt, a label or a donor report."""

    code = forms.CharField(
        # Not "Code": that msgid names a household's code, and these are not households'.
        label=_("Code printed on the paper"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("8 letters and digits, e.g. K7Q2M9XA."),
    )


# A phone number as villagers write it: digits, spaces, dots, dashes, an optional leading +.
_PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}$")


class FaultReportForm(forms.Form):
    """What a passer-by says is wrong with an asset, from its label's QR code."""

    what = forms.CharField(
        label=_("What is wrong?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the light no longer comes on at night."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_TYPES}),
    )
    phone = forms.CharField(
        label=_("Your phone number (optional)"),
        max_length=20,
        required=False,
        help_text=_("Only the office sees it, to call you back if needed."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FieldsHelper()

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            images.check_upload(photo)
        return photo

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        if phone and not _PHONE.match(phone):
            raise ValidationError(_("Write the number with digits only, e.g. 0912 345 678."))
        return phone


class FaultHandleForm(forms.Form):
    """The office's answer to a public fault report."""

    CONFIRM, DISMISS = "confirm", "dismiss"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (CONFIRM, _("Confirm: the asset is faulty")),
            (DISMISS, _("Dismiss the report")),
        ],
    )
    note = forms.CharField(
        label=capfirst(PublicFaultReport._meta.get_field("staff_note").verbose_name),
        max_length=255,
        required=False,
    )
