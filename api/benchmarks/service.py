"""Benchmarks of one metric across the areas of one level: ranks, gaps and the best, per data version.

Area-wide values only (no collaboration's own), so every caller sees the same answer.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlmodel import Session, col

from api import models
from api.areas import service as areas
from api.benchmarks.schemas import AreaValue, Comparison, National, YearCoverage
from api.cache import per_data_version
from api.enums import AreaKind, Direction
from api.metrics import service as metrics

SCALE = Decimal("0.000001")  # what a metric value holds


@dataclass(frozen=True)
class Entry:
    area_id: str
    name: str
    value: Decimal


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    rank: int  # 1 is best; ties broken by name, so ranks are always 1..n
    gap_to_national: Decimal | None  # value - national: positive is above it
    gap_to_average: Decimal
    best: bool


def compare(entries: Sequence[Entry], higher_is_better: bool, national: Decimal | None) -> list[Ranked]:
    """Rank every area, best first; gaps are signed value differences (not "better by")."""
    if not entries:
        return []
    average = sum((e.value for e in entries), Decimal(0)) / len(entries)
    ordered = sorted(entries, key=lambda e: (-e.value if higher_is_better else e.value, e.name, e.area_id))
    best = ordered[0].value
    return [
        Ranked(
            entry=e,
            rank=i + 1,
            gap_to_national=None if national is None else e.value - national,
            gap_to_average=e.value - average,
            best=e.value == best,
        )
        for i, e in enumerate(ordered)
    ]


class _Value(NamedTuple):
    id: str
    area_id: str
    value: Decimal
    date: Any
    qualifier: str
    flags: list[str]
    note: str | None


def _values(session: Session, metric_id: str, area_ids: Any, breakdown: str) -> list[_Value]:
    """Area-wide values in these areas: observations, and baselines, which are measurements too."""
    found: list[_Value] = []
    for table in (models.Observation, models.Baseline):
        stmt = select(
            col(table.id),
            col(table.area_id),
            col(table.value),
            col(table.date),
            col(table.qualifier),
            col(table.flags),
            col(table.note),
        ).where(
            col(table.metric_id) == metric_id,
            col(table.collaboration_id).is_(None),
            col(table.breakdown_key) == breakdown,
            col(table.area_id).in_(area_ids),
        )
        found += (_Value(*row) for row in session.execute(stmt))
    return found


def _latest_in(values: list[_Value], year: int) -> dict[str, _Value]:
    latest: dict[str, _Value] = {}
    for v in values:
        if v.date.year == year and (v.area_id not in latest or v.date > latest[v.area_id].date):
            latest[v.area_id] = v
    return latest


def coverage(values: Sequence[_Value], group: int, national: Sequence[_Value]) -> list[YearCoverage]:
    """Per year, how many of the group's areas report and whether the UK does; a year where
    fewer than half the areas report is sparse."""
    reporting: dict[int, set[str]] = {}
    for v in values:
        reporting.setdefault(v.date.year, set()).add(v.area_id)
    uk_years = {v.date.year for v in national}
    return [
        YearCoverage(year=y, areas=len(a), national=y in uk_years, sparse=2 * len(a) < group)
        for y, a in sorted(reporting.items())
    ]


def default_year(years: Sequence[YearCoverage]) -> int | None:
    """The year with the most areas reporting, then with the UK's value, then the latest."""
    best = max(years, key=lambda y: (y.areas, y.national, y.year), default=None)
    return best.year if best else None


@per_data_version
def comparison(
    session: Session,
    metric_id: str,
    level: AreaKind,
    period: int | None,
    within: str | None,
    breakdown: str = "",
) -> Comparison:
    metric = metrics.get(session, metric_id)
    A = models.Area
    stmt = select(col(A.id), col(A.name), col(A.code), col(A.kind)).where(
        col(A.kind).in_([level, AreaKind.uk])
    )
    if within:
        stmt = stmt.where((col(A.kind) == AreaKind.uk) | col(A.id).in_(areas.within(session, within)))
    compared = list(session.execute(stmt))
    group = {a.id: a for a in compared if a.kind == level}
    uk = {a.id for a in compared if a.kind == AreaKind.uk}
    values = _values(session, metric.id, stmt.with_only_columns(col(A.id)), breakdown)
    in_group = [v for v in values if v.area_id in group]
    years = coverage(in_group, len(group), [v for v in values if v.area_id in uk])
    year = period or default_year(years)
    empty = Comparison(
        metric_id=metric.id,
        direction=Direction(metric.direction),
        level=level,
        within=within,
        breakdown=json.loads(breakdown) if breakdown else {},
        period=year,
        group_size=len(group),
        years=years,
        sparse=next((y.sparse for y in years if y.year == year), True),
        national=None,
        average=None,
        best_area_id=None,
        items=[],
    )
    if year is None:
        return empty
    latest = _latest_in(in_group, year)
    national_rows = sorted(
        _latest_in([v for v in values if v.area_id in uk], year).values(), key=lambda v: v.date
    )
    national = national_rows[-1] if national_rows else None
    ranked = compare(
        [Entry(area_id, group[area_id].name, v.value) for area_id, v in latest.items()],
        metric.direction == Direction.higher_is_better,
        national.value if national else None,
    )
    items = [
        AreaValue(
            area_id=r.entry.area_id,
            area_code=group[r.entry.area_id].code,
            area_name=r.entry.name,
            value=r.entry.value,
            qualifier=latest[r.entry.area_id].qualifier,
            date=latest[r.entry.area_id].date,
            value_id=latest[r.entry.area_id].id,
            flags=latest[r.entry.area_id].flags or [],
            note=latest[r.entry.area_id].note,
            rank=r.rank,
            gap_to_national=r.gap_to_national,
            gap_to_average=r.gap_to_average.quantize(SCALE),
            best=r.best,
        )
        for r in ranked
    ]
    average = (sum((i.value for i in items), Decimal(0)) / len(items)).quantize(SCALE) if items else None
    return empty.model_copy(
        update={
            "national": National(
                area_id=national.area_id,
                value=national.value,
                qualifier=national.qualifier,
                date=national.date,
                value_id=national.id,
                flags=national.flags or [],
                note=national.note,
            )
            if national
            else None,
            "average": average,
            "best_area_id": items[0].area_id if items else None,
            "items": items,
        }
    )
