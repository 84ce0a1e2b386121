"""Views of the activity pages: the list, an activity's page, and entering or changing one.

Thin: reads through activities.selectors.activity, input through activities.forms.activity,
writes through ``activities.services.activity_record``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from activities.forms.activity import (
    CHOOSE_AGAIN,
    ActivityForm,
    ParticipationFormSet,
    PhotoEditFormSet,
)
from activities.models import Activity, Photo
from activities.selectors import activity as selectors
from activities.services import activity_record
from core.forms import attach_error
from core.paginator import CappedCountPaginator
from outreach.access import RECORD_READERS, serves
from outreach.scope import Role

PAGE_SIZE = 25


@serves(*RECORD_READERS)
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    """List the activities in the user's scope, newest first, filtered by kind, year, village."""
    activities = selectors.activity_list(user=request.user, filters=request.GET)
    page = CappedCountPaginator(activities.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "activities/activity_list.html",
        {"filter": activities, "page_obj": page, "activities": page.object_list},
    )


@serves(*RECORD_READERS)
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an activity: villages, who took part, photos, and what was given through it."""
    activity = selectors.activity_get(user=request.user, pk=pk)
    return render(request, "activities/activity_detail.html", {"activity": activity})


@serves(Role.OFFICE_STAFF)
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    """Enter a new activity with its participants and photos."""
    return _edit(request, None)


@serves(Role.OFFICE_STAFF)
@require_http_methods(["GET", "POST"])
def activity_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an activity, its participants and its photos, or add photos."""
    return _edit(request, selectors.activity_get_for_edit(user=request.user, pk=pk))


def _edit(request: HttpRequest, activity: Activity | None) -> HttpResponse:
    posted = request.method == "POST"
    data, files = (request.POST, request.FILES) if posted else (None, None)
    partnerships = selectors.partnerships_writable(user=request.user)
    instance = activity or Activity(partnership=partnerships.first())
    form = ActivityForm(
        data,
        files,
        instance=instance,
        partnerships=partnerships,
        villages=selectors.villages_for_partnerships(partnerships=partnerships, activity=activity),
    )
    participants = ParticipationFormSet(data, instance=instance, prefix="participants")
    photo_rows = PhotoEditFormSet(
        data,
        queryset=(
            selectors.activity_photos(activity=activity) if activity else Photo.objects.none()
        ),
        prefix="existing",
    )
    if posted and all([form.is_valid(), participants.is_valid(), photo_rows.is_valid()]):
        new_participants = participants.save(commit=False)
        changed_photos = photo_rows.save(commit=False)
        try:
            saved = activity_record(
                actor=request.user,
                activity=form.instance,
                villages=list(form.cleaned_data["villages"]),
                participants=new_participants,
                removed_participants=participants.deleted_objects,
                photos=form.cleaned_data["photos"],
                photo_caption=form.cleaned_data["photo_caption"],
                photo_credit=form.cleaned_data["photo_credit"],
                photo_consent=form.cleaned_data["photo_consent"],
                changed_photos=changed_photos,
                removed_photos=photo_rows.deleted_objects,
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(
                request, _("The activity “%(title)s” was saved.") % {"title": saved.title}
            )
            if form.cleaned_data["photos"]:
                messages.info(
                    request,
                    _("New photos: %(count)s. They appear on the page once processed.")
                    % {"count": len(form.cleaned_data["photos"])},
                )
            return redirect("activities:activity-detail", pk=saved.pk)
    photos_dropped = (
        posted and bool(request.FILES.getlist("photos")) and "photos" not in form.errors
    )
    return render(
        request,
        "activities/activity_form.html",
        {
            "form": form,
            "participants": participants,
            "photo_rows": photo_rows,
            "activity": activity,
            "choose_again": CHOOSE_AGAIN if photos_dropped else "",
        },
    )
