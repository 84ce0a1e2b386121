"""Reads of the activity pages. Every query starts from ``outreach.scope.scoped``."""

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from activities.filters.activity import ActivityFilter
from activities.models import Activity, Distribution, Grant, Participation, Photo
from core.queries import related_total
from outreach.access import may
from outreach.models import Partnership, Village
from outreach.scope import Role, assignments_in_force, scoped


def partnerships_writable(*, user) -> QuerySet[Partnership]:
    """Return the partnerships whose activities ``user`` may enter or change.

    Office staff: the partnerships of their role assignments in force; administrators: all.
    """
    if may(user, Role.ADMINISTRATOR):
        return Partnership.objects.select_related("commune").order_by("name")
    ids = [
        assignment.partnership_id
        for assignment in assignments_in_force(user)
        if assignment.role == Role.OFFICE_STAFF and assignment.partnership_id
    ]
    return Partnership.objects.filter(pk__in=ids).select_related("commune").order_by("name")


def activity_choices(*, user, partnerships=None) -> QuerySet[Activity]:
    """Return the activities a distribution or a grant may belong to (of these partnerships, if
    given), newest first."""
    activities = scoped(Activity.objects.all(), user)
    if partnerships is not None:
        activities = activities.filter(partnership__in=partnerships)
    return activities.order_by("-starts_on", "-pk")


def villages_for_partnerships(
    *, partnerships: QuerySet[Partnership], activity: Activity | None = None
) -> QuerySet[Village]:
    """Return the villages an activity of these partnerships may name, by commune and name.

    Today's villages of the partnerships' communes, and those the activity already names (a
    village merged since keeps its place on an old record).
    """
    condition = Q(commune__in=partnerships.values("commune"), valid_until__isnull=True)
    if activity is not None and activity.pk:
        condition |= Q(pk__in=activity.villages.values("pk"))
    return (
        Village.objects.filter(condition)
        .select_related("commune")
        .order_by("commune__name", "name", "pk")
    )


def activity_list(*, user, filters) -> ActivityFilter:
    """Return the filter set of the activities ``user`` may read; its ``qs`` is the page's list.

    Newest first. Each row carries ``photo_total`` and ``participant_total``; villages are
    prefetched, so a page costs the same few queries whatever its number of rows.
    """
    activities = scoped(Activity.objects.all(), user)
    years = [day.year for day in activities.dates("starts_on", "year", order="DESC")]
    # Only villages that have activities: a select of every village of a province would be
    # heavier than the list itself.
    villages = (
        scoped(Village.objects.all(), user)
        .filter(
            pk__in=Activity.villages.through.objects.filter(activity__in=activities).values(
                "village_id"
            )
        )
        .order_by("name", "pk")
    )
    queryset = (
        activities.annotate(
            photo_total=related_total(Photo.objects.all(), "activity", Count("pk")),
            participant_total=F("office_staff_count") + F("cadre_count") + F("resident_count"),
        )
        .prefetch_related(Prefetch("villages", queryset=Village.objects.order_by("name")))
        .order_by("-starts_on", "-pk")
    )
    return ActivityFilter(filters or None, queryset=queryset, years=years, villages=villages)


def activity_get(*, user, pk: int) -> Activity:
    """Return the activity ``user`` may read with everything its page shows, or raise Http404.

    Its distributions and grants are cut to the user's scope too, and read from their own rows
    (no household is joined).
    """
    queryset = (
        scoped(Activity.objects.all(), user)
        .select_related("partnership__commune", "created_by")
        .prefetch_related(
            Prefetch("villages", queryset=Village.objects.order_by("name")),
            Prefetch("participations", queryset=Participation.objects.order_by("group", "name")),
            Prefetch("photos", queryset=Photo.objects.order_by("pk")),
            Prefetch(
                "distributions",
                queryset=scoped(Distribution.objects.all(), user).order_by(
                    "-distributed_on", "-pk"
                ),
            ),
            Prefetch(
                "grants",
                queryset=scoped(Grant.objects.all(), user).order_by("-approved_on", "-pk"),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def activity_get_for_edit(*, user, pk: int) -> Activity:
    """Return an activity of a partnership ``user`` may write for, or raise Http404."""
    queryset = scoped(
        Activity.objects.filter(partnership__in=partnerships_writable(user=user)), user
    ).select_related("partnership")
    return get_object_or_404(queryset, pk=pk)


def activity_photos(*, activity: Activity) -> QuerySet[Photo]:
    """Return the photos of an activity, oldest first (for its edit page)."""
    return Photo.objects.filter(activity=activity).order_by("pk")
