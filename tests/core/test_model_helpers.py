"""core.models helpers: the audit key to the user, the history field, the processed photo."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Distribution, Photo, Receipt
from channel.models import ImageState, Post, PostPhoto
from core.models import Job, ProcessedImage, audit_user, history_field
from core.services import service
from households.models import CaseFileView, Household
from tests.factories import HouseholdFactory


def test_the_audit_user_key_is_optional_kept_when_the_user_goes_and_has_no_reverse():
    field = audit_user(_("confirmed by"))
    _name, path, args, kwargs = field.deconstruct()
    assert args == []
    assert path == "django.db.models.ForeignKey"
    assert kwargs.pop("to").lower() == settings.AUTH_USER_MODEL.lower()
    assert kwargs == {
        "verbose_name": _("confirmed by"),
        "null": True,
        "blank": True,
        "on_delete": models.SET_NULL,
        "related_name": "+",
    }


def test_the_audit_user_key_passes_what_differs_through():
    field = audit_user(_("user"), blank=False, on_delete=models.PROTECT, related_name="seen")
    kwargs = field.deconstruct()[3]
    assert (kwargs["null"], kwargs.get("blank", False)) == (True, False)
    assert (kwargs["on_delete"], kwargs["related_name"]) == (models.PROTECT, "seen")


@pytest.mark.parametrize(
    ("model", "name", "verbose_name"),
    [
        (Job, "created_by", "created by"),
        (Household, "created_by", "created by"),
        (Activity, "created_by", "created by"),
        (Distribution, "created_by", "created by"),
        (Receipt, "confirmed_by", "confirmed by"),
        (Receipt, "not_delivered_by", "marked not delivered by"),
        (Photo, "uploaded_by", "uploaded by"),
        (PostPhoto, "uploaded_by", "uploaded by"),
        (Post, "created_by", "posted by"),
    ],
)
def test_every_audit_key_points_to_the_user_with_the_house_defaults(model, name, verbose_name):
    field = model._meta.get_field(name)
    assert field.remote_field.model is get_user_model()
    assert (field.null, field.blank, field.remote_field.on_delete) == (True, True, models.SET_NULL)
    assert field.remote_field.related_name == "+"
    with translation.override("en"):
        assert str(field.verbose_name) == verbose_name


def test_the_case_file_view_log_keeps_its_user_required_in_forms():
    field = CaseFileView._meta.get_field("user")
    assert (field.null, field.blank, field.remote_field.on_delete) == (True, False, models.SET_NULL)


def test_the_history_field_passes_its_options_to_the_history():
    records = history_field(excluded_fields=["search_text"])
    assert records.excluded_fields == ["search_text"]
    historical = Household.history.model
    assert "search_text" not in {field.name for field in historical._meta.get_fields()}
    assert "head_name" in {field.name for field in historical._meta.get_fields()}


@service
def _household_rename(*, actor, household: Household, head_name: str) -> Household:
    household.head_name = head_name
    household.save(update_fields=["head_name", "updated_at"])
    return household


@pytest.mark.django_db
def test_the_history_field_records_the_services_actor(staff_user):
    household = HouseholdFactory(head_name="Ma Đình Liệu")
    assert household.history.get().history_user is None  # made by no one (a factory)
    _household_rename(actor=staff_user, household=household, head_name="Ma Đình Liều")
    latest = household.history.latest()
    assert (latest.history_user, latest.head_name) == (staff_user, "Ma Đình Liều")


def test_both_photo_kinds_share_one_processed_image_with_their_own_folders():
    assert issubclass(Photo, ProcessedImage)
    assert issubclass(PostPhoto, ProcessedImage)
    assert Photo.State is PostPhoto.State is ImageState
    assert Photo._meta.get_field("image").upload_to == "photos/%Y/%m/"
    assert Photo._meta.get_field("thumbnail").upload_to == "photos/thumbs/%Y/%m/"
    assert PostPhoto._meta.get_field("image").upload_to == "channel/%Y/%m/"
    assert PostPhoto._meta.get_field("display").upload_to == "channel/display/%Y/%m/"
