"""Writes to the partnership's ground: the map, partners and donations."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.services import service
from outreach.models import (
    AdministrativeUnit,
    Commune,
    Donation,
    Partner,
    Partnership,
    ReportLink,
    RoleAssignment,
)
from outreach.scope import require_in_scope
from outreach.units.villages import villages_carry_on

# What recording or changing a donation sets (its forms and admin show these, in this order).
DONATION_FIELDS = (
    "partnership",
    "partner",
    "kind",
    "received_on",
    "value_vnd",
    "goods_description",
    "goods_quantity",
    "goods_unit",
    "reference",
    "note",
)


@service
def unit_merge(
    *, actor, unit: AdministrativeUnit, into: AdministrativeUnit, last_day: datetime.date
) -> AdministrativeUnit:
    """Record that ``unit`` ceased on ``last_day`` and became part of ``into``.

    Records made in ``unit`` keep pointing at it; ``unit.current`` now answers ``into``. A
    commune's villages carry on under ``into`` (``villages_carry_on``, as the loader does).
    """
    if type(unit) is not type(into):
        raise ValidationError(_("A unit can only be merged into a unit of the same level."))
    if unit.pk == into.pk:
        raise ValidationError(_("A unit cannot be merged into itself."))
    require_in_scope(actor, unit, merged_into=into)
    unit = type(unit).objects.select_for_update().get(pk=unit.pk)
    into = type(into).objects.get(pk=into.pk)
    if into.current.pk == unit.pk:
        raise ValidationError(_("This merge would make a circle of merged units."))
    if into.valid_until and into.valid_until <= last_day:
        raise ValidationError(_("The unit merged into must still exist after the merge."))
    unit.valid_until = last_day
    unit.merged_into = into
    unit.full_clean()
    unit.save(update_fields=["valid_until", "merged_into", "updated_at"])
    if isinstance(unit, Commune):
        villages_carry_on(communes=[unit])
    return unit


@service
def unit_end(*, actor, unit: AdministrativeUnit, last_day: datetime.date) -> AdministrativeUnit:
    """Record that ``unit`` was abolished after ``last_day`` without a successor of its level.

    This is what happened to districts on 1 July 2025: their communes stay, without a district.
    """
    require_in_scope(actor, unit)
    unit = type(unit).objects.select_for_update().get(pk=unit.pk)
    unit.valid_until = last_day
    unit.full_clean()
    unit.save(update_fields=["valid_until", "updated_at"])
    return unit


@service
def donation_record(
    *,
    actor,
    partnership: Partnership,
    partner: Partner,
    received_on: datetime.date,
    value_vnd: int,
    kind: str = Donation.Kind.CASH,
    goods_description: str = "",
    goods_quantity: int | None = None,
    goods_unit: str = "",
    reference: str = "",
    note: str = "",
) -> Donation:
    """Record money or goods a partner gave to a partnership."""
    if value_vnd is None or int(value_vnd) < 0:
        raise ValidationError({"value_vnd": _("An amount of money cannot be negative.")})
    donation = Donation(
        partnership=partnership,
        partner=partner,
        kind=kind,
        received_on=received_on,
        value_vnd=int(value_vnd),
        goods_description=goods_description,
        goods_quantity=goods_quantity,
        goods_unit=goods_unit,
        reference=reference,
        note=note,
        created_by=actor,
    )
    require_in_scope(actor, donation)
    donation.full_clean()
    donation.save()
    return donation


@service
def role_assign(
    *,
    actor,
    user,
    role: str,
    partnership: Partnership | None = None,
    commune=None,
    partner: Partner | None = None,
    valid_until: datetime.date | None = None,
) -> RoleAssignment:
    """Give ``user`` a role over a partnership, a commune or a partner; join the role's group.

    The group carries the model permissions, the assignment the scope and its end date.
    """
    from django.contrib.auth.models import Group

    assignment = RoleAssignment.objects.filter(
        user=user, role=role, partnership=partnership, commune=commune, partner=partner
    ).first()
    if assignment is None:
        assignment = RoleAssignment(
            user=user,
            role=role,
            partnership=partnership,
            commune=commune,
            partner=partner,
            valid_until=valid_until,
        )
        assignment.full_clean()
        assignment.save()
    elif assignment.valid_until != valid_until:
        assignment.valid_until = valid_until
        assignment.full_clean()
        assignment.save(update_fields=["valid_until", "updated_at"])
    group, _made = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    user.__dict__.pop("_bacung_assignments", None)
    user.__dict__.pop("_bacung_communes", None)
    return assignment


REPORT_LINK_SALT = "bacung.report-link"


def report_link_token(link: "ReportLink") -> str:
    """Return the signed token that opens ``link`` (its id, signed with the site's secret)."""
    from django.core import signing

    return signing.Signer(salt=REPORT_LINK_SALT).sign_object({"link": link.pk})


def report_link_open(token: str, *, today: datetime.date) -> "ReportLink | None":
    """Return the link a token opens, or None if forged, revoked or expired."""
    from django.core import signing

    try:
        data = signing.Signer(salt=REPORT_LINK_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    link = ReportLink.objects.select_related("partner").filter(pk=data.get("link")).first()
    if link is None or not link.works_on(today):
        return None
    return link


@service
def report_link_create(
    *, actor, partner: Partner, expires_on: datetime.date, note: str = ""
) -> "ReportLink":
    """Create a read-only link to ``partner``'s money trail, working until ``expires_on``."""
    from django.utils import timezone

    if expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("A link cannot expire in the past.")})
    link = ReportLink(partner=partner, expires_on=expires_on, note=note, created_by=actor)
    link.full_clean()
    link.save()
    # A link is the actor's once made only if its partner is theirs alone (outreach.scope): the
    # check needs the row, and refusing rolls it back.
    require_in_scope(actor, link)
    return link


@service
def report_link_revoke(*, actor, link: "ReportLink") -> "ReportLink":
    """Stop a link from working, for good."""
    from django.utils import timezone

    require_in_scope(actor, link)
    link = ReportLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at", "updated_at"])
    return link
