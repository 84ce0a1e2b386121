"""Forms of the activity pages: the activity with its photos (crispy), participants and photo rows.

The forms only take input; the rules are the services' (``activity_record``). Photos are checked
here already, so that a bad file is named beside the file field with the rest of the input kept.
"""

from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Participation, Photo
from core import images
from core.fields import DayMonthYearInput
from core.forms import FieldsHelper

ACCEPTED_TYPES = "image/jpeg,image/png,image/webp"
CHOOSE_AGAIN = _(
    "Nothing was saved. Choose the photos again: a browser does not keep the files you chose "
    "when a form comes back with an error."
)


class _CommuneOptions:
    """Mixed into a choice widget: each option says its commune (``data-commune``).

    static/js/activity.js shows only the villages of the partnership chosen.
    """

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        commune_id = getattr(instance, "commune_id", None)
        if commune_id is not None:
            option["attrs"]["data-commune"] = commune_id
        return option


class PartnershipSelect(_CommuneOptions, forms.Select):
    pass


class VillageCheckboxes(_CommuneOptions, forms.CheckboxSelectMultiple):
    pass


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files from one ``<input type="file" multiple>``; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultiplePhotoInput(attrs={"accept": ACCEPTED_TYPES, "multiple": True})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ActivityForm(forms.ModelForm):
    """An activity, its villages and counts, and a batch of new photos sharing one caption."""

    photos = MultiplePhotoField(
        label=_("Add photos"),
        required=False,
        help_text=_("JPEG, PNG or WebP; you can choose several at once."),
    )
    photo_caption = forms.CharField(
        label=_("Caption of the new photos"), max_length=255, required=False
    )
    photo_credit = forms.CharField(label=_("Photo credit"), max_length=120, required=False)
    photo_consent = forms.BooleanField(
        label=_("The people shown agreed that donors and the public may see these photos."),
        required=False,
    )

    class Meta:
        model = Activity
        fields = [
            "partnership",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "villages",
            "location",
            "description",
            "office_staff_count",
            "cadre_count",
            "resident_count",
        ]
        widgets = {
            "partnership": PartnershipSelect,
            "starts_on": DayMonthYearInput,
            "ends_on": DayMonthYearInput,
            "villages": VillageCheckboxes,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, partnerships, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        self.fields["partnership"].empty_label = None
        self.fields["villages"].queryset = villages
        self.fields["villages"].required = False
        if len({partnership.commune_id for partnership in partnerships}) > 1:
            self.fields["villages"].label_from_instance = lambda village: (
                f"{village.name} ({village.commune.name})"
            )
        self.helper = FieldsHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Activity"),
                "partnership",
                "kind",
                "title",
                Row(
                    Column("starts_on", css_class="col-sm-6"),
                    Column("ends_on", css_class="col-sm-6"),
                ),
                "villages",
                "location",
                "description",
            ),
            Fieldset(
                _("Who took part"),
                Row(
                    Column("office_staff_count", css_class="col-sm-4"),
                    Column("cadre_count", css_class="col-sm-4"),
                    Column("resident_count", css_class="col-sm-4"),
                ),
                HTML('{% include "activities/activity_participants.html" %}'),
            ),
            Fieldset(
                _("Photos"),
                HTML('{% include "activities/activity_photo_rows.html" %}'),
                "photos",
                "photo_caption",
                "photo_credit",
                "photo_consent",
            ),
        )

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        try:
            images.check_uploads(files)
        except ValidationError as error:
            raise ValidationError([*error.error_list, CHOOSE_AGAIN]) from error
        return files


class ParticipationForm(forms.ModelForm):
    class Meta:
        model = Participation
        fields = ["name", "group", "role"]


ParticipationFormSet = forms.inlineformset_factory(
    Activity, Participation, form=ParticipationForm, extra=1, can_delete=True
)


class PhotoEditForm(forms.ModelForm):
    """One existing photo of an activity: caption, credit, consent (or removal)."""

    class Meta:
        model = Photo
        fields = ["caption", "credit", "consent_to_publish"]
        # The page says it in a shorter label beside each photo.
        help_texts = {"consent_to_publish": ""}


PhotoEditFormSet = forms.modelformset_factory(
    Photo, form=PhotoEditForm, extra=0, can_delete=True, edit_only=True
)
