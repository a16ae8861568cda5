"""Baselines, targets and observations: one service for the three kinds of metric value.

Each `Kind` is that service, shaped as the item routes call a child resource's: the
metric's id comes before the value's.
"""

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlmodel import Session, col

from api import crud, models
from api.areas import service as areas
from api.enums import Direction, Publication
from api.errors import NotFound, ValidationFailed
from api.metrics import schemas as s
from api.metrics.schemas import Value, ValueCreate, ValueFilters, ValueUpdate, split_breakdown
from api.pagination import PageQuery, paginate
from api.progress.compute import wrong_side

SORTS = ("date", "value", "created_at", "updated_at")  # each kind's columns of these names


@dataclass(frozen=True)
class Kind:
    """One kind of value: its table, its schemas, and what identifies one per metric."""

    label: str
    plural: str
    table: type[models.MetricValue]
    create_schema: type[ValueCreate]
    update_schema: type[ValueUpdate]
    read_schema: type[Value]
    unique_by: tuple[str, ...]

    def find(self, session: Session, metric_id: str, id_: str) -> models.MetricValue | None:
        value = session.get(self.table, id_)
        return value if value is not None and value.metric_id == metric_id else None

    def get(self, session: Session, metric_id: str, id_: str) -> models.MetricValue:
        value = self.find(session, metric_id, id_)
        if value is None:
            raise NotFound(f"No {self.label} with id {id_!r} for metric {metric_id!r}.")
        return value

    def read(self, session: Session, value: models.MetricValue) -> Value:
        return self.read_schema.model_validate(value)

    def list_(
        self,
        session: Session,
        metric_id: str,
        page: PageQuery,
        filters: ValueFilters,
        *,
        published_only: bool,  # leave out values measured on a draft collaboration
    ) -> tuple[list[Value], str | None]:
        table = self.table
        stmt = select(table).where(col(table.metric_id) == metric_id)
        if published_only:
            stmt = stmt.where(published(table))
        if filters.area:
            stmt = stmt.where(col(table.area_id) == areas.get(session, filters.area).id)
        if filters.collaboration:
            stmt = stmt.where(col(table.collaboration_id) == filters.collaboration)
        if filters.from_:
            stmt = stmt.where(col(table.date) >= filters.from_)
        if filters.to:
            stmt = stmt.where(col(table.date) <= filters.to)
        if filters.breakdown is not None:
            stmt = stmt.where(col(table.breakdown_key) == parse_breakdown(filters.breakdown))
        sortable = {name: col(getattr(table, name)) for name in SORTS}
        keyset = paginate(stmt, page, sortable, col(table.id), "date")
        rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
        return [self.read_schema.model_validate(row) for row in rows], next_cursor

    def create(self, session: Session, metric_id: str, data: ValueCreate) -> models.MetricValue:
        values = _resolve(session, data.model_dump())
        self._ensure_unique(session, None, metric_id, values)
        self.ensure_target_side(session, metric_id, values)
        return crud.add(session, self.table(metric_id=metric_id, **values))

    def update(self, session: Session, value: models.MetricValue, data: ValueUpdate) -> models.MetricValue:
        changes = _resolve(session, data.model_dump(exclude_unset=True))
        if changes.keys() & set(self.unique_by):
            current = {name: changes.get(name, getattr(value, name)) for name in self.unique_by}
            self._ensure_unique(session, value, value.metric_id, current)
        if changes.keys() & {"value", *self.unique_by}:
            after = {name: changes.get(name, getattr(value, name)) for name in (*SCOPE, "value")}
            self.ensure_target_side(session, value.metric_id, after)
        crud.apply_changes(value, changes)
        session.flush()
        return value

    def delete(self, session: Session, value: models.MetricValue) -> None:
        crud.remove(session, value, self.label, [])

    @property
    def sided(self) -> bool:
        """Whether a value of this kind is checked against its scope's baseline or targets."""
        return self.table in (models.Baseline, models.Target)

    def ensure_target_side(self, session: Session, metric_id: str, fields: dict[str, Any]) -> None:
        """A target lies on the good side of its scope's baseline, or level with it: one
        on the other side would call any movement the wrong way progress."""
        if not self.sided:
            return
        metric = session.get(models.Metric, metric_id)
        assert metric is not None
        higher = metric.direction == Direction.higher_is_better
        other = models.Target if self.table is models.Baseline else models.Baseline
        together = col(other.collaboration_id)
        mine = fields.get("collaboration_id")
        stmt = select(other).where(
            col(other.metric_id) == metric_id,
            col(other.area_id) == fields["area_id"],
            col(other.breakdown_key) == fields.get("breakdown_key", ""),
            together.is_(None) if mine is None else together == mine,
        )
        for found in session.scalars(stmt):
            given = (
                (found.value, fields["value"]) if other is models.Baseline else (fields["value"], found.value)
            )
            baseline, target = given
            if wrong_side(higher, baseline, target):
                way = "at or above" if higher else "at or below"
                raise ValidationFailed.single(
                    "body.value",
                    f"For {metric.name} {'higher' if higher else 'lower'} is better, so a target must be "
                    f"{way} its baseline in the same area: here the baseline is {s.plain_number(baseline)} "
                    f"and the target {s.plain_number(target)}. Correct the target or the baseline.",
                )

    def _ensure_unique(
        self, session: Session, value: models.MetricValue | None, metric_id: str, fields: dict[str, Any]
    ) -> None:
        key = {name: fields[name] for name in self.unique_by}
        crud.ensure_unique(
            session, self.table, self.label, value.id if value else None, metric_id=metric_id, **key
        )


# A baseline is one per area (and collaboration); targets and observations one per date too.
BASELINES = Kind(
    "baseline",
    "baselines",
    models.Baseline,
    s.BaselineCreate,
    s.BaselineUpdate,
    s.Baseline,
    ("area_id", "collaboration_id", "breakdown_key"),
)
TARGETS = Kind(
    "target",
    "targets",
    models.Target,
    s.TargetCreate,
    s.TargetUpdate,
    s.Target,
    ("area_id", "collaboration_id", "date", "breakdown_key"),
)
OBSERVATIONS = Kind(
    "observation",
    "observations",
    models.Observation,
    s.ObservationCreate,
    s.ObservationUpdate,
    s.Observation,
    ("area_id", "collaboration_id", "date", "breakdown_key"),
)
KINDS = (BASELINES, TARGETS, OBSERVATIONS)
SCOPE = ("area_id", "collaboration_id", "breakdown_key")  # one baseline each, its targets judged by it
PLURALS = tuple(k.plural for k in KINDS)


def breakdown_of(text: str | None) -> str:
    """The key of the breakdown a query names: the totals' ('') when it names none."""
    return parse_breakdown(text) if text else ""


def breakdowns(session: Session, metric_id: str, public: bool) -> list[s.BreakdownCount]:
    """Every breakdown the metric's values are given for (totals aside), with counts per kind."""
    counts: dict[str, dict[str, int]] = {}
    for kind in KINDS:
        t = kind.table
        stmt = (
            select(col(t.breakdown_key), func.count())
            .where(col(t.metric_id) == metric_id, col(t.breakdown_key) != "")
            .group_by(col(t.breakdown_key))
        )
        if public:
            stmt = stmt.where(published(t))
        for key, n in session.execute(stmt):
            counts.setdefault(key, {})[kind.plural] = n
    found = []
    for key in sorted(counts):
        parts: dict[str, str] = json.loads(key)
        query = ";".join(f"{name}:{value}" for name, value in parts.items())
        per_kind = {plural: counts[key].get(plural, 0) for plural in PLURALS}
        found.append(s.BreakdownCount(breakdown=parts, query=query, **per_kind))
    return found


def parse_breakdown(text: str) -> str:
    """`age:65+;sex:female` (or `total`) as the key values are stored under."""
    if text.strip().lower() == "total":
        return ""
    try:
        return models.breakdown_key(split_breakdown(text))
    except ValueError as problem:
        raise ValidationFailed.single("query.breakdown", str(problem)) from None


def published(table: type[models.MetricValue]) -> Any:
    """Values anyone may see: area-wide ones, and those of published collaborations."""
    C = models.Collaboration
    drafts = select(col(C.id)).where(col(C.publication) == Publication.draft)
    return or_(col(table.collaboration_id).is_(None), col(table.collaboration_id).not_in(drafts))


def _resolve(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Area references become ids; a named collaboration must exist; a breakdown gets its key."""
    if "breakdown" in values:
        values["breakdown_key"] = models.breakdown_key(values["breakdown"])
    if "area_id" in values:
        values["area_id"] = areas.resolve_ids(session, [values["area_id"]], "body.area_id")[0]
    if values.get("collaboration_id") is not None:
        crud.require_exists(
            session, models.Collaboration, values["collaboration_id"], "body.collaboration_id"
        )
    return values
