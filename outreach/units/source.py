"""The official units before and after the 2025 reform, read from the ``vietnamadminunits``
package (MIT, THIRD-PARTY-NOTICES.md) into plain records keyed by official code.

The package's own modules are not imported: its parser pulls in shapely, numpy and geopy, and all
that is wanted here is its two data files, ``dataset.db`` (SQLite: the 34 provinces and 3,321
communes since 01/07/2025, and the 63 provinces, 696 districts and 10,035 communes until
30/06/2025) and ``converter_2025.json`` (which old commune became which new one). The mapping is
keyed by the dataset's name keys ("tinhtuyenquang_huyenchiemhoa_xalinhphu"); both tables carry
those keys beside the codes, so they are turned into codes here and nothing further on works by
name. No database of the project is touched.
"""

import dataclasses
import functools
import importlib.metadata
import importlib.util
import json
import sqlite3
import unicodedata
from pathlib import Path

from core.text import fold
from outreach.models import UnitKind

PACKAGE = "vietnamadminunits"

# The words the official names begin with, and the kind each means, by level. A name's own word
# wins over the dataset's type column where the two disagree (a handful of rows: "Phường 5"
# typed Xã); the name is what the resolutions publish.
PROVINCE_KINDS = {"Thành phố": UnitKind.CITY, "Tỉnh": UnitKind.PROVINCE}
DISTRICT_KINDS = {
    "Huyện": UnitKind.RURAL_DISTRICT,
    "Quận": UnitKind.URBAN_DISTRICT,
    "Thị xã": UnitKind.TOWN,
    "Thành phố": UnitKind.PROVINCIAL_CITY,
}
COMMUNE_KINDS = {
    "Xã": UnitKind.COMMUNE,
    "Phường": UnitKind.WARD,
    "Thị trấn": UnitKind.TOWNSHIP,
    "Đặc khu": UnitKind.SPECIAL_ZONE,
}
NEW_COMMUNE_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE})
OLD_COMMUNE_KINDS = frozenset({UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP})


class SourceError(Exception):
    """The package's data is not what this reader expects (a newer version changed its shape)."""


@dataclasses.dataclass(frozen=True)
class ProvinceRecord:
    code: str
    name: str
    kind: str
    # Old list: the code of the new province it became.
    merged_into: str | None = None


@dataclasses.dataclass(frozen=True)
class DistrictRecord:
    code: str
    name: str
    kind: str
    province: str
    # The five island districts had no communes: each became a special zone (its code).
    became: str | None = None


@dataclasses.dataclass(frozen=True)
class CommuneRecord:
    code: str
    name: str
    kind: str
    province: str
    district: str | None = None
    # Old list: the new commune it became (the main one when it was split) and the others.
    merged_into: str | None = None
    also_merged_into: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class UnitList:
    provinces: dict[str, ProvinceRecord]
    districts: dict[str, DistrictRecord]
    communes: dict[str, CommuneRecord]


@dataclasses.dataclass(frozen=True)
class Source:
    version: str
    new: UnitList
    old: UnitList


def data_dir() -> Path:
    """Return the package's data folder, without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SourceError(f"The package {PACKAGE} is not installed (requirements.txt).")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def split_kind(full_name: str, kinds: dict[str, str], fallback: str | None) -> tuple[str, str]:
    """Return (name without the kind word, kind) of an official full name.

    "Xã Tri Phú" gives ("Tri Phú", xa). A numbered unit keeps its word ("Phường 5", "Quận 1"):
    a bare number is no name.
    """
    full_name = " ".join(unicodedata.normalize("NFC", full_name).split())
    for word, kind in kinds.items():
        head, rest = full_name[: len(word)], full_name[len(word) :]
        if fold(head) == fold(word) and rest.startswith(" "):
            rest = rest.strip()
            return (full_name if rest.isdigit() else rest), kind
    if fallback is None:
        raise SourceError(f"No kind for {full_name!r}.")
    return full_name, fallback


@functools.cache
def read_source() -> Source:
    """Read both lists and the mapping once per process; check them as a whole."""
    folder = data_dir()
    version = importlib.metadata.version(PACKAGE)
    with sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True) as db:
        new_rows = db.execute(
            "SELECT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey "
            "FROM admin_units ORDER BY provinceCode, wardCode"
        ).fetchall()
        old_rows = db.execute(
            "SELECT provinceCode, province, provinceKey, districtCode, district, districtType, "
            "districtKey, wardCode, ward, wardType, wardKey "
            "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
        ).fetchall()
    mapping = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))

    new_provinces: dict[str, ProvinceRecord] = {}
    new_communes: dict[str, CommuneRecord] = {}
    new_province_code: dict[str, str] = {}  # new province key → code
    new_commune_code: dict[tuple[str, str], str] = {}  # (new province key, ward key) → code
    for p_code, p_full, p_key, w_code, w_full, w_type, w_key in new_rows:
        if p_code not in new_provinces:
            name, kind = split_kind(p_full, PROVINCE_KINDS, None)
            new_provinces[p_code] = ProvinceRecord(code=p_code, name=name, kind=kind)
            new_province_code[p_key] = p_code
        name, kind = split_kind(w_full, COMMUNE_KINDS, COMMUNE_KINDS.get(w_type))
        if w_code in new_communes:
            raise SourceError(f"Commune code {w_code} twice in the 2025 list.")
        new_communes[w_code] = CommuneRecord(code=w_code, name=name, kind=kind, province=p_code)
        new_commune_code[(p_key, w_key)] = w_code

    # Which new province each old one joined, by key, then by code.
    old_to_new_province_key = {
        old: new for new, olds in mapping["DICT_PROVINCE"].items() for old in olds
    }
    main: dict[str, str] = {}  # old key → new commune code
    others: dict[str, list[str]] = {}
    for new_p_key, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w_key, old_keys in wards.items():
            for old_key in old_keys:
                main[old_key] = new_commune_code[(new_p_key, new_w_key)]
    for new_p_key, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            codes = [new_commune_code[(new_p_key, part["newWardKey"])] for part in parts]
            defaults = [c for c, part in zip(codes, parts, strict=True) if part["isDefaultNewWard"]]
            if len(defaults) != 1 or old_key in main:
                raise SourceError(f"No single main successor for {old_key}.")
            main[old_key] = defaults[0]
            others[old_key] = [c for c in codes if c != defaults[0]]

    old_provinces: dict[str, ProvinceRecord] = {}
    old_districts: dict[str, DistrictRecord] = {}
    old_communes: dict[str, CommuneRecord] = {}
    for row in old_rows:
        p_code, p_full, p_key, d_code, d_full, d_type, d_key, w_code, w_full, w_type, w_key = row
        if p_code not in old_provinces:
            name, kind = split_kind(p_full, PROVINCE_KINDS, None)
            successor = new_province_code[old_to_new_province_key[p_key]]
            old_provinces[p_code] = ProvinceRecord(
                code=p_code, name=name, kind=kind, merged_into=successor
            )
        if w_code is None:
            # An island district without communes: the mapping names it with an empty ward.
            name, kind = split_kind(d_full, DISTRICT_KINDS, DISTRICT_KINDS.get(d_type))
            old_districts[d_code] = DistrictRecord(
                code=d_code,
                name=name,
                kind=kind,
                province=p_code,
                became=main[f"{p_key}_{d_key}_"],
            )
            continue
        if d_code not in old_districts:
            name, kind = split_kind(d_full, DISTRICT_KINDS, DISTRICT_KINDS.get(d_type))
            old_districts[d_code] = DistrictRecord(
                code=d_code, name=name, kind=kind, province=p_code
            )
        name, kind = split_kind(w_full, COMMUNE_KINDS, COMMUNE_KINDS.get(w_type))
        old_key = f"{p_key}_{d_key}_{w_key}"
        if w_code in old_communes:
            raise SourceError(f"Commune code {w_code} twice in the list before 2025.")
        old_communes[w_code] = CommuneRecord(
            code=w_code,
            name=name,
            kind=kind,
            province=p_code,
            district=d_code,
            merged_into=main[old_key],
            also_merged_into=tuple(others.get(old_key, ())),
        )
    source = Source(
        version=version,
        new=UnitList(provinces=new_provinces, districts={}, communes=new_communes),
        old=UnitList(provinces=old_provinces, districts=old_districts, communes=old_communes),
    )
    check(source)
    return source


def check(source: Source) -> None:
    """Check the data once as a whole, instead of each row on save: what the models' rules and
    constraints would refuse, and that every old commune has its successor in the same new
    province as its old province's successor."""
    new, old = source.new, source.old
    seen_names: set[tuple[str, str]] = set()
    for commune in new.communes.values():
        # Exact names: the database's rule ("Văn Lang" and "Văn Lăng" are two communes).
        key = (commune.province, commune.name)
        if commune.kind not in NEW_COMMUNE_KINDS or key in seen_names:
            raise SourceError(f"2025 commune {commune.code} {commune.name}: kind or name twice.")
        seen_names.add(key)
    if len({p.name for p in new.provinces.values()}) != len(new.provinces):
        raise SourceError("Two 2025 provinces have the same name.")
    for commune in old.communes.values():
        successor_province = old.provinces[commune.province].merged_into
        successors = (commune.merged_into, *commune.also_merged_into)
        if commune.kind not in OLD_COMMUNE_KINDS or any(
            new.communes[code].province != successor_province for code in successors
        ):
            raise SourceError(f"Old commune {commune.code}: kind or successor province.")
        if old.districts[commune.district].province != commune.province:
            raise SourceError(f"Old commune {commune.code}: district of another province.")
    for district in old.districts.values():
        if district.became and new.communes[district.became].kind != UnitKind.SPECIAL_ZONE:
            raise SourceError(f"Island district {district.code} did not become a special zone.")
    for list_ in (new, old):
        for records in (list_.provinces, list_.districts, list_.communes):
            for record in records.values():
                if not record.name or len(record.name) > 120 or len(record.code) > 20:
                    raise SourceError(f"Unit {record.code}: name or code out of bounds.")
