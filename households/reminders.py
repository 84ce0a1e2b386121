"""Review reminders: each commune's cadres get the list of households whose review is due.

Sent at most once per person per day (``core.Reminder``), whatever the schedule and however
often the job runs; a person with nothing due gets nothing.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.models import Reminder
from households.filters import review_due_condition
from households.models import Household
from outreach.models import Commune, RoleAssignment

REVIEWS_DUE = "reviews_due"
# The e-mail lists this many households per commune; the review queue has them all.
LISTED = 100


def in_force(today: datetime.date) -> Q:
    """Match role assignments valid on ``today``."""
    return Q(valid_until__isnull=True) | Q(valid_until__gte=today)


def send_once(*, kind: str, recipient, period: str, summary: dict, template: str, context: dict):
    """Send one reminder e-mail unless it was sent for this period already; return whether
    it was sent now. The record and the sending share a transaction: a failed sending leaves
    no record, so the retry sends it."""
    if not recipient.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    try:
        with transaction.atomic():
            Reminder.objects.create(kind=kind, recipient=recipient, period=period, summary=summary)
            send_mail(subject, body, None, [recipient.email])
    except IntegrityError:
        return False  # sent already, by this job's earlier run or another worker
    return True


def reviews_due_remind(*, today: datetime.date | None = None) -> dict:
    """E-mail each commune cadre the households of their commune whose review is due (never
    reviewed, or not for twelve months); return how many e-mails were sent."""
    today = today or timezone.localdate()
    cadres = RoleAssignment.objects.filter(
        in_force(today), role=RoleAssignment.Role.COMMUNE_CADRE, commune__isnull=False
    ).values_list("user_id", "commune_id")
    communes_of: dict[int, set[int]] = {}
    for user_id, commune_id in cadres:
        communes_of.setdefault(user_id, set()).add(commune_id)
    users = get_user_model().objects.filter(pk__in=communes_of, is_active=True).exclude(email="")
    communes = Commune.objects.in_bulk({c for ids in communes_of.values() for c in ids})
    due = (
        Household.objects.filter(archived=False)
        .filter(review_due_condition())
        .select_related("village")
        .order_by("village__name", "code")
    )
    lists: dict[int, dict] = {}
    sent = 0
    queue_url = settings.SITE_URL + reverse("households:review-queue")
    for user in users.order_by("pk"):
        sections = []
        for commune_id in sorted(communes_of[user.pk]):
            if commune_id not in lists:
                households = due.filter(commune_id=commune_id)
                lists[commune_id] = {
                    "commune": communes[commune_id],
                    "total": households.count(),
                    "households": list(households[:LISTED]),
                }
            if lists[commune_id]["total"]:
                sections.append(lists[commune_id])
        if not sections:
            continue
        sent += send_once(
            kind=REVIEWS_DUE,
            recipient=user,
            period=today.isoformat(),
            summary={str(s["commune"].pk): s["total"] for s in sections},
            template="email/reviews_due",
            context={"user": user, "sections": sections, "queue_url": queue_url, "today": today},
        )
    return {"sent": sent}
