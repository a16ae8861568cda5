"""Each kind of record a file can hold: which columns it reads, which record a row already
is (its natural key), and how it is created or changed, through the domain's own service.

A row is a mapping of the API's field names to cell text (a layout has already renamed the
file's columns). `prepare` parses and resolves it; `find` says which record it already is.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlmodel import Session, col

from api import models
from api.areas import service as areas
from api.areas.schemas import AreaCreate, AreaUpdate
from api.imports import cells
from api.imports.fields import RowError, parse_cells
from api.imports.refs import Lookup, same_name
from api.metrics import values as metric_values
from api.metrics.schemas import split_breakdown
from api.stakeholders import service as stakeholders
from api.stakeholders.schemas import StakeholderCreate, StakeholderUpdate

Row = Mapping[str, str]


class Run(Protocol):
    """What an import gives each row: its session, its lookups, its options, its notes."""

    session: Session
    lookup: Lookup
    columns: dict[str, str]

    @property
    def options(self) -> Mapping[str, Any]: ...

    def note(self, text: str) -> None: ...

    def metric_codes(self) -> set[str]: ...


@dataclass(frozen=True)
class Importer:
    resource: str
    label: str
    create: type[BaseModel]
    update: type[BaseModel]
    read: Callable[[Session, Any], BaseModel]
    prepare: Callable[[Run, Row], dict[str, Any]]
    find: Callable[[Run, dict[str, Any]], Any | None]
    make: Callable[[Session, dict[str, Any], BaseModel], Any]
    # Changes the record; True when it changed more than the record's own fields (participants).
    change: Callable[[Session, Any, BaseModel, dict[str, Any]], bool]
    columns: frozenset[str]  # what it reads; other columns are reported, not fatal
    parent: str | None = None  # the attribute the audit trail files it under
    aliases: Mapping[str, str] = field(default_factory=dict)  # other names for columns
    bulk: metric_values.Kind | None = None  # written in batches (api.imports.bulk), not row by row


def plain(
    update: Callable[[Session, Any, Any], Any],
) -> Callable[[Session, Any, BaseModel, dict[str, Any]], bool]:
    """A service's update as an importer's change: the record's own fields, nothing more."""

    def change(session: Session, record: Any, data: BaseModel, values: dict[str, Any]) -> bool:
        update(session, record, data)
        return False

    return change


# --- areas ----------------------------------------------------------------------------------


def _area_prepare(run: Run, row: Row) -> dict[str, Any]:
    values = parse_cells(AreaCreate, row, skip=frozenset({"parent_ids"}))
    parents = cells.parse_list(row.get("parent_ids", ""))
    if parents:
        values["parent_ids"] = [run.lookup.area(p, "parent_ids") for p in parents]
    added = cells.parse_list(row.get("add_parent_ids", ""))  # a lookup adds containers, never drops one
    if added:
        ids = [run.lookup.area(p, "parent_ids") for p in added]
        existing = _area_find(run, values)
        had = areas.parents_of(run.session, [existing.id])[existing.id] if existing is not None else []
        values["parent_ids"] = sorted({*had, *ids})
        if existing is not None:  # a lookup adds structure; it never renames an area someone named
            values.pop("name", None)
    return values


def _area_find(run: Run, values: dict[str, Any]) -> models.Area | None:
    A = models.Area
    if values.get("code"):
        return areas.find(run.session, values["code"])
    stmt = select(A).where(func.lower(col(A.name)) == same_name(values.get("name", "")))
    return run.session.scalars(stmt.where(col(A.kind) == values.get("kind")).limit(1)).first()


AREAS = Importer(
    "areas",
    "area",
    AreaCreate,
    AreaUpdate,
    areas.read,
    _area_prepare,
    _area_find,
    lambda session, values, data: areas.create(session, data),  # type: ignore[arg-type]
    plain(areas.update),
    frozenset({*AreaCreate.model_fields, "add_parent_ids"}),
    aliases={"parents": "parent_ids", "gss_code": "code"},
)


R = TypeVar("R", bound=models.Record)
K = TypeVar("K", bound=models.FromElsewhere)


def by_id(session: Session, table: type[R], values: dict[str, Any], what: str) -> R | None:
    """The record the file's `id` column names (None when it has none): a row that names an
    id that is not here is an error, never a new record."""
    if "id" not in values:
        return None
    found = session.get(table, values.pop("id"))
    if found is None:
        raise RowError(f"No {what} has this id: leave the id blank to add one.", "id")
    return found


def by_external_key(session: Session, table: type[K], values: dict[str, Any]) -> K | None:
    """The record with the row's key elsewhere (`source`, `external_id`), if it gives one."""
    if not values.get("external_id"):
        return None
    stmt = select(table).where(
        col(table.source) == values.get("source"), col(table.external_id) == values["external_id"]
    )
    return session.scalars(stmt).first()


# --- stakeholders ---------------------------------------------------------------------------


def _stakeholder_prepare(run: Run, row: Row) -> dict[str, Any]:
    values = parse_cells(StakeholderCreate, row, skip=frozenset({"area_ids"}))
    places = cells.parse_list(row.get("area_ids", ""))
    if places:
        values["area_ids"] = [run.lookup.area(p, "area_ids") for p in places]
    if row.get("id", "").strip():
        values["id"] = row["id"].strip()
    return values


def _stakeholder_find(run: Run, values: dict[str, Any]) -> models.Stakeholder | None:
    """By id, then an org-id identifier, then the key it has elsewhere, then its exact name."""
    S, session = models.Stakeholder, run.session
    if (found := by_id(session, S, values, "organisation")) is not None:
        return found
    holders = set(stakeholders.by_identifier(session, values.get("identifiers", [])).values())
    if len(holders) > 1:
        raise RowError("These identifiers belong to different organisations.", "identifiers")
    if holders:
        return session.get(S, holders.pop())
    if (found := by_external_key(session, S, values)) is not None:
        return found
    named = list(
        session.scalars(select(S).where(func.lower(col(S.name)) == same_name(values["name"])).limit(2))
    )
    if len(named) > 1:
        raise RowError("More than one organisation has this name: add an id or identifiers column.", "name")
    if not named:
        return None
    other, mine = named[0], set(values.get("identifiers", []))
    theirs = set(stakeholders.identifiers_of(session, other.id))
    told_apart = (mine and theirs and not mine & theirs) or (
        values.get("external_id") and other.external_id and other.external_id != values["external_id"]
    )
    if told_apart:
        run.note(
            f"{values['name']!r}: added beside the organisation of that name ({other.id}), whose keys differ."
        )
        return None
    if mine or values.get("external_id"):
        run.note(f"{values['name']!r}: matched by name to {other.id}, which now carries the file's keys.")
    return other


STAKEHOLDERS = Importer(
    "stakeholders",
    "stakeholder",
    StakeholderCreate,
    StakeholderUpdate,
    stakeholders.read,
    _stakeholder_prepare,
    _stakeholder_find,
    lambda session, values, data: stakeholders.create(session, data),  # type: ignore[arg-type]
    plain(stakeholders.update),
    frozenset({*StakeholderCreate.model_fields, "id"}),
    aliases={"areas": "area_ids", "identifier": "identifiers", "type": "kind"},
)


# --- baselines, targets, observations -------------------------------------------------------


def _breakdown(text: str) -> dict[str, str]:
    try:
        return split_breakdown(text)
    except ValueError as problem:
        raise RowError(str(problem), "breakdown", text) from None


def _value_prepare(kind: metric_values.Kind) -> Callable[[Run, Row], dict[str, Any]]:
    # Worked out once, not for each of a file's many rows.
    skip = frozenset({"area_id", "collaboration_id", "value", "breakdown"})
    qualified = "qualifier" in kind.create_schema.model_fields

    def prepare(run: Run, row: Row) -> dict[str, Any]:
        values = parse_cells(kind.create_schema, row, skip=skip)
        metric = row.get("metric_id", "").strip() or str(run.options.get("metric") or "")
        if not metric:
            raise RowError("Which metric? Add a metric column, or name it for the whole file.", "metric_id")
        values["metric_id"] = run.lookup.metric(metric, "metric_id")
        if not row.get("area_id", "").strip():
            raise RowError("Which area? Give its GSS code or name.", "area_id")
        values["area_id"] = run.lookup.area(row["area_id"], "area_id")
        if row.get("collaboration_id", "").strip():
            values["collaboration_id"] = run.lookup.collaboration(row["collaboration_id"], "collaboration_id")
        if not row.get("value", "").strip():
            raise RowError("No value.", "value")
        try:
            values["value"], bound = cells.parse_value(row["value"])
        except cells.CellProblem as problem:
            raise RowError(str(problem), "value", row["value"]) from problem
        if qualified and "qualifier" not in values:
            values["qualifier"] = bound
        if "date" not in values and run.options.get("date"):
            try:
                values["date"] = cells.parse_date(str(run.options["date"]))
            except cells.CellProblem as problem:
                raise RowError(f"The file's date: {problem}", "date", str(run.options["date"])) from problem
        values["breakdown"] = _breakdown(row.get("breakdown", ""))
        return values

    return prepare


def _value_find(kind: metric_values.Kind) -> Callable[[Run, dict[str, Any]], Any | None]:
    def find(run: Run, values: dict[str, Any]) -> models.MetricValue | None:
        t = kind.table
        stmt = select(t).where(
            col(t.metric_id) == values["metric_id"],
            col(t.area_id) == values["area_id"],
            col(t.breakdown_key) == models.breakdown_key(values["breakdown"]),
        )
        on = values.get("collaboration_id")
        stmt = stmt.where(col(t.collaboration_id).is_(None) if on is None else col(t.collaboration_id) == on)
        if "date" in kind.unique_by:
            stmt = stmt.where(col(t.date) == values.get("date"))
        return run.session.scalars(stmt).first()

    return find


def _values_importer(kind: metric_values.Kind) -> Importer:
    return Importer(
        kind.plural,
        kind.label,
        kind.create_schema,
        kind.update_schema,
        kind.read,
        _value_prepare(kind),
        _value_find(kind),
        lambda session, values, data: kind.create(session, values["metric_id"], data),  # type: ignore[arg-type]
        plain(kind.update),
        frozenset({*kind.create_schema.model_fields, "metric_id"}),
        parent="metric_id",
        bulk=kind,
        aliases={
            "metric": "metric_id",
            "metric_code": "metric_id",
            "area": "area_id",
            "area_code": "area_id",
            "geocode": "area_id",
            "collaboration": "collaboration_id",
        },
    )


VALUES = [_values_importer(kind) for kind in metric_values.KINDS]
