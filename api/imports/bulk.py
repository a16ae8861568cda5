"""Metric values in bulk: a thousand rows a statement, with the same checks and audit trail.

Observations arrive by the hundred thousand (an ONS table, a year of Ofcom data). Row by
row through the ORM that is a few hundred a second; here each batch is checked first, the
values it already has are found in one query, and the new ones and their changes in the
audit trail are written with one statement each. A value named twice in a file is written
once: the later row wins, as it would have row by row.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session, col

from api import models
from api.access import Access
from api.audit import service as audit
from api.auth.principal import Principal
from api.errors import ProblemError
from api.imports.fields import RowError, from_problem, validate
from api.imports.records import Importer
from api.metrics.values import Kind
from api.models import new_id, utcnow

BATCH = 1000
IMPORT_CACHE_KIB = 65_536
COMPARED = ("value", "qualifier", "flags", "source", "note")  # what a re-import may change
Key = tuple[str, str, str, Any, str]  # metric, area, collaboration ('' for none), date, breakdown


def _key(kind: Kind, values: dict[str, Any]) -> Key:
    date = values.get("date") if "date" in kind.unique_by else None
    breakdown = models.breakdown_key(values.get("breakdown", {}))
    return (values["metric_id"], values["area_id"], values.get("collaboration_id") or "", date, breakdown)


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
    with _big_cache(work.session):
        while batch := list(islice(rows, BATCH)):
            _batch(work, importer, kind, batch, principal, reject)
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


def _batch(
    work: Any,
    importer: Importer,
    kind: Kind,
    batch: list[tuple[int, dict[str, str]]],
    principal: Principal | None,
    reject: Any,
) -> None:
    session: Session = work.session
    access = Access(principal, importer.resource, "create")
    ready: dict[Key, tuple[dict[str, Any], Any]] = {}
    for number, row in batch:
        work.counts.rows += 1
        try:
            values = importer.prepare(work, row)
            data = validate(
                kind.create_schema,
                {k: v for k, v in values.items() if k in kind.create_schema.model_fields},
                row,
            )
            access.check(session, None, data)
        except RowError as error:
            reject(number, error, row)
            continue
        except ProblemError as problem:
            reject(number, from_problem(problem), row)
            continue
        fields = {**data.model_dump(), "metric_id": values["metric_id"]}
        key = _key(kind, fields)
        if key in ready:
            work.counts.updated += 1  # the same value again, later in the file: it wins
        ready[key] = (fields, number)
    if not ready:
        return
    found = _existing(session, kind, list(ready))
    new: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    actor = session.info.get("actor", audit.LOADER)
    now = utcnow()
    for key, (fields, _) in ready.items():
        fields["breakdown_key"] = key[4]
        fields["flags"] = [str(f) for f in fields.get("flags", [])]
        had = found.get(key)
        if had is None:
            record = {**fields, "id": new_id(), "version": 1, "created_at": now, "updated_at": now}
            new.append(record)
            changes.append(_change(kind, actor, None, record))
            work.counts.created += 1
            continue
        if all(_same(getattr(had, f, None), fields.get(f)) for f in COMPARED if f in fields):
            work.counts.unchanged += 1
            continue
        changed = {f: fields[f] for f in COMPARED if f in fields}
        before = _state(had)  # now: the update below also refreshes `had` in the session
        after = {**before, **changed, "version": had.version + 1, "updated_at": now}
        session.execute(
            update(kind.table)
            .where(col(kind.table.id) == had.id, col(kind.table.version) == had.version)
            .values(**changed, version=had.version + 1, updated_at=now)
        )
        changes.append(_change(kind, actor, before, after))
        work.counts.updated += 1
    # Core, not the ORM's bulk insert: the rows are plain dicts already, and the ORM's
    # per-row bookkeeping was a third of an import's time.
    connection = session.connection()
    if new:
        connection.execute(insert(kind.table.__table__), new)  # type: ignore[attr-defined]
    if changes:
        connection.execute(insert(models.Change.__table__), changes)  # type: ignore[attr-defined]


def _same(stored: Any, given: Any) -> bool:
    return stored == given or (stored is None and given in ("", [], None))


def _existing(session: Session, kind: Kind, keys: list[Key]) -> dict[Key, Any]:
    """The values this batch names that are here already, in one query.

    As IN lists on the leading columns of the value's unique index (metric, area, date), which
    both engines seek on; SQLite scans the table for a row-value IN of whole keys. The few
    extra rows the lists let through are dropped here."""
    t = kind.table
    dated = "date" in kind.unique_by
    stmt = select(t).where(
        col(t.metric_id).in_({k[0] for k in keys}),
        col(t.area_id).in_({k[1] for k in keys}),
        col(t.breakdown_key).in_({k[4] for k in keys}),
    )
    if dated:
        stmt = stmt.where(col(t.date).in_({k[3] for k in keys}))
    wanted, found = set(keys), {}
    for row in session.execute(stmt).scalars():
        key = (
            row.metric_id,
            row.area_id,
            row.collaboration_id or "",
            row.date if dated else None,
            row.breakdown_key,
        )
        if key in wanted:
            found[key] = row
    return found


def _state(record: Any) -> dict[str, Any]:
    return {c: getattr(record, c) for c in record.__table__.columns.keys()}  # noqa: SIM118


def _change(
    kind: Kind, actor: audit.Actor, before: dict[str, Any] | None, after: dict[str, Any]
) -> dict[str, Any]:
    """A row of the audit trail, as audit.record writes one."""
    old = kind.read_schema.model_validate(before).model_dump(mode="json") if before else None
    new = kind.read_schema.model_validate(after).model_dump(mode="json")
    return {
        "at": utcnow(),
        "actor_kind": actor.kind,
        "actor_id": actor.id,
        "actor_name": actor.name,
        "request_id": actor.request_id,
        "resource": kind.plural,
        "resource_id": after["id"],
        "parent_id": after["metric_id"],
        "action": "create" if before is None else "update",
        "version": new["version"],
        "changes": audit.diff(old, new),
        "state": new,
    }
