"""The poverty standard's arithmetic: which standard a day falls under, and how a household's
income and deprivations classify it.

The figures are data (``PovertyStandard`` rows, editable in the admin); this module only reads
them. Where there is no database to ask (a script checking the arithmetic), the definitions
shipped in ``households.standards_data`` answer.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DatabaseError

from households import standards_data

AREAS = ("rural", "urban")
POOR, NEAR_POOR, AVERAGE, NONE = "poor", "near_poor", "average", "none"


@dataclass(frozen=True)
class Definition:
    """What ``classify`` needs of a standard."""

    code: str
    valid_from: datetime.date
    valid_until: datetime.date | None
    income_line: dict[str, int]
    average_line: dict[str, int | None]
    poor_min_deprived: int
    indicators: dict[str, dict]

    def covers(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def _shipped() -> list[Definition]:
    return [
        Definition(
            code=row["code"],
            valid_from=datetime.date.fromisoformat(row["valid_from"]),
            valid_until=(
                datetime.date.fromisoformat(row["valid_until"]) if row["valid_until"] else None
            ),
            income_line={area: row[f"income_line_{area}_vnd"] for area in AREAS},
            average_line={area: row[f"average_line_{area}_vnd"] for area in AREAS},
            poor_min_deprived=row["poor_min_deprived"],
            indicators={code: standards_data.INDICATORS[code][2] for code in row["indicators"]},
        )
        for row in standards_data.STANDARDS
    ]


def from_row(standard) -> Definition:
    """Return the definition of a ``PovertyStandard`` row (its indicators prefetched or not)."""
    return Definition(
        code=standard.code,
        valid_from=standard.valid_from,
        valid_until=standard.valid_until,
        income_line={area: getattr(standard, f"income_line_{area}_vnd") for area in AREAS},
        average_line={area: getattr(standard, f"average_line_{area}_vnd") for area in AREAS},
        poor_min_deprived=standard.poor_min_deprived,
        indicators={row.code: row.params for row in standard.indicators.all()},
    )


def _definitions() -> list[Definition]:
    from households.models import PovertyStandard

    try:
        rows = list(PovertyStandard.objects.prefetch_related("indicators"))
    except (DatabaseError, RuntimeError):
        # No database here (or one not migrated yet): the shipped definitions answer. pytest
        # refuses database access outside database tests with a RuntimeError.
        return _shipped()
    return [from_row(row) for row in rows]


def definition(code: str) -> Definition:
    """Return the standard of this code; raise ``ValueError`` for an unknown one."""
    for found in _definitions():
        if found.code == code:
            return found
    raise ValueError(f"Unknown poverty standard: {code!r}")


def standard_for(day: datetime.date) -> str:
    """Return the code of the standard that a review dated ``day`` applies."""
    if not isinstance(day, datetime.date):
        raise TypeError("standard_for() takes a date")
    if isinstance(day, datetime.datetime):
        day = day.date()
    for found in _definitions():
        if found.covers(day):
            return found.code
    raise ValueError(f"No poverty standard covers {day.isoformat()}")


def classify_with(found: Definition, *, area: str, income_vnd: int, deprived: Iterable[str]) -> str:
    """Classify under a definition already loaded (see ``classify``)."""
    if area not in AREAS:
        raise ValueError(f"Unknown area: {area!r} (rural or urban)")
    if isinstance(income_vnd, bool) or not isinstance(income_vnd, int):
        raise ValueError("The income is a whole number of đồng")
    if income_vnd < 0:
        raise ValueError("The income cannot be negative")
    if isinstance(deprived, str):
        raise ValueError("deprived is a list of indicator codes, not one string")
    codes = set(deprived)
    unknown = sorted(code for code in codes if code not in found.indicators)
    if unknown:
        raise ValueError(
            f"Indicators not used by the {found.code} standard: {', '.join(map(repr, unknown))}"
        )
    if income_vnd <= found.income_line[area]:
        return POOR if len(codes) >= found.poor_min_deprived else NEAR_POOR
    band = found.average_line[area]
    if band is not None and income_vnd <= band:
        return AVERAGE
    return NONE


def classify(standard: str, *, area: str, income_vnd: int, deprived: Iterable[str]) -> str:
    """Classify a household under a standard: ``"poor"``, ``"near_poor"``, ``"average"`` or
    ``"none"``.

    ``income_vnd`` is the average income per person per month; ``deprived`` the codes of the
    indicators the household is deprived on. Poor: income at or below the line and deprived on
    at least the standard's number of indicators (3); near-poor: at or below the line and fewer;
    average: above the line and at or below the average-living-standard line, where the
    standard has one. Raise ``ValueError`` for an unknown standard, area or indicator (one that
    the standard does not use is unknown).
    """
    return classify_with(definition(standard), area=area, income_vnd=income_vnd, deprived=deprived)
