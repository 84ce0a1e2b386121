"""Who may see which rows: the one place that decides it (DESIGN.md's roles table).

A user's scope comes from their RoleAssignments in force today: office staff cover the communes of
their partnerships, a cadre their commune, a donor their partner's donations; auditors and
administrators see everything. Each app registers, for its models, the path from a row to its
commune (and, where donors may read, to its partner). A model nobody registered shows no rows to
anybody but superusers: a new model cannot leak by omission.

Every selector, admin ``get_queryset``, export and API starts from ``scoped()``.
"""

import dataclasses

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from outreach.models import Commune, Partnership, RoleAssignment

Role = RoleAssignment.Role
EVERYONE_INSIDE = frozenset({Role.OFFICE_STAFF, Role.COMMUNE_CADRE})
# How many merges deep communes that became a covered commune are followed (2025 reform).
_MERGE_DEPTH = 5


@dataclasses.dataclass(frozen=True)
class Rule:
    # Lookup path from the model to its Commune ("commune", "household__commune").
    commune: str | None
    # Roles that see the rows of their communes (auditors and administrators see every row).
    roles: frozenset = EVERYONE_INSIDE
    # Lookup path from the model to the Partner whose donors may read it, if donors may.
    partner: str | None = None


_RULES: dict[type[Model], Rule] = {}


def register(
    model: type[Model],
    *,
    commune: str | None,
    roles=EVERYONE_INSIDE,
    partner: str | None = None,
) -> None:
    """Declare how rows of ``model`` are scoped (called by each app's scope module)."""
    _RULES[model] = Rule(commune=commune, roles=frozenset(roles), partner=partner)


def rule_for(model: type[Model]) -> Rule | None:
    return _RULES.get(model)


def assignments_in_force(user) -> list[RoleAssignment]:
    """Return the user's role assignments valid today (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_bacung_assignments", None)
    if cached is None:
        today = timezone.localdate()
        cached = list(
            RoleAssignment.objects.filter(user=user).filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=today)
            )
        )
        user._bacung_assignments = cached
    return cached


def roles_of(user) -> set[str]:
    """Return the roles the user holds today."""
    roles = {assignment.role for assignment in assignments_in_force(user)}
    if getattr(user, "is_superuser", False) and user.is_active:
        roles.add(Role.ADMINISTRATOR)
    return roles


def communes_for(user) -> list[int]:
    """Return the ids of the communes whose records ``user`` may see (not for auditors and
    administrators, who see all: ``scoped`` does not ask).

    Communes merged into a covered commune are covered too: their old records roll up under
    today's unit. The ids are worked out once per request and given to the database as
    constants, so that it picks the (commune, …) indexes of the big tables.
    """
    cached = getattr(user, "_bacung_communes", None)
    if cached is not None:
        return cached
    partnerships, communes = [], set()
    for assignment in assignments_in_force(user):
        if assignment.role == Role.OFFICE_STAFF and assignment.partnership_id:
            partnerships.append(assignment.partnership_id)
        elif assignment.role == Role.COMMUNE_CADRE and assignment.commune_id:
            communes.add(assignment.commune_id)
    if partnerships:
        communes |= set(
            Partnership.objects.filter(pk__in=partnerships).values_list("commune_id", flat=True)
        )
    frontier = set(communes)
    for _depth in range(_MERGE_DEPTH):
        if not frontier:
            break
        frontier = (
            set(Commune.objects.filter(merged_into__in=frontier).values_list("pk", flat=True))
            - communes
        )
        communes |= frontier
    if getattr(user, "is_authenticated", False):
        user._bacung_communes = sorted(communes)
    return sorted(communes)


def partners_for(user) -> list[int]:
    """Return the ids of the partners whose donors ``user`` speaks for."""
    return [
        a.partner_id
        for a in assignments_in_force(user)
        if a.role == Role.DONOR and a.partner_id is not None
    ]


def scoped(queryset: QuerySet, user) -> QuerySet:
    """Cut ``queryset`` down to the rows ``user`` may see."""
    roles = roles_of(user)
    if roles & {Role.ADMINISTRATOR, Role.AUDITOR}:
        return queryset
    rule = rule_for(queryset.model)
    if rule is None:
        return queryset.none()
    condition = Q(pk__in=[])
    if roles & rule.roles:
        if rule.commune is None:
            # Reference data (provinces, partners): readable by every role that may read it.
            return queryset
        path = "pk" if rule.commune == "pk" else f"{rule.commune}_id"
        condition |= Q(**{f"{path}__in": communes_for(user)})
    if rule.partner and Role.DONOR in roles:
        condition |= Q(**{f"{rule.partner}__in": partners_for(user)})
    return queryset.filter(condition)


def _register_own_models() -> None:
    from outreach.models import (
        District,
        Donation,
        Partner,
        Partnership,
        Province,
        ReportLink,
        Village,
    )

    for reference in (Province, District, Partner):
        register(reference, commune=None)
    register(ReportLink, commune=None, roles={Role.OFFICE_STAFF})
    register(Commune, commune="pk")
    register(Village, commune="commune")
    register(Partnership, commune="commune")
    # Money: office staff of the partnership, and the donor who gave it.
    register(
        Donation,
        commune="partnership__commune",
        roles={Role.OFFICE_STAFF},
        partner="partner",
    )


_register_own_models()
