"""The places a row of a commune's list names: its village (as written, without tone marks, by
code, or an old village carried on under this commune) and its commune (this one, one it was
made of, or another, named with its successor)."""

import difflib
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import fold
from outreach.models import Commune, Village


class Villages:
    """The commune's villages by name (as written, or folded) and by official code; then the
    villages of the communes merged into it, found as the village they carry on as; and the
    names of the commune itself and of the communes it was made of."""

    def __init__(self, commune: Commune):
        today = timezone.localdate()
        villages = list(Village.objects.filter(commune=commune).select_related("commune"))
        # A village still existing is preferred to an older one of the same name.
        villages.sort(key=lambda v: (v.valid_until is not None and v.valid_until < today, v.pk))
        self.exact, self.folded = {}, {}
        folded_count = Counter(fold(v.name) for v in villages if not v.valid_until)
        for village in villages:
            self.exact.setdefault(village.name.casefold(), village)
            if village.code:
                self.exact.setdefault(village.code.casefold(), village)
            name = fold(village.name)
            if folded_count.get(name, 0) <= 1:
                self.folded.setdefault(name, village)
            else:
                self.folded[name] = None  # two villages differ only by their tone marks
        # Villages carry on when their commune merges: the old one is merged into the new one.
        self.carried = {}
        for old in Village.objects.filter(merged_into__commune=commune).select_related(
            "merged_into__commune"
        ):
            self.carried.setdefault(fold(old.name), old.merged_into)
        self.commune = commune
        self.predecessors = {
            fold(unit.name): unit
            for unit in Commune.objects.filter(
                Q(merged_into=commune) | Q(also_merged_into=commune)
            ).distinct()
        }
        self.elsewhere: dict[str, Commune | None] = {}

    def find(self, name: str) -> Village:
        village = self.exact.get(name.casefold())
        if village is None:
            village = self.folded.get(fold(name), False)
            if village is None:
                raise ValidationError(
                    _("Two villages match “%(name)s”: write it with its tone marks.")
                    % {"name": name}
                )
            if village is False:
                village = self.carried.get(fold(name))
            if village is None:
                raise ValidationError(self._unknown(name))
        return village

    def _unknown(self, name: str) -> str:
        current = {fold(v.name): v.name for v in self.exact.values() if not v.valid_until}
        close = difflib.get_close_matches(fold(name), list(current), n=1, cutoff=0.6)
        message = _("The commune has no village “%(name)s”.") % {"name": name}
        if close:
            message += " " + _("Did you mean %(name)s?") % {"name": current[close[0]]}
        return message

    def look_up_communes(self, names: Iterable[str]) -> None:
        """Find, in one query, the communes named in a commune column that are neither this
        commune nor one it was made of."""
        own = {fold(self.commune.name), *self.predecessors}
        wanted = {_commune_name(n) for n in names} - set(self.elsewhere)
        wanted = {n for n in wanted if fold(n) not in own}
        if not wanted:
            return
        query = Q()
        for name in wanted:
            query |= Q(name__iexact=name)
        found: dict[str, Commune] = {}
        for unit in Commune.objects.filter(query).select_related("merged_into"):
            # A commune merged away is the one a list of old names means.
            if fold(unit.name) not in found or unit.merged_into_id:
                found[fold(unit.name)] = unit
        for name in wanted:
            self.elsewhere[name] = found.get(fold(name))

    def commune_note(self, name: str) -> str:
        """Return the note shown beside a row naming the commune ``name`` (an old commune of
        this one: the new unit beside it), or raise ``ValidationError`` naming its successor."""
        short = _commune_name(name)
        if fold(short) == fold(self.commune.name):
            return ""
        old = self.predecessors.get(fold(short))
        if old is not None:
            return _("%(old)s is now part of %(new)s.") % {"old": old.name, "new": self.commune}
        other = self.elsewhere.get(short)
        if other is not None and other.merged_into_id and other.merged_into_id != self.commune.pk:
            raise ValidationError(
                _("%(old)s merged into %(new)s: this file is for %(commune)s.")
                % {"old": other.name, "new": other.merged_into.name, "commune": self.commune}
            )
        raise ValidationError(
            _("This file is for %(commune)s, not %(name)s.")
            % {"commune": self.commune, "name": name}
        )


_COMMUNE_WORDS = ("xa ", "phuong ", "thi tran ", "dac khu ")


def _commune_name(name: str) -> str:
    """Return a commune's name without the word of its kind ("Xã Linh Phú" → "Linh Phú")."""
    text = " ".join(name.split())
    for word in _COMMUNE_WORDS:
        if fold(text).startswith(word):
            return text[len(word) :].strip()
    return text
