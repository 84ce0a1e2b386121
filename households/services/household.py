"""Writes to households and their members (the search text they are found by is built in
``households.search``)."""

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
    "has_disability",
    "disability_note",
    "national_id",
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
    """Change a household's own fields (not its status: that comes from reviews)."""
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
