"""Helpers of the activity page tests: the URLs, a logged-in client, a photo upload, the
form's data."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities.models import Activity
from tests.activities.test_images import picture_bytes

LIST = reverse("activities:activity-list")
CREATE = reverse("activities:activity-create")


def detail_url(activity):
    return reverse("activities:activity-detail", kwargs={"pk": activity.pk})


def edit_url(activity):
    return reverse("activities:activity-update", kwargs={"pk": activity.pk})


def login(client, user, english=True):
    client.force_login(user)
    if english:
        client.cookies["django_language"] = "en"
    return client


def jpeg(name="anh.jpg", **kwargs):
    return SimpleUploadedFile(name, picture_bytes(**kwargs), content_type="image/jpeg")


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_data(partnership, **overrides):
    data = {
        "partnership": str(partnership.pk),
        "kind": Activity.Kind.COMMUNITY_WORK,
        "title": "Ra quân làm đường hoa",
        "starts_on": "2024-03-26",
        "ends_on": "2024-03-27",
        "location": "",
        "description": "Trồng hoa ven đường liên thôn",
        "office_staff_count": "12",
        "cadre_count": "8",
        "resident_count": "40",
        "photo_caption": "",
        "photo_credit": "",
        **management("participants"),
        **management("existing"),
    }
    data.update(overrides)
    return data
