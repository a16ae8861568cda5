"""Baselines, targets and observations: one service for the three kinds of metric value."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlmodel import Session, col

from api import crud, models
from api.areas import service as areas
from api.enums import Publication
from api.errors import NotFound
from api.metrics import schemas as s
from api.metrics.schemas import Value, ValueCreate, ValueUpdate
from api.pagination import PageQuery, paginate


@dataclass(frozen=True)
class Kind:
    """One kind of value: its table, its schemas, and what identifies one per metric."""

    label: str
    plural: str
    table: type[models.MetricValue]
    create: type[ValueCreate]
    update: type[ValueUpdate]
    read: type[Value]
    unique_by: tuple[str, ...]


# A baseline is one per area (and collaboration); targets and observations one per date too.
BASELINES = Kind(
    "baseline",
    "baselines",
    models.Baseline,
    s.BaselineCreate,
    s.BaselineUpdate,
    s.Baseline,
    ("area_id", "collaboration_id"),
)
TARGETS = Kind(
    "target",
    "targets",
    models.Target,
    s.TargetCreate,
    s.TargetUpdate,
    s.Target,
    ("area_id", "collaboration_id", "date"),
)
OBSERVATIONS = Kind(
    "observation",
    "observations",
    models.Observation,
    s.ObservationCreate,
    s.ObservationUpdate,
    s.Observation,
    ("area_id", "collaboration_id", "date"),
)
KINDS = (BASELINES, TARGETS, OBSERVATIONS)


def find(session: Session, kind: Kind, metric_id: str, id_: str) -> models.MetricValue | None:
    value = session.get(kind.table, id_)
    return value if value is not None and value.metric_id == metric_id else None


def get(session: Session, kind: Kind, metric_id: str, id_: str) -> models.MetricValue:
    value = find(session, kind, metric_id, id_)
    if value is None:
        raise NotFound(f"No {kind.label} with id {id_!r} for metric {metric_id!r}.")
    return value


def _drafts() -> Any:
    C = models.Collaboration
    return select(col(C.id)).where(col(C.publication) == Publication.draft)


def in_draft(session: Session, value: models.MetricValue) -> bool:
    """Measured on a collaboration that is still a draft (not public)."""
    if value.collaboration_id is None:
        return False
    return (
        session.scalars(_drafts().where(col(models.Collaboration.id) == value.collaboration_id)).first()
        is not None
    )


def read(kind: Kind, value: models.MetricValue) -> Value:
    return kind.read.model_validate(value)


def list_(
    session: Session,
    kind: Kind,
    metric_id: str,
    page: PageQuery,
    *,
    area: str | None,
    collaboration: str | None,
    from_: dt.date | None,
    to: dt.date | None,
    published_only: bool = False,
) -> tuple[list[Value], str | None]:
    table = kind.table
    stmt = select(table).where(col(table.metric_id) == metric_id)
    if published_only:
        stmt = stmt.where(
            or_(col(table.collaboration_id).is_(None), col(table.collaboration_id).not_in(_drafts()))
        )
    if area:
        stmt = stmt.where(col(table.area_id) == areas.get(session, area).id)
    if collaboration:
        stmt = stmt.where(col(table.collaboration_id) == collaboration)
    if from_:
        stmt = stmt.where(col(table.date) >= from_)
    if to:
        stmt = stmt.where(col(table.date) <= to)
    sortable = {
        "date": col(table.date),
        "value": col(table.value),
        "created_at": col(table.created_at),
        "updated_at": col(table.updated_at),
    }
    keyset = paginate(stmt, page, sortable, col(table.id), "date")
    rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
    return [read(kind, row) for row in rows], next_cursor


def _resolve(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Area references become ids; a named collaboration must exist."""
    if "area_id" in values:
        values["area_id"] = areas.resolve_ids(session, [values["area_id"]], "body.area_id")[0]
    if values.get("collaboration_id") is not None:
        crud.require_exists(
            session, models.Collaboration, values["collaboration_id"], "body.collaboration_id"
        )
    return values


def _ensure_unique(
    session: Session, kind: Kind, value: models.MetricValue | None, metric_id: str, fields: dict[str, Any]
) -> None:
    key = {name: fields[name] for name in kind.unique_by}
    crud.ensure_unique(
        session, kind.table, kind.label, value.id if value else None, metric_id=metric_id, **key
    )


def create(session: Session, kind: Kind, metric_id: str, data: ValueCreate) -> models.MetricValue:
    values = _resolve(session, data.model_dump())
    _ensure_unique(session, kind, None, metric_id, values)
    return crud.add(session, kind.table(metric_id=metric_id, **values))


def update(session: Session, kind: Kind, value: models.MetricValue, data: ValueUpdate) -> models.MetricValue:
    changes = _resolve(session, data.model_dump(exclude_unset=True))
    if changes.keys() & set(kind.unique_by):
        current = {name: changes.get(name, getattr(value, name)) for name in kind.unique_by}
        _ensure_unique(session, kind, value, value.metric_id, current)
    crud.apply_changes(value, changes)
    session.flush()
    return value


def delete(session: Session, kind: Kind, value: models.MetricValue) -> None:
    crud.remove(session, value, kind.label, [])
