"""Reads of the delivery log: the notices the office sent, each with its attempts, cut to the
reader's scope, and the messages part of a household's case file.

Who reads which notice:
- administrators and auditors: every notice;
- office staff: the notices to the households of their communes, and those to the people who
  hold a role in their partnerships or communes (cadres, colleagues), and their own;
- everyone: their own notices (on the subscription page).
Nobody else: the log names people and their numbers.
"""

import datetime

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from channel.filters import _helper
from channel.models import (
    Channel,
    InboundMessage,
    Notice,
    NoticeAttempt,
    NoticeKind,
    ReceiptCheck,
)
from core.filters import DateFilter, FilterSet
from outreach.access import OFFICE_READERS, may
from outreach.models import RoleAssignment
from outreach.scope import Role, assignments_in_force, communes_for, roles_of

# The case file shows the latest messages; the log has them all.
CASE_FILE_SHOWN = 20
OWN_SHOWN = 20


class NoticeFilter(FilterSet):
    """What a notice was about, where it stands, how it went, and when."""

    kind = django_filters.ChoiceFilter(
        choices=NoticeKind.choices, label=_("Notice"), empty_label=_("All notices")
    )
    status = django_filters.ChoiceFilter(
        choices=Notice.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices, label=_("Sent by"), empty_label=_("All channels")
    )
    since = DateFilter(label=_("Since"), method="filter_since")
    until = DateFilter(label=_("Until"), method="filter_until")

    class Meta:
        model = Notice
        fields = ["kind", "status", "channel"]

    @staticmethod
    def _start(day: datetime.date) -> datetime.datetime:
        # A range on the indexed column, not a date() of it, so that the index serves it.
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def filter_since(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(created_at__gte=self._start(value)) if value else queryset

    def filter_until(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(created_at__lt=self._start(value + datetime.timedelta(days=1)))

    @property
    def form(self):
        form = super().form
        if not hasattr(form, "helper"):
            form.helper = _helper("kind", "status", "channel", "since", "until")
        return form


def visible_notices(user) -> QuerySet:
    """Return the notices ``user`` may read in the delivery log (unordered)."""
    notices = Notice.objects.all()
    roles = roles_of(user)
    if roles & {Role.ADMINISTRATOR, Role.AUDITOR}:
        return notices
    if Role.OFFICE_STAFF not in roles:
        return notices.filter(user_id=user.pk)
    communes = communes_for(user)
    partnerships = [
        assignment.partnership_id
        for assignment in assignments_in_force(user)
        if assignment.role == Role.OFFICE_STAFF and assignment.partnership_id
    ]
    people = RoleAssignment.objects.filter(
        Q(partnership_id__in=partnerships) | Q(commune_id__in=communes)
    ).values("user_id")
    return notices.filter(
        Q(household__commune_id__in=communes) | Q(user_id__in=people) | Q(user_id=user.pk)
    )


def notice_list(*, user, filters) -> NoticeFilter:
    """Filter the notices ``user`` may read (kind, status, channel, dates), newest first."""
    notices = (
        visible_notices(user)
        .select_related("user", "household")
        .defer("text", "email_body", "data")
        .order_by("-created_at", "-pk")
    )
    return NoticeFilter(filters or None, queryset=notices)


def notice_get(*, user, pk: int) -> Notice:
    """Return one notice ``user`` may read, with its attempts, replies and checks (or 404)."""
    notices = (
        visible_notices(user)
        .select_related("user", "household", "member", "receipt__distribution", "created_by")
        .prefetch_related(
            Prefetch("attempts", queryset=NoticeAttempt.objects.order_by("started_at", "pk")),
            Prefetch("replies", queryset=InboundMessage.objects.order_by("sent_at", "pk")),
            Prefetch("checks", queryset=ReceiptCheck.objects.order_by("created_at", "pk")),
        )
    )
    return get_object_or_404(notices, pk=pk)


def own_notices(*, user, limit: int = OWN_SHOWN) -> list[Notice]:
    """Return the latest notices sent to ``user`` (their subscription page)."""
    return list(
        Notice.objects.filter(user_id=user.pk)
        .defer("email_body", "data")
        .order_by("-created_at", "-pk")[:limit]
    )


def case_file_messages(*, household, user) -> dict:
    """Gather the messages part of a household's case file: the notices sent to it, what the
    family wrote back, and the receipts it confirmed or disputed by message (three queries,
    whatever the household has; office readers only, like the inbound queue)."""
    if not may(user, *OFFICE_READERS):
        return {"shown": False}
    notices = list(
        Notice.objects.filter(household=household)
        .select_related("receipt__distribution")
        .defer("email_body", "data")
        .order_by("-created_at", "-pk")[:CASE_FILE_SHOWN]
    )
    replies = list(
        InboundMessage.objects.filter(household=household)
        .defer("event")
        .order_by("-sent_at", "-pk")[:CASE_FILE_SHOWN]
    )
    checks = list(
        ReceiptCheck.objects.filter(receipt__household=household)
        .select_related("receipt__distribution", "notice")
        .order_by("-created_at", "-pk")[:CASE_FILE_SHOWN]
    )
    return {"shown": True, "notices": notices, "replies": replies, "checks": checks}
