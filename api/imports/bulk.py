"""Metric values in bulk: a thousand rows a statement, with the same checks and audit trail.

Observations arrive by the hundred thousand (an ONS table, a year of Ofcom data). Row by
row through the ORM that is a few hundred a second; here each batch is checked first, the
values it already has are found in one query, and the new ones and their changes in the
audit trail are written with one statement each. A value named twice in a file is written
once: the later row wins, as it would have row by row.
"""

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from sqlalchemy import insert, select, tuple_, update
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
    audit._commit_order(work.session)
    while batch := list(islice(rows, BATCH)):
        _batch(work, importer, kind, batch, principal, reject)
        yield len(batch)


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
    if new:
        session.execute(insert(kind.table), new)
    if changes:
        session.execute(insert(models.Change), changes)


def _same(stored: Any, given: Any) -> bool:
    return stored == given or (stored is None and given in ("", [], None))


def _existing(session: Session, kind: Kind, keys: list[Key]) -> dict[Key, Any]:
    """The values this batch names that are here already, in one query."""
    t = kind.table
    pairs = sorted({(k[0], k[1]) for k in keys})
    stmt = select(t).where(tuple_(col(t.metric_id), col(t.area_id)).in_(pairs))
    if "date" in kind.unique_by:
        stmt = stmt.where(col(t.date).in_(sorted({k[3] for k in keys})))
    wanted = set(keys)
    found = {}
    for row in session.execute(stmt.execution_options(populate_existing=False)).scalars():
        key = (
            row.metric_id,
            row.area_id,
            row.collaboration_id or "",
            row.date if "date" in kind.unique_by else None,
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
