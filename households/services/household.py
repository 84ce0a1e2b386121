"""Writes to households and their members (the search text they are found by is built in
``households.search``), and the flag that says a family is in difficulty."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import model_update, service
from households.models import Household, Member
from outreach.models import Village
from outreach.scope import require_in_scope

HOUSEHOLD_EDITABLE = (
    "village",
    "code",
    "head_name",
    "address",
    "phone",
    "housing_condition",
    "notes",
)
MEMBER_EDITABLE = (
    "full_name",
    "sex",
    "birth_year",
    "relation",
    "ethnicity",
    "phone",
    "has_disability",
    "disability_note",
    "national_id",
    "policy_category",
    "policy_relation",
)


@service
def household_create(
    *,
    actor,
    village: Village,
    code: str,
    head_name: str,
    address: str = "",
    phone: str = "",
    housing_condition: str = "",
    notes: str = "",
) -> Household:
    """Register a household in a village; its code must be new in the commune."""
    household = Household(
        commune_id=village.commune_id,
        village=village,
        code=code.strip(),
        head_name=" ".join(head_name.split()),
        address=address,
        phone=phone,
        housing_condition=housing_condition,
        notes=notes,
        created_by=actor,
    )
    require_in_scope(actor, household)
    household.full_clean()
    household.save()
    return household


@service
def household_update(*, actor, household: Household, **fields) -> Household:
    """Change a household's own fields (not its classification: that comes from commune
    decisions; nor its difficulty flag: ``household_difficulty_set``)."""
    unknown = set(fields) - set(HOUSEHOLD_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    require_in_scope(actor, household, village=fields.get("village"))
    household = Household.objects.select_for_update().get(pk=household.pk)
    # The search column follows the code and the names (households.signals).
    model_update(household, fields, fields=HOUSEHOLD_EDITABLE, also_save=["search_text"])
    return household


@service
def household_archive(*, actor, household: Household, archived: bool = True) -> Household:
    """Archive (or restore) a household: it leaves the lists but nothing about it is lost."""
    require_in_scope(actor, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    household.archived = archived
    household.archived_at = timezone.now() if archived else None
    household.save(update_fields=["archived", "archived_at", "updated_at"])
    return household


@service
def member_add(*, actor, household: Household, **fields) -> Member:
    """Add a person to a household."""
    unknown = set(fields) - set(MEMBER_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    member = Member(household=household, **fields)
    require_in_scope(actor, member)
    member.full_clean()
    member.save()
    return member


@service
def member_update(*, actor, member: Member, **fields) -> Member:
    """Change a member's details."""
    unknown = set(fields) - set(MEMBER_EDITABLE)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    require_in_scope(actor, member)
    member = Member.objects.select_for_update().get(pk=member.pk)
    model_update(member, fields, fields=MEMBER_EDITABLE)
    return member


def _locked_for_difficulty(actor, household: Household) -> Household:
    require_in_scope(actor, household)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.archived:
        raise ValidationError(_("An archived household cannot be changed."))
    return household


@service
def household_difficulty_set(
    *, actor, household: Household, reason: str, since: datetime.date
) -> Household:
    """Record that a family is in difficulty since ``since`` and why (or change the reason and
    the date of a family already in difficulty)."""
    household = _locked_for_difficulty(actor, household)
    reason = " ".join((reason or "").split())
    errors = {}
    limit = Household._meta.get_field("difficulty_reason").max_length
    if not reason:
        errors["reason"] = _("Say why the family is in difficulty.")
    elif len(reason) > limit:
        errors["reason"] = _("Say it in at most %(limit)d characters.") % {"limit": limit}
    if since is None:
        errors["since"] = _("Say since when the family is in difficulty.")
    elif since > timezone.localdate():
        errors["since"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    household.in_difficulty = True
    household.difficulty_reason = reason
    household.difficulty_since = since
    household.save(
        update_fields=["in_difficulty", "difficulty_reason", "difficulty_since", "updated_at"]
    )
    return household


@service
def household_difficulty_clear(*, actor, household: Household) -> Household:
    """Record that a family is no longer in difficulty (the history keeps when and why it was)."""
    household = _locked_for_difficulty(actor, household)
    if not household.in_difficulty:
        raise ValidationError(_("This family is not recorded as in difficulty."))
    household.in_difficulty = False
    household.difficulty_reason = ""
    household.difficulty_since = None
    household.save(
        update_fields=["in_difficulty", "difficulty_reason", "difficulty_since", "updated_at"]
    )
    return household
