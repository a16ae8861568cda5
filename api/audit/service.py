"""The audit trail: one append-only row per write, numbered in commit order."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Select, select, text
from sqlmodel import Session, col

from api import models
from api.audit import schemas
from api.enums import ChangeAction
from api.errors import ValidationFailed

C = models.Change
# Any constant will do; every writer takes it before appending a change (PostgreSQL only).
FEED_LOCK = 7_216_005_101
META = frozenset({"id", "version", "created_at", "updated_at"})


@dataclass(frozen=True)
class Actor:
    kind: str  # account | key | system
    id: str | None
    name: str
    request_id: str | None = None


LOADER = Actor("system", None, "roadmap load-roadmap")


def act_as(session: Session, actor: Actor) -> None:
    """Attribute the session's writes to this caller."""
    session.info["actor"] = actor


def _commit_order(session: Session) -> None:
    # Sequence numbers are handed out on insert, not at commit. Holding one transaction-level
    # lock from the first change to the commit makes the two orders the same, so a feed reader
    # never sees change n+1 before change n. SQLite already has one writer at a time.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FEED_LOCK})


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Field-level before/after for every field whose value differs."""
    fields = [f for f in {**(before or {}), **(after or {})} if f not in META]
    out = []
    for field in fields:
        old = before.get(field) if before else None
        new = after.get(field) if after else None
        if old != new:
            out.append({"field": field, "before": old, "after": new})
    return out


def record(
    session: Session,
    resource: str,
    resource_id: str,
    *,
    before: BaseModel | None,
    after: BaseModel | None,
    parent_id: str | None = None,
    redacted: Iterable[str] = (),
    action: str | None = None,
) -> None:
    """Append the change from `before` to `after` (None for a create or a delete)."""
    # exclude_unset: a field the caller's view left out (a person's contact details) stays out.
    old = before.model_dump(mode="json", exclude_unset=True) if before is not None else None
    new = after.model_dump(mode="json", exclude_unset=True) if after is not None else None
    action = action or ("create" if old is None else "delete" if new is None else "update")
    # An erasure records which fields it cleared, never what they held.
    values = [] if action == "erase" else diff(old, new)
    changes = values + [{"field": f, "redacted": True} for f in redacted]
    if action == "update" and not changes:
        return  # nothing was written
    actor = session.info.get("actor", LOADER)
    _commit_order(session)
    session.add(
        C(
            actor_kind=actor.kind,
            actor_id=actor.id,
            actor_name=actor.name,
            request_id=actor.request_id,
            resource=resource,
            resource_id=resource_id,
            parent_id=parent_id,
            action=action,
            version=new["version"] if new else None,
            changes=changes,
            state=new,
        )
    )


def erase(session: Session, resource: str, resource_id: str, replaced: dict[str, Any]) -> None:
    """Rewrite the trail so no earlier change still holds the erased values."""
    for change in session.scalars(
        select(C).where(col(C.resource) == resource, col(C.resource_id) == resource_id)
    ):
        change.changes = [
            {"field": c["field"], "redacted": True} if c["field"] in replaced else c for c in change.changes
        ]
        if change.state is not None:
            change.state = {**change.state, **{k: v for k, v in replaced.items() if k in change.state}}


def to_schema(row: models.Change) -> schemas.Change:
    return schemas.Change(
        sequence=row.id or 0,
        at=row.at,
        actor=schemas.Actor(kind=row.actor_kind, id=row.actor_id, name=row.actor_name),
        request_id=row.request_id,
        resource=row.resource,
        resource_id=row.resource_id,
        parent_id=row.parent_id,
        action=ChangeAction(row.action),
        version=row.version,
        changes=[schemas.FieldChange(**c) for c in row.changes],
        state=row.state,
    )


def parse_cursor(cursor: str | None, field: str) -> int:
    if cursor is None or cursor == "":
        return 0
    if not cursor.isascii() or not cursor.isdigit() or len(cursor) > 18:
        raise ValidationFailed.single(f"query.{field}", "Invalid cursor: it is not one this API issued.")
    return int(cursor)


def history(
    session: Session, resource: str, resource_id: str, cursor: str | None, limit: int
) -> tuple[list[schemas.Change], str | None]:
    """Newest first: one resource's changes."""
    stmt = select(C).where(col(C.resource) == resource, col(C.resource_id) == resource_id)
    return _newest_first(session, stmt, cursor, limit)


def recent(
    session: Session, resources: Sequence[str], cursor: str | None, limit: int
) -> tuple[list[schemas.Change], str | None]:
    """Newest first: the latest changes to these collections."""
    return _newest_first(session, select(C).where(col(C.resource).in_(resources)), cursor, limit)


def _newest_first(
    session: Session, stmt: Select[C], cursor: str | None, limit: int
) -> tuple[list[schemas.Change], str | None]:
    if cursor:
        stmt = stmt.where(col(C.id) < parse_cursor(cursor, "cursor"))
    rows = list(session.scalars(stmt.order_by(col(C.id).desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return [to_schema(r) for r in rows], (str(rows[-1].id) if more else None)


def exists(session: Session, resource: str, resource_id: str) -> bool:
    stmt = select(col(C.id)).where(col(C.resource) == resource, col(C.resource_id) == resource_id)
    return session.scalars(stmt.limit(1)).first() is not None


def feed(session: Session, after: str | None, limit: int, resources: Sequence[str]) -> schemas.ChangeFeed:
    """Oldest first from the cursor: what a mirror applies, in order."""
    position = parse_cursor(after, "after")
    stmt = select(C).where(col(C.id) > position, col(C.resource).in_(resources))
    rows = list(session.scalars(stmt.order_by(col(C.id)).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1].id if rows else position
    return schemas.ChangeFeed(items=[to_schema(r) for r in rows], next_cursor=str(last), more=more)
