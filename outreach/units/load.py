"""Load the official units (outreach.units.source) into the map, matched by code only.

A unit is one row per (level, code list, code): the 2025 list reuses codes of the list before
(the new Tri Phú has the old Tri Phú's 02359), so both are kept. The whole load is a fixed number
of queries whatever the number of units (bulk inserts and updates in batches, no per-row
``full_clean``: ``source.check`` checks the data once), and a second run writes nothing.
"""

import dataclasses
import datetime
import difflib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.services import service, set_changed
from core.text import fold
from outreach.models import CodeList, Commune, District, Province
from outreach.units.addresses import forget_addresses
from outreach.units.source import Source, read_source
from outreach.units.villages import villages_carry_on

FIRST_DAY = datetime.date(2025, 7, 1)
LAST_DAY = datetime.date(2025, 6, 30)
BATCH = 1000
NEW, OLD = CodeList.FROM_2025.value, CodeList.BEFORE_2025.value

LEVELS = {
    "province": gettext_lazy("Provinces"),
    "district": gettext_lazy("Districts"),
    "commune": gettext_lazy("Communes"),
}
# What a province's name may be written with ("Tỉnh Tuyên Quang", "TP. Hồ Chí Minh").
_PROVINCE_WORDS = ("tinh ", "thanh pho ", "tp. ", "tp.", "tp ")


@dataclasses.dataclass
class LevelCount:
    level: str
    code_list: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def label(self) -> str:
        return str(LEVELS[self.level])

    @property
    def list_label(self) -> str:
        return str(CodeList(self.code_list).label)


@dataclasses.dataclass
class UnitsLoadReport:
    version: str
    province: str | None
    counts: list[LevelCount]
    villages_carried: int = 0

    def of(self, level: str, code_list: str) -> LevelCount:
        return next(c for c in self.counts if (c.level, c.code_list) == (level, code_list))

    @property
    def created(self) -> int:
        return sum(c.created for c in self.counts)

    @property
    def updated(self) -> int:
        return sum(c.updated for c in self.counts)


def province_code_for(value: str, *, source: Source | None = None) -> str:
    """Return the code of the 2025 province that ``value`` names: its code, its name (folded,
    with or without "Tỉnh"/"Thành phố"), or an old province's name or code (the new province it
    became). Raise ``ValidationError`` naming the closest names when none matches."""
    source = source or read_source()
    text = (value or "").strip()
    if text.isdigit():
        code = text.zfill(2)
        if code in source.new.provinces:
            return code
        if code in source.old.provinces:
            return source.old.provinces[code].merged_into
    folded = fold(text)
    for word in _PROVINCE_WORDS:
        if folded.startswith(word):
            folded = folded[len(word) :].strip()
            break
    new = {fold(p.name): p.code for p in source.new.provinces.values()}
    old = {fold(p.name): p.merged_into for p in source.old.provinces.values()}
    if folded in new or folded in old:
        return new.get(folded) or old[folded]
    names = {fold(p.name): p.name for p in source.new.provinces.values()}
    names.update({fold(p.name): p.name for p in source.old.provinces.values()})
    close = [names[n] for n in difflib.get_close_matches(folded, list(names), n=5, cutoff=0.6)]
    if close:
        raise ValidationError(
            _("No province is called “%(name)s”. Close names: %(names)s."),
            code="unknown_province",
            params={"name": text, "names": ", ".join(close)},
        )
    raise ValidationError(
        _("No province is called “%(name)s”. Give its name or its official code."),
        code="unknown_province",
        params={"name": text},
    )


@dataclasses.dataclass
class _Scope:
    """The codes one load covers, by list and level."""

    new_provinces: set[str]
    old_provinces: set[str]
    old_districts: set[str]
    new_communes: set[str]
    old_communes: set[str]
    whole: bool


def _scope(source: Source, province: str | None) -> _Scope:
    if province is None:
        return _Scope(
            set(source.new.provinces),
            set(source.old.provinces),
            set(source.old.districts),
            set(source.new.communes),
            set(source.old.communes),
            whole=True,
        )
    olds = {p.code for p in source.old.provinces.values() if p.merged_into == province}
    return _Scope(
        {province},
        olds,
        {d.code for d in source.old.districts.values() if d.province in olds},
        {c.code for c in source.new.communes.values() if c.province == province},
        {c.code for c in source.old.communes.values() if c.province in olds},
        whole=False,
    )


def _fetch(model, scope: _Scope, new_codes: set[str], old_codes: set[str]) -> list:
    """One query: the level's rows of both lists in scope, and the hand-typed units with a code
    that may be adopted."""
    if scope.whole:
        condition = Q(code_list__in=[NEW, OLD]) | (Q(code_list="") & ~Q(code=""))
    else:
        condition = (
            Q(code_list=NEW, code__in=new_codes)
            | Q(code_list=OLD, code__in=old_codes)
            | Q(code_list="", code__in=new_codes | old_codes)
        )
    return list(model.objects.filter(condition).order_by("pk"))


class _Level:
    """The rows of one level as found, split by list; the hand-typed ones each list adopts."""

    def __init__(self, rows: list, new_codes: set[str], old_codes: set[str]):
        self.new = {u.code: u for u in rows if u.code_list == NEW}
        self.old = {u.code: u for u in rows if u.code_list == OLD}
        self.adopted: set[int] = set()
        self.ended: list = []
        for unit in rows:
            if unit.code_list:
                continue
            # A unit typed before the reform is the old list's; one that began on or after
            # 01/07/2025 the new list's. The first one typed wins; any other stays as it is.
            before = unit.valid_from is None or unit.valid_from < FIRST_DAY
            if before and unit.code in old_codes and unit.code not in self.old:
                unit.code_list = OLD
                self.old[unit.code] = unit
                if unit.valid_until != LAST_DAY:
                    unit.valid_until = LAST_DAY
                    self.ended.append(unit)
            elif not before and unit.code in new_codes and unit.code not in self.new:
                unit.code_list = NEW
                self.new[unit.code] = unit
            else:
                continue
            self.adopted.add(unit.pk)


def _upsert(model, code_list: str, wanted: dict, found: dict, level: _Level, count, now) -> None:
    """Create what is missing, update what differs (one bulk update), leave the rest alone.

    ``wanted`` maps each code to the row's official values (foreign keys by id); ``found`` is
    the list's rows by code, to which the created ones are added.
    """
    create, update, fields = [], [], set()
    for code, values in wanted.items():
        unit = found.get(code)
        if unit is None:
            create.append(model(code=code, code_list=code_list, **values))
            continue
        values = dict(values)
        if "note" in values and unit.note:
            # A note someone wrote stays; the loader only fills a blank one.
            del values["note"]
        changed = set_changed(unit, values)
        if unit.pk in level.adopted:
            changed += ["code_list", "valid_until"]
        if changed:
            fields.update(model._meta.get_field(name).name for name in changed)
            unit.updated_at = now
            update.append(unit)
            count.updated += 1
        else:
            count.unchanged += 1
    if update:
        model.objects.bulk_update(update, [*sorted(fields), "updated_at"], batch_size=BATCH)
    if create:
        for unit in model.objects.bulk_create(create, batch_size=BATCH):
            found[unit.code] = unit
        count.created += len(create)


def _refuse_name_clashes(model, parent: str | None, wanted: dict, found: dict) -> None:
    """Refuse, before writing, a current unit typed by hand (without the official code) that
    has the name of a 2025 unit about to be created or renamed: the database allows one
    current unit of a name per parent."""
    names = {
        (values.get(parent) if parent else None, values["name"])
        for code, values in wanted.items()
        if code not in found or found[code].name != values["name"]
    }
    if not names:
        return
    rows = model.objects.filter(name__in={name for _p, name in names}, valid_until__isnull=True)
    if parent:
        rows = rows.filter(**{f"{parent}__in": {p for p, _name in names}})
    keep = {u.pk for u in found.values()}
    clashes = [
        u
        for u in rows.order_by("pk")
        if u.pk not in keep and (getattr(u, parent) if parent else None, u.name) in names
    ][:10]
    if clashes:
        raise ValidationError(
            _(
                "These units typed by hand have the name of an official unit of 2025: "
                "%(names)s. Give each its official code, or end it, then load again; "
                "nothing was loaded."
            ),
            code="name_clash",
            params={"names": ", ".join(f"{u.name} (#{u.pk})" for u in clashes)},
        )


def _district_note(source: Source, code: str) -> str:
    became = source.old.districts[code].became
    if became:
        zone = source.new.communes[became]
        return _(
            "The district level ended on 01/07/2025; this island district became the special "
            "zone %(name)s."
        ) % {"name": zone.name}
    return _("The district level ended on 01/07/2025; its communes came under the province.")


@service
def admin_units_load(*, province: str | None = None) -> UnitsLoadReport:
    """Load the official units of both lists, or of one 2025 province and its history.

    ``province`` is a name or code (``province_code_for``). Units are matched by (code list,
    code) only; a hand-typed unit with a list's code is adopted (see ``_Level``); units without a
    code, and the records pointing at any unit, are never touched. Return what was done.
    """
    source = read_source()
    code = province_code_for(province, source=source) if province else None
    scope = _scope(source, code)
    now = timezone.now()
    counts = {
        key: LevelCount(*key)
        for key in [
            ("province", NEW),
            ("province", OLD),
            ("district", OLD),
            ("commune", NEW),
            ("commune", OLD),
        ]
    }
    provinces = _Level(
        _fetch(Province, scope, scope.new_provinces, scope.old_provinces),
        scope.new_provinces,
        scope.old_provinces,
    )
    districts = _Level(
        _fetch(District, scope, set(), scope.old_districts), set(), scope.old_districts
    )
    communes = _Level(
        _fetch(Commune, scope, scope.new_communes, scope.old_communes),
        scope.new_communes,
        scope.old_communes,
    )
    # Units typed before the reform end first, so that the new units may take their names.
    for model, level in ((Province, provinces), (District, districts), (Commune, communes)):
        for unit in level.ended:
            unit.updated_at = now
        if level.ended:
            model.objects.bulk_update(
                level.ended, ["code_list", "valid_until", "updated_at"], batch_size=BATCH
            )

    # Store the notes in the site's language, whoever runs the command.
    with translation.override(settings.LANGUAGE_CODE):
        new_provinces = {
            c: {
                "name": source.new.provinces[c].name,
                "kind": source.new.provinces[c].kind,
                "valid_from": FIRST_DAY,
                "valid_until": None,
                "merged_into_id": None,
            }
            for c in sorted(scope.new_provinces)
        }
        _refuse_name_clashes(Province, None, new_provinces, provinces.new)
        _upsert(
            Province, NEW, new_provinces, provinces.new, provinces, counts["province", NEW], now
        )

        old_provinces = {
            c: {
                "name": source.old.provinces[c].name,
                "kind": source.old.provinces[c].kind,
                "valid_until": LAST_DAY,
                "merged_into_id": provinces.new[source.old.provinces[c].merged_into].pk,
            }
            for c in sorted(scope.old_provinces)
        }
        _upsert(
            Province, OLD, old_provinces, provinces.old, provinces, counts["province", OLD], now
        )

        old_districts = {
            c: {
                "name": source.old.districts[c].name,
                "kind": source.old.districts[c].kind,
                "province_id": provinces.old[source.old.districts[c].province].pk,
                "valid_until": LAST_DAY,
                "merged_into_id": None,
                "note": _district_note(source, c),
            }
            for c in sorted(scope.old_districts)
        }
        _upsert(
            District, OLD, old_districts, districts.old, districts, counts["district", OLD], now
        )

        new_communes = {
            c: {
                "name": source.new.communes[c].name,
                "kind": source.new.communes[c].kind,
                "province_id": provinces.new[source.new.communes[c].province].pk,
                "district_id": None,
                "valid_from": FIRST_DAY,
                "valid_until": None,
                "merged_into_id": None,
            }
            for c in sorted(scope.new_communes)
        }
        _refuse_name_clashes(Commune, "province_id", new_communes, communes.new)
        _upsert(Commune, NEW, new_communes, communes.new, communes, counts["commune", NEW], now)

        old_communes = {}
        for c in sorted(scope.old_communes):
            record = source.old.communes[c]
            old_communes[c] = {
                "name": record.name,
                "kind": record.kind,
                "province_id": provinces.old[record.province].pk,
                "district_id": districts.old[record.district].pk,
                "valid_until": LAST_DAY,
                "merged_into_id": communes.new[record.merged_into].pk,
            }
        _upsert(Commune, OLD, old_communes, communes.old, communes, counts["commune", OLD], now)

    _link_split_communes(source, scope, communes)
    old_in_scope = Commune.objects.filter(code_list=OLD, merged_into__isnull=False)
    if not scope.whole:
        old_in_scope = old_in_scope.filter(code__in=scope.old_communes)
    carried = villages_carry_on(communes=old_in_scope)
    forget_addresses()
    return UnitsLoadReport(
        version=source.version,
        province=source.new.provinces[code].name if code else None,
        counts=list(counts.values()),
        villages_carried=carried,
    )


def _link_split_communes(source: Source, scope: _Scope, communes: _Level) -> None:
    """Make each split old commune's ``also_merged_into`` the data's other successors: one
    query to read the links, at most one to add and one to remove."""
    through = Commune.also_merged_into.through
    links = through.objects.filter(from_commune__code_list=OLD)
    if not scope.whole:
        links = links.filter(from_commune__code__in=scope.old_communes)
    have = {(f, t): pk for pk, f, t in links.values_list("pk", "from_commune_id", "to_commune_id")}
    want = {
        (communes.old[c].pk, communes.new[other].pk)
        for c in scope.old_communes
        for other in source.old.communes[c].also_merged_into
    }
    missing = [through(from_commune_id=f, to_commune_id=t) for f, t in sorted(want - set(have))]
    if missing:
        through.objects.bulk_create(missing, batch_size=BATCH)
    extra = [pk for pair, pk in have.items() if pair not in want]
    if extra:
        through.objects.filter(pk__in=extra).delete()
