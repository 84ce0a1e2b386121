"""A village is not abolished by its commune's merger: it carries on under the successor."""

import datetime

from django.db.models import F, Q
from django.utils import timezone

from core.text import fold
from outreach.models import Commune, Village

BATCH = 1000
# How many merges in a row are followed when the successor itself has ended already.
_DEPTH = 5


def villages_carry_on(*, communes, _depth: int = 0) -> int:
    """Continue the villages in force of merged ``communes`` under each one's successor.

    Each such village gets a twin of the same name in the successor (from the day after the
    commune's last day; the successor's current village of that name, folded, is reused when it
    has one), and ends on the commune's last day merged into it: records made there keep the
    old village, whose ``current`` is the new one. Called by ``load_admin_units`` and by
    ``unit_merge``; run inside their transaction. Villages already carried on are not found
    again, so a second call changes nothing. Return how many villages were carried on.
    """
    old = list(
        Village.objects.filter(
            commune__in=communes,
            commune__merged_into__isnull=False,
            commune__valid_until__isnull=False,
            valid_until__isnull=True,
            merged_into__isnull=True,
        )
        # A village that began after its commune ended is a typing mistake, not a village to
        # carry: ending it before its start would break the dates rule.
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=F("commune__valid_until")))
        .select_related("commune")
        .order_by("commune_id", "pk")
    )
    if not old:
        return 0
    successors = {village.commune.merged_into_id for village in old}
    current = {
        (village.commune_id, fold(village.name)): village
        for village in Village.objects.filter(commune_id__in=successors, valid_until__isnull=True)
    }
    created = []
    for village in old:
        last_day = village.commune.valid_until
        key = (village.commune.merged_into_id, fold(village.name))
        target = current.get(key)
        if target is None:
            target = Village(
                name=village.name,
                kind=village.kind,
                commune_id=village.commune.merged_into_id,
                valid_from=last_day + datetime.timedelta(days=1),
                is_invented=village.is_invented,
            )
            current[key] = target
            created.append(target)
        village.valid_until = last_day
        village.merged_into = target
    Village.objects.bulk_create(created, batch_size=BATCH)
    now = timezone.now()
    for village in old:
        village.merged_into_id = village.merged_into.pk
        village.updated_at = now
    Village.objects.bulk_update(old, ["valid_until", "merged_into", "updated_at"], batch_size=BATCH)
    carried = len(old)
    if created and _depth < _DEPTH:
        # A successor that has ended too passes its new villages on in turn.
        ended = Commune.objects.filter(pk__in=successors, merged_into__isnull=False)
        carried += villages_carry_on(communes=ended, _depth=_depth + 1)
    return carried
