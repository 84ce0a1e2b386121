"""Review reminders: each commune's cadres get the list of households whose review is due.

Sent at most once per person per day (``core.Reminder``), whatever the schedule and however
often the job runs; a person with nothing due gets nothing. The reminder goes as a notice
(``core.notices``): by e-mail, or by Zalo or SMS where the channel app knows the person's number.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import notices
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


def send_once(
    *,
    kind: str,
    recipient,
    period: str,
    summary: dict,
    template: str,
    context: dict,
    data: dict | None = None,
    link: str = "",
) -> bool:
    """Send one reminder unless it was sent for this period already; return whether it was
    sent now. The record and the notice share a transaction: a notice that could not be
    recorded leaves no record, so the retry sends it; a recorded one is delivered once the
    transaction commits (``core.notices``), however often the job runs again.

    ``template`` is the e-mail's (``<template>.txt`` and ``<template>_subject.txt``); ``data``
    fills the short message (Zalo, SMS) of the notice ``kind``.
    """
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}.txt", context)
    notice = notices.Notice(
        kind=kind,
        user=recipient,
        key=f"{kind}:{recipient.pk}:{period}",
        subject=subject,
        body=body,
        data=data or {},
        link=link,
    )
    try:
        with transaction.atomic():
            Reminder.objects.create(kind=kind, recipient=recipient, period=period, summary=summary)
            notices.notify(notice)
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
    users = notices.reachable(get_user_model().objects.filter(pk__in=communes_of, is_active=True))
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
            data={
                "count": sum(section["total"] for section in sections),
                "commune": ", ".join(section["commune"].name for section in sections),
                "date": today.strftime("%d/%m/%Y"),
            },
            link=queue_url,
        )
    return {"sent": sent}


# The steps of a review campaign that its commune's cadres are told of (households.services.
# campaign): the list is made and the survey starts, the village meetings, the public posting,
# the commune's decision.
CAMPAIGN_STEP = "campaign_step"
CAMPAIGN_STEPS = {
    "survey": _("Survey of the listed households"),
    "meeting": _("Village meeting"),
    "posting": _("Public posting of the results"),
    "decision": _("Commune decision"),
}


def campaign_step_notify(*, actor, campaign, step: str) -> int:
    """Tell the cadres of ``campaign``'s commune (but the one acting) that it reached ``step``,
    once per campaign, step and person; return how many were told.

    Called inside the step's transaction: a step refused or rolled back tells nobody.
    """
    today = timezone.localdate()
    cadre_ids = RoleAssignment.objects.filter(
        in_force(today), role=RoleAssignment.Role.COMMUNE_CADRE, commune_id=campaign.commune_id
    ).values("user_id")
    users = notices.reachable(get_user_model().objects.filter(pk__in=cadre_ids, is_active=True))
    if getattr(actor, "pk", None):
        users = users.exclude(pk=actor.pk)
    link = settings.SITE_URL + reverse("households:campaign-detail", args=[campaign.pk])
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "campaign": f"{campaign.get_kind_display()} {campaign.year}",
            "commune": campaign.commune.name,
            "step": str(CAMPAIGN_STEPS[step]),
            "link": link,
        }
        subject = gettext('Review %(campaign)s of %(commune)s: step "%(step)s"') % values
        body = (
            gettext(
                'The review %(campaign)s of %(commune)s is now at the step "%(step)s".\n\n'
                "Open it: %(link)s\n"
            )
            % values
        )
    for user in users.order_by("pk"):
        notices.notify(
            notices.Notice(
                kind=CAMPAIGN_STEP,
                user=user,
                key=f"{CAMPAIGN_STEP}:{campaign.pk}:{step}:{user.pk}",
                subject=subject,
                body=body,
                data={k: v for k, v in values.items() if k != "link"},
                link=link,
            )
        )
        told += 1
    return told
