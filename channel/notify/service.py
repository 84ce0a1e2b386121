"""The one way to send a notice to a person: ``notice_send``.

The caller names the notice (its kind and key), the person (a user, or a household) and the
data; this records the notice with where it goes (the person's mobile number, e-mail, Zalo
follower and preferred channel, as they are now) and queues its delivery once the transaction
commits (channel.notify.engine picks the channel). A second notice with the same key is the
same notice: nothing is sent twice, however often the caller runs.
"""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from channel.models import Notice, NoticeKind, NotifyPreference, SiteProfile
from channel.notify import tasks
from core import notices
from core.phones import normalise_phone
from core.services import actor_or_none
from households.models import Household, Member


def verify_url() -> str:
    """Return the public page where anyone checks a message's code."""
    return settings.SITE_URL + reverse("verify")


def footer(code: str) -> str:
    """Return what closes every official message: its code and the warning against scams."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Code %(code)s: check it at %(url)s. The office never asks for money by message."
        ) % {"code": code, "url": verify_url()}


def office_name() -> str:
    """Return the office's name as its messages sign it (the site profile's)."""
    profile = SiteProfile.objects.filter(pk=SiteProfile.PK).only("office_name").first()
    return profile.office_name if profile and profile.office_name else _("The office")


def _household_phone(household: Household) -> tuple[str, Member | None]:
    """Return the number a household's messages go to, and the member it belongs to: the
    household's own number, else the head's, else the first member's that has one."""
    if household.phone:
        try:
            return normalise_phone(household.phone), None
        except ValidationError:
            pass  # an old landline or a typo kept as typed: try the members'
    members = sorted(
        (member for member in household.members.exclude(phone="")),
        key=lambda member: (member.relation != Member.Relation.HEAD, member.pk),
    )
    for member in members:
        try:
            return normalise_phone(member.phone), member
        except ValidationError:
            continue
    return "", None


def _user_address(user) -> tuple[str, str, str]:
    preference = NotifyPreference.objects.filter(user=user).first()
    if preference is None:
        return "", user.email, ""
    return preference.phone, user.email, preference.channel


def notice_text(notice: Notice, *, text: str = "") -> str:
    """Return the short text of ``notice``: ``text``, or its kind's template (notify/<kind>.txt)
    filled with its data, on one line, and the footer with its code (in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        if not text:
            context = {
                "office": office_name(),
                **notice.data,
                "link": notice.link,
                "code": notice.short_code,
            }
            text = render_to_string(f"notify/{notice.kind}.txt", context).strip()
        return f"{' '.join(text.split())}\n{footer(notice.short_code)}"


@transaction.atomic
def notice_send(
    *,
    actor=None,
    kind: str,
    key: str,
    user=None,
    household: Household | None = None,
    data: dict | None = None,
    text: str = "",
    subject: str = "",
    email_body: str = "",
    link: str = "",
    receipt=None,
    concern=None,
    zalo_user_id: str = "",
    quiet_hours: bool = True,
    preferred: str = "",
) -> Notice:
    """Record a notice to ``user`` or ``household`` and queue its delivery; return it.

    ``text`` is the short message (rendered from ``notify/<kind>.txt`` with ``data`` when not
    given); the footer with the notice's code is added to it. ``key`` names the notice: a
    notice already recorded under it is returned as it is, and nothing is queued again.
    """
    if (user is None) == (household is None):
        raise ValidationError(_("A notice goes to one user or one household."))
    if kind not in NoticeKind.values:
        raise ValidationError(_("Unknown notice: %(kind)s") % {"kind": kind})
    existing = Notice.objects.filter(key=key).first()
    if existing is not None:
        return existing
    data = dict(data or {})
    member = None
    if user is not None:
        phone, email, chosen = _user_address(user)
    else:
        (phone, member), email, chosen = _household_phone(household), "", ""
    notice = Notice(
        kind=kind,
        key=key,
        user=user,
        household=household,
        member=member,
        phone=phone,
        email=email,
        preferred=preferred or chosen,
        subject=subject,
        data=data,
        link=link,
        receipt=receipt,
        concern=concern,
        zalo_user_id=zalo_user_id,
        quiet_hours=quiet_hours,
        created_by=actor_or_none(actor),
    )
    notice.text = notice_text(notice, text=text)
    with translation.override(settings.LANGUAGE_CODE):
        if email_body:
            notice.email_body = f"{email_body.rstrip()}\n\n-- \n{footer(notice.short_code)}\n"
    notice.full_clean()
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        # Another worker recorded the same notice meanwhile: theirs is the one.
        return Notice.objects.get(key=key)
    transaction.on_commit(functools.partial(tasks.notice_deliver_task.delay, notice.pk))
    return notice


def send_core_notice(notice: notices.Notice) -> Notice:
    """Deliver a notice named by an app below the channel (core.notices): to its user."""
    return notice_send(
        kind=notice.kind,
        key=notice.key,
        user=notice.user,
        data=notice.data,
        subject=notice.subject,
        email_body=notice.body,
        link=notice.link,
    )
