"""Progress of metrics, outcomes and missions (the method: api.progress.compute), per data version.

A metric's progress reads its values (three queries) and their areas; a roll-up reads one
query per level (the outcomes, their metrics) and then, for all those metrics at once, the
baselines, the targets and only the latest observation of each scope (a window in SQL).
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, literal, select
from sqlmodel import Session, col

from api import models
from api.cache import per_data_version
from api.enums import Direction, Frequency, ProgressMethod, Unit
from api.metrics import service as metrics
from api.metrics.values import published
from api.missions import service as missions
from api.outcomes import service as outcomes
from api.progress.compute import (
    FAR,
    ROLL_UP_METHOD,
    Assessment,
    Limits,
    Point,
    RollUp,
    assess,
    roll_up,
    unbased,
)
from api.progress.compute import __doc__ as METHOD
from api.progress.schemas import MetricProgress, Part, RolledUpProgress, ScopeProgress, Summary, ValueRef

Scope = tuple[str, str, str | None]  # metric, area, collaboration
# The values a unit's figures can take: where an open bound (`lt 15`, `gt 90`) ends.
LIMITS = {
    Unit.percent: Limits(Decimal(0), Decimal(100)),
    Unit.rank: Limits(Decimal(1)),
    Unit.score: Limits(-FAR),
    Unit.index: Limits(-FAR),
}
METRIC_METHOD = (METHOD or "").split("\n\n", 1)[1].strip()
Rows = Select[*tuple[Any, ...]]  # a statement of any columns


@dataclass(frozen=True)
class Row:
    """A baseline, target or observation, as read: columns only, no ORM object."""

    id: str
    metric_id: str
    area_id: str
    collaboration_id: str | None
    value: Decimal
    date: dt.date
    qualifier: str | None
    flags: list[str]
    note: str | None
    source: str | None

    @property
    def scope(self) -> Scope:
        return (self.metric_id, self.area_id, self.collaboration_id)

    @property
    def point(self) -> Point:
        return Point(self.id, self.value, self.date, self.qualifier or "eq")

    @property
    def ref(self) -> ValueRef:
        return ValueRef.model_validate(
            {
                "id": self.id,
                "value": self.value,
                "date": self.date,
                "qualifier": self.qualifier,
                "flags": self.flags or [],  # a JSON column: validated into Flag values here
                "note": self.note,
                "source": self.source,
            }
        )


def _select(
    table: type[models.MetricValue], metric_ids: Sequence[str], public: bool, breakdown: str = ""
) -> Rows:
    qualifier = getattr(table, "qualifier", None)
    stmt: Rows = select(
        col(table.id),
        col(table.metric_id),
        col(table.area_id),
        col(table.collaboration_id),
        col(table.value),
        col(table.date),
        col(qualifier).label("qualifier") if qualifier is not None else literal(None).label("qualifier"),
        col(table.flags),
        col(table.note),
        col(table.source),
    ).where(col(table.metric_id).in_(metric_ids), col(table.breakdown_key) == breakdown)
    if public:  # a draft collaboration's own values are not public
        stmt = stmt.where(published(table))
    return stmt


def _grouped(session: Session, stmt: Rows) -> dict[Scope, list[Row]]:
    grouped: dict[Scope, list[Row]] = defaultdict(list)
    for values in session.execute(stmt):
        row = Row(*values[:10])
        grouped[row.scope].append(row)
    return grouped


def _latest(session: Session, metric_ids: Sequence[str], as_of: dt.date, public: bool) -> dict[Scope, Row]:
    """Each scope's latest observation on or before `as_of`: one query, ranked in SQL."""
    Obs = models.Observation
    scope = (col(Obs.metric_id), col(Obs.area_id), col(Obs.collaboration_id))
    rank = func.row_number().over(partition_by=scope, order_by=col(Obs.date).desc()).label("rank")
    ranked = _select(Obs, metric_ids, public).where(col(Obs.date) <= as_of).add_columns(rank).subquery()
    found = session.execute(select(ranked).where(ranked.c.rank == 1))
    return {row.scope: row for row in (Row(*values[:10]) for values in found)}


def _target(targets: Iterable[Row], as_of: dt.date) -> Row | None:
    """The next target not yet due, else the last one."""
    ordered = sorted(targets, key=lambda t: t.date)
    return next((t for t in ordered if t.date >= as_of), ordered[-1] if ordered else None)


def summary(rolled: RollUp) -> Summary:
    return Summary(
        status=rolled.status,
        progress=rolled.progress,
        counts=rolled.counts,
        stale=rolled.stale,
        bounded=rolled.bounded,
    )


def _assess(
    metric: models.Metric, baseline: Row, target: Row | None, seen: list[Row], as_of: dt.date
) -> Assessment:
    return assess(
        metric.direction == Direction.higher_is_better,
        baseline.point,
        target.point if target else None,
        [o.point for o in seen],
        as_of,
        metric.frequency,
        ProgressMethod(metric.progress_method),
        LIMITS.get(Unit(metric.unit), Limits()),
    )


@per_data_version
def metric_progress(
    session: Session, metric_id: str, as_of: dt.date, public: bool, breakdown: str = ""
) -> MetricProgress:
    """Every scope of one metric with a baseline or an observation, with the observations used.

    One breakdown's values throughout (the totals' by default): a breakdown is judged against
    its own baseline and target, never against the total's."""
    metric = metrics.get(session, metric_id)
    baselines = _grouped(session, _select(models.Baseline, [metric.id], public, breakdown))
    targets = _grouped(session, _select(models.Target, [metric.id], public, breakdown))
    Obs = models.Observation
    chosen = _select(Obs, [metric.id], public, breakdown)
    observations = _grouped(session, chosen.where(col(Obs.date) <= as_of))
    scopes = baselines.keys() | observations.keys()
    A = models.Area
    area_ids = {area for _, area, _ in scopes}
    areas = {a.id: a for a in session.scalars(select(A).where(col(A.id).in_(area_ids)))}
    scored: list[tuple[ScopeProgress, Assessment]] = []
    for scope in sorted(scopes, key=lambda s: (areas[s[1]].name, s[1], s[2] or "")):
        target = _target(targets.get(scope, []), as_of)
        seen = observations.get(scope, [])
        baseline = baselines[scope][0] if scope in baselines else None
        if baseline is None:
            result = unbased([o.point for o in seen], as_of, metric.frequency)
        else:
            result = _assess(metric, baseline, target, seen, as_of)
        latest = next((o for o in seen if result.latest and o.id == result.latest.id), None)
        area = areas[scope[1]]
        item = ScopeProgress(
            area_id=area.id,
            area_code=area.code,
            area_name=area.name,
            collaboration_id=scope[2],
            baseline=baseline.ref if baseline else None,
            target=target.ref if target else None,
            latest=latest.ref if latest else None,
            observation_ids=list(result.used),
            progress=result.progress,
            progress_range=result.progress_range,
            ratio=result.ratio,
            status=result.status,
            stale=result.stale,
            bounded=result.bounded,
            reason=result.reason,
        )
        scored.append((item, result))
    return MetricProgress(
        metric_id=metric.id,
        code=metric.code,
        name=metric.name,
        direction=Direction(metric.direction),
        frequency=Frequency(metric.frequency),
        progress_method=ProgressMethod(metric.progress_method),
        as_of=as_of,
        breakdown=json.loads(breakdown) if breakdown else {},
        method=METRIC_METHOD,
        summary=summary(roll_up([a for _, a in scored])),
        items=[item for item, _ in scored],
    )


def assess_metrics(
    session: Session, found: Sequence[models.Metric], as_of: dt.date, public: bool
) -> dict[str, list[Assessment]]:
    """Every scope with a baseline or a figure, per metric: three queries whatever the number of metrics.

    A scope's status needs only its baseline, its target and its latest observation.
    """
    ids = [m.id for m in found]
    baselines = _grouped(session, _select(models.Baseline, ids, public))
    targets = _grouped(session, _select(models.Target, ids, public))
    latest = _latest(session, ids, as_of, public)
    by_id = {m.id: m for m in found}
    out: dict[str, list[Assessment]] = {m.id: [] for m in found}
    for scope in sorted(baselines.keys() | latest.keys(), key=lambda s: (s[0], s[1], s[2] or "")):
        metric, target, last = by_id[scope[0]], _target(targets.get(scope, []), as_of), latest.get(scope)
        if scope not in baselines:  # measured, without a baseline
            out[metric.id].append(unbased([last.point] if last else [], as_of, metric.frequency))
            continue
        out[metric.id].append(_assess(metric, baselines[scope][0], target, [last] if last else [], as_of))
    return out


def metrics_of(session: Session, outcome_ids: Sequence[str]) -> dict[str, list[models.Metric]]:
    MO = models.MetricOutcome
    stmt = select(models.Metric, col(MO.outcome_id)).join(MO).where(col(MO.outcome_id).in_(outcome_ids))
    found: dict[str, list[models.Metric]] = defaultdict(list)
    for metric, outcome_id in session.execute(stmt.order_by(col(models.Metric.code))):
        found[outcome_id].append(metric)
    return found


def _rolled_up(
    record: models.Outcome | models.Mission, as_of: dt.date, every: list[Assessment], parts: list[Part]
) -> RolledUpProgress:
    return RolledUpProgress(
        id=record.id,
        code=record.code,
        title=record.title,
        as_of=as_of,
        method=ROLL_UP_METHOD,
        summary=summary(roll_up(every)),
        parts=parts,
    )


@per_data_version
def outcome_progress(session: Session, outcome_id: str, as_of: dt.date, public: bool) -> RolledUpProgress:
    outcome = outcomes.get(session, outcome_id)
    found = metrics_of(session, [outcome.id])[outcome.id]
    assessed = assess_metrics(session, found, as_of, public)
    parts = [
        Part(
            id=m.id,
            code=m.code,
            name=m.name,
            progress_method=ProgressMethod(m.progress_method),
            summary=summary(roll_up(assessed[m.id])),
        )
        for m in found
    ]
    return _rolled_up(outcome, as_of, [a for scopes in assessed.values() for a in scopes], parts)


def outcome_summaries(
    session: Session, found: Sequence[models.Outcome], as_of: dt.date, public: bool
) -> tuple[dict[str, Summary], list[Assessment]]:
    """Each outcome's roll-up, and every scope assessed (a metric shared by two outcomes counts once)."""
    by_outcome = metrics_of(session, [o.id for o in found])
    distinct = list({m.id: m for ms in by_outcome.values() for m in ms}.values())
    assessed = assess_metrics(session, distinct, as_of, public)
    per_outcome = {
        o.id: summary(roll_up([a for m in by_outcome.get(o.id, []) for a in assessed[m.id]])) for o in found
    }
    return per_outcome, [a for scopes in assessed.values() for a in scopes]


def outcomes_of(session: Session, mission_id: str) -> list[models.Outcome]:
    Out = models.Outcome
    return list(session.scalars(select(Out).where(col(Out.mission_id) == mission_id).order_by(col(Out.code))))


@per_data_version
def mission_progress(session: Session, mission_id: str, as_of: dt.date, public: bool) -> RolledUpProgress:
    mission = missions.get(session, mission_id)
    found = outcomes_of(session, mission.id)
    per_outcome, every = outcome_summaries(session, found, as_of, public)
    parts = [Part(id=o.id, code=o.code, name=o.title, summary=per_outcome[o.id]) for o in found]
    return _rolled_up(mission, as_of, every, parts)
