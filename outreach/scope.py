"""Who may see which rows: the one place that decides it (DESIGN.md's roles table).

A user's scope comes from their RoleAssignments in force today: office staff cover the communes of
their partnerships, a cadre their commune, a donor their partner's donations; auditors and
administrators see everything. Each app registers, for its models, the path from a row to its
commune (and, where donors may read, to its partner). A model nobody registered shows no rows to
anybody but superusers: a new model cannot leak by omission.

Every selector, admin ``get_queryset``, export and API starts from ``scoped()``.
"""

import dataclasses
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from outreach.models import Commune, Partnership, RoleAssignment

Role = RoleAssignment.Role
EVERYONE_INSIDE = frozenset({Role.OFFICE_STAFF, Role.COMMUNE_CADRE})
# How many merges deep communes that became a covered commune are followed (2025 reform).
_MERGE_DEPTH = 5


# A condition on the rows of a model, given the ids of the user's communes.
Condition = Callable[[list[int]], Q]


@dataclasses.dataclass(frozen=True)
class Rule:
    # Lookup path from the model to its Commune ("commune", "household__commune"), or a condition
    # built from the user's communes where no single path leads there; None for reference data.
    commune: str | Condition | None
    # Roles that see the rows of their communes (auditors and administrators see every row).
    roles: frozenset = EVERYONE_INSIDE
    # Lookup path from the model to the Partner whose donors may read it, if donors may.
    partner: str | None = None
    # Reference data that every role reads but only its owners change: which rows a user of
    # these roles owns, given their communes. Without it, reference data is the administrators'.
    owner: Condition | None = None


_RULES: dict[type[Model], Rule] = {}


def register(
    model: type[Model],
    *,
    commune: str | Condition | None,
    roles=EVERYONE_INSIDE,
    partner: str | None = None,
    owner: Condition | None = None,
) -> None:
    """Declare how rows of ``model`` are scoped (called by each app's scope module)."""
    _RULES[model] = Rule(commune=commune, roles=frozenset(roles), partner=partner, owner=owner)


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
    if partnerships or communes:
        communes = _covered_communes(partnerships, sorted(communes))
    if getattr(user, "is_authenticated", False):
        user._bacung_communes = sorted(communes)
    return sorted(communes)


def _covered_communes(partnerships: list[int], communes: list[int]) -> set[int]:
    """Return the partnerships' communes, ``communes`` and the communes merged into any of them
    (up to ``_MERGE_DEPTH`` merges deep), in one query: a recursive common table expression,
    which SQLite and PostgreSQL both run. Only the models' table names are put in the text; the
    ids are parameters."""
    quote = connection.ops.quote_name
    commune, partnership = quote(Commune._meta.db_table), quote(Partnership._meta.db_table)
    # An empty list matches nothing: IN (NULL).
    in_partnerships = ", ".join(["%s"] * len(partnerships)) or "NULL"
    in_communes = ", ".join(["%s"] * len(communes)) or "NULL"
    sql = (
        "WITH RECURSIVE covered(id, depth) AS ("  # noqa: S608
        f" SELECT commune_id, 0 FROM {partnership} WHERE id IN ({in_partnerships})"
        f" UNION SELECT id, 0 FROM {commune} WHERE id IN ({in_communes})"
        f" UNION SELECT c.id, covered.depth + 1 FROM {commune} c"
        " JOIN covered ON c.merged_into_id = covered.id WHERE covered.depth < %s"
        ") SELECT DISTINCT id FROM covered"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*partnerships, *communes, _MERGE_DEPTH])
        return {row[0] for row in cursor.fetchall()}


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
        condition |= _in_communes(rule, communes_for(user))
    if rule.partner and Role.DONOR in roles:
        condition |= Q(**{f"{rule.partner}__in": partners_for(user)})
    return queryset.filter(condition)


def _in_communes(rule: Rule, communes: list[int]) -> Q:
    if callable(rule.commune):
        return rule.commune(communes)
    path = "pk" if rule.commune == "pk" else f"{rule.commune}_id"
    return Q(**{f"{path}__in": communes})


def writable(queryset: QuerySet, user) -> QuerySet:
    """Cut ``queryset`` down to the rows ``user`` may change (DESIGN.md's roles table).

    The rows of their communes, for the roles that work there; of the reference data, only what
    the user owns (a partner that gives to their partnerships alone); the rest of the reference
    data (provinces, districts) and everything for auditors and donors: nothing. Whether the
    role may change that kind of row at all is its group's model permissions.
    """
    roles = roles_of(user)
    if Role.ADMINISTRATOR in roles:
        return queryset
    rule = rule_for(queryset.model)
    if rule is None or not roles & rule.roles:
        return queryset.none()
    if rule.commune is None:
        if rule.owner is None:
            return queryset.none()
        return queryset.filter(rule.owner(communes_for(user)))
    return queryset.filter(_in_communes(rule, communes_for(user)))


def may_create(model: type[Model], user) -> bool:
    """Say whether ``user`` may make new rows of ``model`` somewhere in their scope.

    A new unit of scope itself (a commune) or shared reference data (a province) would be
    nobody's: they are the administrators'. Models without a rule follow their permissions.
    """
    roles = roles_of(user)
    rule = rule_for(model)
    if Role.ADMINISTRATOR in roles or rule is None:
        return True
    if not roles & rule.roles:
        return False
    if rule.commune is None:
        return rule.owner is not None
    return rule.commune != "pk"


def _pks(objects: Iterable) -> dict[type[Model], set]:
    found: dict[type[Model], set] = {}
    for obj in objects:
        if obj is not None and obj.pk is not None and rule_for(type(obj)) is not None:
            found.setdefault(type(obj), set()).add(obj.pk)
    return found


def require_in_scope(actor, obj: Model | None = None, **related) -> None:
    """Refuse a write that reaches outside ``actor``'s scope (every write service calls it).

    ``obj`` is the row being written: a saved row must be one ``actor`` may change
    (``writable``), and each foreign key it is given (all of a new row's, the changed ones of a
    saved row) must point at a row ``actor`` may see (``scoped``). ``related`` names further rows
    the write reaches (``villages=[…]``, ``household=…``), which must be visible too. Models
    without a rule (users, jobs) are not checked. The system (``actor=None``: commands, tasks,
    the demo) is not refused. The message names no record: the ids of others leak nothing.
    """
    if actor is None:
        return
    targets: dict[str, list] = {}
    if obj is not None:
        model = type(obj)
        fields = [
            field
            for field in model._meta.concrete_fields
            if field.is_relation and rule_for(field.related_model) is not None
        ]
        before = None
        if obj.pk is not None and not obj._state.adding:
            # One query: the row as stored, if the actor may change it.
            rows = model._base_manager.filter(pk=obj.pk)
            if rule_for(model) is not None:
                rows = writable(rows, actor)
            before = rows.values("pk", *(field.attname for field in fields)).first()
            if before is None and rule_for(model) is not None:
                raise ValidationError(_("This record is outside your communes: it cannot change."))
        for field in fields:
            value = getattr(obj, field.attname)
            if value is None or (before is not None and before[field.attname] == value):
                continue
            targets[field.name] = [field.related_model(pk=value)]
    for name, value in related.items():
        if isinstance(value, Model) or value is None:
            value = [value]
        targets[name] = list(value)
    for name, objects in targets.items():
        for model, pks in _pks(objects).items():
            seen = scoped(model._default_manager.filter(pk__in=pks), actor).count()
            if seen != len(pks):
                raise ValidationError(
                    {
                        name: _("This %(what)s is outside your communes.")
                        % {"what": model._meta.verbose_name}
                    }
                )


def _partner_owned(path: str) -> Condition:
    """Rows whose partner (``path``) gives to, or runs, partnerships of these communes alone.

    A partner belongs to the partnerships it gave to (its donations) and those it runs (the
    office); one it shares with another partnership is the administrators' to change, and its
    shared report would show the other partnership's money. A partner nobody uses yet (just
    entered) is any office's.
    """

    def condition(communes: list[int]) -> Q:
        from outreach.models import Donation

        given = Donation.objects.exclude(partnership__commune_id__in=communes)
        run = Partnership.objects.exclude(commune_id__in=communes)
        return ~Q(**{f"{path}__in": given.values("partner_id")}) & ~Q(
            **{f"{path}__in": run.values("office_id")}
        )

    return condition


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

    for reference in (Province, District):
        register(reference, commune=None)
    # Every role reads the partners; staff change those that are their partnerships' alone.
    register(Partner, commune=None, owner=_partner_owned("pk"))
    # A link shows all of one partner's money: for the staff who own the partner.
    register(ReportLink, commune=_partner_owned("partner"), roles={Role.OFFICE_STAFF})
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
