"""Benchmarks of one metric across areas of one level, via api.insights.comparison."""

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from api import models
from api.areas import service as areas
from api.benchmarks.schemas import AreaValue, Comparison, National
from api.enums import AreaKind, Direction
from api.insights.comparison import Entry, compare

SCALE = Decimal("0.000001")  # what a metric value holds


def _values(session: Session, metric_id: str) -> list[Any]:
    """Area-wide values (no collaboration's own): observations, and baselines, which are measurements too."""
    found: list[Any] = []
    for table in (models.Observation, models.Baseline):
        stmt = select(table).where(col(table.metric_id) == metric_id, col(table.collaboration_id).is_(None))
        found += session.scalars(stmt)
    return found


def _latest_in(values: list[Any], year: int) -> dict[str, Any]:
    latest: dict[str, Any] = {}
    for v in values:
        if v.date.year == year and (v.area_id not in latest or v.date > latest[v.area_id].date):
            latest[v.area_id] = v
    return latest


def comparison(
    session: Session, metric: models.Metric, level: AreaKind, period: int | None, within: str | None
) -> Comparison:
    A = models.Area
    stmt = select(A).where(col(A.kind) == level)
    if within:
        stmt = stmt.where(col(A.id).in_(areas.within(session, within)))
    group = {a.id: a for a in session.scalars(stmt)}
    uk = {a.id for a in session.scalars(select(A).where(col(A.kind) == AreaKind.uk))}
    values = _values(session, metric.id)
    in_group = [v for v in values if v.area_id in group]
    year = period or max((v.date.year for v in in_group), default=None)
    higher = metric.direction == Direction.higher_is_better
    empty = Comparison(
        metric_id=metric.id,
        direction=Direction(metric.direction),
        level=level,
        within=within,
        period=year,
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
        higher,
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
            )
            if national
            else None,
            "average": average,
            "best_area_id": items[0].area_id if items else None,
            "items": items,
        }
    )
