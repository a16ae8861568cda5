from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, union
from sqlmodel import Session, col

from api import crud, models
from api.areas import service as areas
from api.metrics.schemas import Metric, MetricCreate, MetricFilters, MetricUpdate
from api.pagination import PageQuery, paginate

M = models.Metric
MO = models.MetricOutcome
SORTABLE = {
    "code": col(M.code),
    "name": col(M.name),
    "created_at": col(M.created_at),
    "updated_at": col(M.updated_at),
}


def get(session: Session, id_: str) -> models.Metric:
    return crud.get_or_404(session, M, id_, "metric")


def to_schemas(session: Session, rows: Sequence[models.Metric]) -> list[Metric]:
    (outcomes,) = crud.load_links(session, [m.id for m in rows], (col(MO.metric_id), col(MO.outcome_id)))
    return [Metric(**m.model_dump(), outcome_ids=outcomes[m.id]) for m in rows]


def read(session: Session, metric: models.Metric) -> Metric:
    return to_schemas(session, [metric])[0]


def list_(
    session: Session,
    page: PageQuery,
    filters: MetricFilters,
) -> tuple[list[Metric], str | None]:
    stmt = select(M)
    if filters.area:
        area_id = areas.get(session, filters.area).id
        measured = union(
            *(
                select(col(t.metric_id)).where(col(t.area_id) == area_id)
                for t in (models.Baseline, models.Target, models.Observation)
            )
        )
        stmt = stmt.where(col(M.id).in_(measured))
    if filters.unit:
        stmt = stmt.where(col(M.unit) == filters.unit)
    if filters.outcome:
        stmt = stmt.where(
            col(M.id).in_(select(col(MO.metric_id)).where(col(MO.outcome_id) == filters.outcome))
        )
    if filters.mission:
        stmt = stmt.where(
            col(M.id).in_(
                select(col(MO.metric_id))
                .join(models.Outcome, col(models.Outcome.id) == col(MO.outcome_id))
                .where(col(models.Outcome.mission_id) == filters.mission)
            )
        )
    stmt = crud.text_filter(stmt, filters.q, col(M.code), col(M.name), col(M.method))
    keyset = paginate(stmt, page, SORTABLE, col(M.id), "code")
    rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
    return to_schemas(session, rows), next_cursor


def _outcome_ids(session: Session, ids: list[str]) -> list[str]:
    return crud.require_all(session, col(models.Outcome.id), ids, "body.outcome_ids", "outcome(s)")


def _set_outcomes(session: Session, metric_id: str, outcome_ids: list[str]) -> bool:
    return crud.replace_links(session, MO, "metric_id", metric_id, "outcome_id", outcome_ids)


def create(session: Session, data: MetricCreate) -> models.Metric:
    values: dict[str, Any] = data.model_dump()
    outcome_ids = _outcome_ids(session, values.pop("outcome_ids"))
    crud.ensure_unique(session, M, "metric", None, code=data.code)
    metric = crud.add(session, M(**values))
    _set_outcomes(session, metric.id, outcome_ids)
    return metric


def update(session: Session, metric: models.Metric, data: MetricUpdate) -> models.Metric:
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    outcome_ids = changes.pop("outcome_ids", None)
    if outcome_ids is not None:
        outcome_ids = _outcome_ids(session, outcome_ids)
    if "code" in changes:
        crud.ensure_unique(session, M, "metric", metric.id, code=changes["code"])
    links_changed = outcome_ids is not None and _set_outcomes(session, metric.id, outcome_ids)
    crud.apply_changes(metric, changes, links_changed=links_changed)
    session.flush()
    return metric


def delete(session: Session, metric: models.Metric) -> None:
    # Outcome links go with the metric (ON DELETE CASCADE); recorded values must not.
    crud.remove(
        session,
        metric,
        "metric",
        [
            (col(models.Baseline.metric_id), "baselines"),
            (col(models.Target.metric_id), "targets"),
            (col(models.Observation.metric_id), "observations"),
        ],
    )
