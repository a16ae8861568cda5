"""Metric values in bulk: a thousand rows a statement, with the same checks and audit trail.

Observations arrive by the hundred thousand (an ONS table, a year of Ofcom data), up to a
million in a file. Row by row through the ORM that is a few hundred a second; here each
batch is checked first, the values it already has are found in one query, and the new ones
and their changes in the audit trail are written with one statement each (COPY on
PostgreSQL), as plain rows: no ORM objects, no pydantic model per audit state. A value named
twice in a file is written once: the later row wins, as it would have row by row.
"""

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from functools import lru_cache
from itertools import islice
from typing import Any

from pydantic import TypeAdapter
from pydantic_core import to_json
from sqlalchemy import update
from sqlmodel import Session, col

from api import models
from api.access import Access
from api.audit import service as audit
from api.auth.principal import Principal
from api.errors import ProblemError
from api.imports.fields import RowError, from_problem, validate
from api.imports.records import Importer
from api.imports.store import Key, Store
from api.metrics.schemas import DecimalString
from api.metrics.values import Kind
from api.models import utcnow

BATCH = 1000
IMPORT_CACHE_KIB = 65_536
COMPARED = ("value", "qualifier", "flags", "source", "note")  # what a re-import may change
# The read schema's own JSON forms of a value, a date and a time, for audit states built directly.
_DECIMAL, _DATE, _MOMENT = TypeAdapter(DecimalString), TypeAdapter(date), TypeAdapter(datetime)


def write(
    work: Any,
    importer: Importer,
    kind: Kind,
    rows: Iterable[tuple[int, dict[str, str]]],
    principal: Principal | None,
    reject: Any,
) -> Iterator[int]:
    """Write every row, a batch at a time; yields the rows read so far after each batch."""
    rows = iter(rows)
    audit._commit_order(work.session)  # the feed's order: taken once, for the whole import
    with _big_cache(work.session), Store(work.session.connection(), kind) as store:
        while batch := list(islice(rows, BATCH)):
            _batch(work, importer, kind, store, batch, principal, reject)
            yield len(batch)


@contextmanager
def _big_cache(session: Session) -> Iterator[None]:
    """On SQLite, a large page cache for the import's connection while it runs: a value's
    table has eight indexes, and with the 2 MiB a request's connection keeps, inserts into
    them went to the file, not memory, once the table outgrew it."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        yield
        return
    kept = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size={int(kept or -2048)}")


def _key(kind: Kind, values: dict[str, Any], breakdowns: dict[tuple[Any, ...], str]) -> Key:
    date = values.get("date") if "date" in kind.unique_by else None
    parts = values.get("breakdown") or {}
    shape = tuple(parts.items())
    if shape not in breakdowns:
        breakdowns[shape] = models.breakdown_key(parts)
    return (
        values["metric_id"],
        values["area_id"],
        values.get("collaboration_id") or "",
        date,
        breakdowns[shape],
    )


def _batch(
    work: Any,
    importer: Importer,
    kind: Kind,
    store: Store,
    batch: list[tuple[int, dict[str, str]]],
    principal: Principal | None,
    reject: Any,
) -> None:
    tally = dict.fromkeys(("rows", "created", "updated", "unchanged"), 0)
    try:  # the counts are a pydantic model: added to once a batch, not five times a row
        ready = _checked(work, importer, kind, batch, principal, reject, tally)
        if ready:
            _written(work.session, kind, store, ready, tally)
    finally:
        for name, n in tally.items():
            setattr(work.counts, name, getattr(work.counts, name) + n)


def _checked(
    work: Any,
    importer: Importer,
    kind: Kind,
    batch: list[tuple[int, dict[str, str]]],
    principal: Principal | None,
    reject: Any,
    tally: dict[str, int],
) -> dict[Key, dict[str, Any]]:
    """The batch's rows parsed and checked, by key: a later row of a value wins."""
    access = Access(principal, importer.resource, "create")
    given = frozenset(kind.create_schema.model_fields)
    breakdowns: dict[tuple[Any, ...], str] = {}
    ready: dict[Key, dict[str, Any]] = {}
    for number, row in batch:
        tally["rows"] += 1
        try:
            values = importer.prepare(work, row)
            data = validate(kind.create_schema, {k: v for k, v in values.items() if k in given}, row)
            access.check(work.session, None, data)
        except RowError as error:
            reject(number, error, row)
            continue
        except ProblemError as problem:
            reject(number, from_problem(problem), row)
            continue
        # Its fields as validated: model_dump() gives the same flat values, ten times slower.
        fields = {**data.__dict__, "metric_id": values["metric_id"]}
        key = _key(kind, fields, breakdowns)
        if kind.sided:  # a target against its baseline (a baseline against its targets)
            try:
                scope = {**fields, "breakdown_key": key[4]}
                kind.ensure_target_side(work.session, values["metric_id"], scope)
            except ProblemError as problem:
                reject(number, from_problem(problem), row)
                continue
        if key in ready:
            tally["updated"] += 1  # the same value again, later in the file: it wins
        ready[key] = fields
    return ready


def _written(
    session: Session, kind: Kind, store: Store, ready: dict[Key, dict[str, Any]], tally: dict[str, int]
) -> None:
    """New values and their changes inserted, changed ones updated, in the batch's order."""
    found = store.existing(session, list(ready))
    new: list[tuple[Any, ...]] = []
    changes: list[tuple[Any, ...]] = []
    actor = session.info.get("actor", audit.LOADER)
    now = utcnow()
    at, stamp = store.moment(now), _MOMENT.dump_python(now, mode="json")
    who = (at, actor.kind, actor.id, actor.name, actor.request_id, kind.plural)
    encoded: dict[Any, str] = {}
    for key, fields in ready.items():
        fields["breakdown_key"] = key[4]
        fields["flags"] = [str(f) for f in fields.get("flags", [])]
        had = found.get(key)
        if had is None:
            fields.update(id=store.new_id(), version=1, created_at=now, updated_at=now)
            state = _created_state(kind, fields, stamp)
            if not new:
                _check_state(kind, fields, state)
            # audit.diff(None, state): every field a new value has, bar the record's own.
            diff = [
                {"field": f, "before": None, "after": v}
                for f, v in state.items()
                if v is not None and f not in audit.META
            ]
            changes.append((*who, fields["id"], fields["metric_id"], "create", 1, _json(diff), _json(state)))
            new.append(_stored(store, fields, at, encoded))
            tally["created"] += 1
        elif all(_same(getattr(had, f, None), fields.get(f)) for f in COMPARED if f in fields):
            tally["unchanged"] += 1
        else:
            changes.append(_updated(session, kind, had, fields, now, who))
            tally["updated"] += 1
    store.insert(new, changes)


def _updated(
    session: Session, kind: Kind, had: Any, fields: dict[str, Any], now: datetime, who: tuple[Any, ...]
) -> tuple[Any, ...]:
    """The value changed in place; its change for the audit trail."""
    changed = {f: fields[f] for f in COMPARED if f in fields}
    before = _state(had)  # now: the update below also refreshes `had` in the session
    after = {**before, **changed, "version": had.version + 1, "updated_at": now}
    session.execute(
        update(kind.table)
        .where(col(kind.table.id) == had.id, col(kind.table.version) == had.version)
        .values(**changed, version=had.version + 1, updated_at=now)
    )
    old = kind.read_schema.model_validate(before).model_dump(mode="json")
    state = kind.read_schema.model_validate(after).model_dump(mode="json")
    diff = _json(audit.diff(old, state))
    return (*who, had.id, had.metric_id, "update", state["version"], diff, _json(state))


def _stored(store: Store, fields: dict[str, Any], at: Any, encoded: dict[Any, str]) -> tuple[Any, ...]:
    """A new value's row as the driver takes it, each column as its type would bind it."""
    row = {**fields, "created_at": at, "updated_at": at, "value": store.number(fields["value"])}
    row["date"] = store.day(fields["date"])
    if "qualifier" in row:
        row["qualifier"] = str(row["qualifier"])  # its value: a driver may bind an enum by name
    for name in ("breakdown", "flags"):  # a batch has few of either: each encoded once
        shape = (name, str(fields[name]))
        if shape not in encoded:
            encoded[shape] = json.dumps(fields[name])
        row[name] = encoded[shape]
    return store.row(row)


def _created_state(kind: Kind, fields: dict[str, Any], stamp: str) -> dict[str, Any]:
    """What kind.read_schema.model_validate(fields).model_dump(mode="json") gives a new
    value, built directly: that was a quarter of the import's time."""
    state = {
        "id": fields["id"],
        "version": 1,
        "created_at": stamp,
        "updated_at": stamp,
        "metric_id": fields["metric_id"],
        "area_id": fields["area_id"],
        "collaboration_id": fields["collaboration_id"],
        "value": _DECIMAL.dump_python(fields["value"], mode="json"),
        "date": _day(fields["date"]),
        "source": fields["source"],
        "note": fields["note"],
        "breakdown": fields["breakdown"],
        "flags": fields["flags"],
    }
    if "qualifier" in fields:
        state["qualifier"] = str(fields["qualifier"])
    return state


def _check_state(kind: Kind, fields: dict[str, Any], state: dict[str, Any]) -> None:
    """Once a batch, the state built directly against the read schema's: a field added to the
    schema must not go missing from the audit trail."""
    expected = kind.read_schema.model_validate(fields).model_dump(mode="json")
    assert list(state.items()) == list(expected.items()), (state, expected)


@lru_cache(maxsize=4096)
def _day(value: date) -> str:
    return str(_DATE.dump_python(value, mode="json"))


def _json(value: Any) -> str:
    return to_json(value).decode()


def _same(stored: Any, given: Any) -> bool:
    return stored == given or (stored is None and given in ("", [], None))


def _state(record: Any) -> dict[str, Any]:
    return {c: getattr(record, c) for c in record.__table__.columns.keys()}  # noqa: SIM118
