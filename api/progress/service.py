"""Progress of metrics, outcomes and missions, assessed by api.insights.progress."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session, col

from api import models
from api.enums import Direction, Frequency, Publication
from api.insights.progress import ROLL_UP_METHOD, Assessment, Point, RollUp, assess, roll_up
from api.insights.progress import __doc__ as METHOD
from api.progress.schemas import MetricProgress, Part, RolledUpProgress, ScopeProgress, Summary, ValueRef

Scope = tuple[str, str | None]
METRIC_METHOD = (METHOD or "").split("\n\n", 1)[1].strip()


def _values(
    session: Session, table: type[models.MetricValue], metric_ids: Sequence[str], public: bool
) -> Any:
    stmt = select(table).where(col(table.metric_id).in_(metric_ids))
    if public:
        C = models.Collaboration
        drafts = select(col(C.id)).where(col(C.publication) == Publication.draft)
        stmt = stmt.where(
            or_(col(table.collaboration_id).is_(None), col(table.collaboration_id).not_in(drafts))
        )
    grouped: dict[tuple[str, Scope], list[Any]] = defaultdict(list)
    for row in session.scalars(stmt):
        grouped[(row.metric_id, (row.area_id, row.collaboration_id))].append(row)
    return grouped


def _target(targets: list[models.Target], as_of: dt.date) -> models.Target | None:
    if not targets:
        return None
    upcoming = sorted((t for t in targets if t.date >= as_of), key=lambda t: t.date)
    return upcoming[0] if upcoming else max(targets, key=lambda t: t.date)


def _ref(row: Any) -> ValueRef | None:
    if row is None:
        return None
    return ValueRef(id=row.id, value=row.value, date=row.date, qualifier=getattr(row, "qualifier", None))


def _point(row: Any) -> Point:
    return Point(row.id, row.value, row.date)


def assess_metrics(
    session: Session, metrics: Sequence[models.Metric], as_of: dt.date, public: bool
) -> dict[str, list[tuple[ScopeProgress, Assessment]]]:
    """Every scope with a baseline, per metric: four queries whatever the number of metrics."""
    ids = [m.id for m in metrics]
    baselines = _values(session, models.Baseline, ids, public)
    targets = _values(session, models.Target, ids, public)
    observations = _values(session, models.Observation, ids, public)
    area_ids = {scope[0] for _, scope in baselines}
    areas = {a.id: a for a in session.scalars(select(models.Area).where(col(models.Area.id).in_(area_ids)))}
    out: dict[str, list[tuple[ScopeProgress, Assessment]]] = {m.id: [] for m in metrics}
    by_id = {m.id: m for m in metrics}
    for (metric_id, scope), rows in sorted(
        baselines.items(), key=lambda kv: (kv[0][0], areas[kv[0][1][0]].name)
    ):
        metric, baseline = by_id[metric_id], rows[0]  # one baseline per scope (a unique index)
        target = _target(targets.get((metric_id, scope), []), as_of)
        seen = [_point(o) for o in observations.get((metric_id, scope), [])]
        higher = metric.direction == Direction.higher_is_better
        result = assess(
            higher, _point(baseline), _point(target) if target else None, seen, as_of, metric.frequency
        )
        area = areas[scope[0]]
        latest = next(
            (o for o in observations[(metric_id, scope)] if result.latest and o.id == result.latest.id), None
        )
        item = ScopeProgress(
            area_id=area.id,
            area_code=area.code,
            area_name=area.name,
            collaboration_id=scope[1],
            baseline=ValueRef(
                id=baseline.id, value=baseline.value, date=baseline.date, qualifier=baseline.qualifier
            ),
            target=_ref(target),
            latest=_ref(latest),
            observation_ids=list(result.used),
            progress=result.progress,
            ratio=result.ratio,
            status=result.status,
            stale=result.stale,
            reason=result.reason,
        )
        out[metric_id].append((item, result))
    return out


def summary(rolled: RollUp) -> Summary:
    return Summary(status=rolled.status, progress=rolled.progress, counts=rolled.counts)


def metric_progress(session: Session, metric: models.Metric, as_of: dt.date, public: bool) -> MetricProgress:
    scopes = assess_metrics(session, [metric], as_of, public)[metric.id]
    return MetricProgress(
        metric_id=metric.id,
        code=metric.code,
        name=metric.name,
        direction=Direction(metric.direction),
        frequency=Frequency(metric.frequency),
        as_of=as_of,
        method=METRIC_METHOD,
        summary=summary(roll_up([a for _, a in scopes])),
        items=[item for item, _ in scopes],
    )


def metrics_of(session: Session, outcome_ids: Sequence[str]) -> dict[str, list[models.Metric]]:
    MO = models.MetricOutcome
    stmt = select(models.Metric, col(MO.outcome_id)).join(MO).where(col(MO.outcome_id).in_(outcome_ids))
    found: dict[str, list[models.Metric]] = defaultdict(list)
    for metric, outcome_id in session.execute(stmt):
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


def outcome_progress(
    session: Session, outcome: models.Outcome, as_of: dt.date, public: bool
) -> RolledUpProgress:
    metrics = sorted(metrics_of(session, [outcome.id])[outcome.id], key=lambda m: m.code)
    assessed = assess_metrics(session, metrics, as_of, public)
    parts = [
        Part(id=m.id, code=m.code, name=m.name, summary=summary(roll_up([a for _, a in assessed[m.id]])))
        for m in metrics
    ]
    return _rolled_up(outcome, as_of, [a for scopes in assessed.values() for _, a in scopes], parts)


def outcome_summaries(
    session: Session, outcomes: Sequence[models.Outcome], as_of: dt.date, public: bool
) -> tuple[dict[str, Summary], list[Assessment]]:
    """Each outcome's roll-up, and every scope assessed (a metric shared by two outcomes counts once)."""
    by_outcome = metrics_of(session, [o.id for o in outcomes])
    distinct = list({m.id: m for ms in by_outcome.values() for m in ms}.values())
    assessed = assess_metrics(session, distinct, as_of, public)
    per_outcome = {
        o.id: summary(roll_up([a for m in by_outcome.get(o.id, []) for _, a in assessed[m.id]]))
        for o in outcomes
    }
    return per_outcome, [a for scopes in assessed.values() for _, a in scopes]


def mission_progress(
    session: Session, mission: models.Mission, as_of: dt.date, public: bool
) -> RolledUpProgress:
    Out = models.Outcome
    outcomes = list(
        session.scalars(select(Out).where(col(Out.mission_id) == mission.id).order_by(col(Out.code)))
    )
    per_outcome, every = outcome_summaries(session, outcomes, as_of, public)
    parts = [Part(id=o.id, code=o.code, name=o.title, summary=per_outcome[o.id]) for o in outcomes]
    return _rolled_up(mission, as_of, every, parts)
