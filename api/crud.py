"""Persistence steps every domain shares. Services call these; nothing here commits."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import SQLColumnExpression, delete, func, insert, literal, or_, select, union_all
from sqlalchemy.sql import Select
from sqlmodel import Session, SQLModel, col

from api.errors import Conflict, NotFound, ValidationFailed
from api.models import Record, utcnow

R = TypeVar("R", bound=Record)


def get_or_404(session: Session, model: type[R], id_: str, what: str) -> R:
    obj = session.get(model, id_)
    if obj is None:
        raise NotFound(f"No {what} with id {id_!r}.")
    return obj


def add(session: Session, obj: R) -> R:
    session.add(obj)
    session.flush()
    return obj


def apply_changes(obj: Record, changes: dict[str, Any], *, links_changed: bool = False) -> bool:
    """Set the changed fields; bump version and updated_at only if something changed."""
    changed = links_changed
    for name, value in changes.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        touch(obj)
    return changed


def touch(obj: Record) -> None:
    obj.version += 1
    obj.updated_at = utcnow()


def ensure_unreferenced(
    session: Session, id_: str, what: str, refs: Sequence[tuple[SQLColumnExpression[Any], str]]
) -> None:
    """409 naming what still points at the record, rather than a bare FK violation."""
    found = []
    for column, label in refs:
        count = session.scalar(select(func.count()).where(column == id_))
        if count:
            found.append(f"{count} {label}")
    if found:
        raise Conflict(f"The {what} is still referenced by {', '.join(found)}; remove those first.")


def remove(
    session: Session, obj: Record, what: str, refs: Sequence[tuple[SQLColumnExpression[Any], str]]
) -> None:
    ensure_unreferenced(session, obj.id, what, refs)
    session.delete(obj)
    session.flush()


Link = tuple[SQLColumnExpression[str], SQLColumnExpression[str]]  # (owner id column, linked value column)


def load_links(session: Session, owner_ids: Iterable[str], *links: Link) -> list[dict[str, list[str]]]:
    """One query for a whole page and all its link tables: for each link, owner id → sorted values."""
    ids = list(owner_ids)
    found: list[dict[str, list[str]]] = [defaultdict(list) for _ in links]
    if ids and links:
        # Plain rows, not entities: Core costs a third of the ORM per statement. Flushing
        # first keeps what the ORM's autoflush would have given (links written just now).
        session.flush()
        branches: list[Any] = [
            select(literal(n).label("link"), owner.label("owner"), value.label("value")).where(owner.in_(ids))
            for n, (owner, value) in enumerate(links)
        ]
        for n, owner_id, linked in session.connection().execute(union_all(*branches)):
            found[n][owner_id].append(linked)
    return [{i: sorted(f[i]) for i in ids} for f in found]


def replace_links(
    session: Session,
    link: type[SQLModel],
    owner_field: str,
    owner_id: str,
    value_field: str,
    values: Iterable[str],
) -> bool:
    """Make the owner's links exactly `values`; True if that changed anything."""
    # SQLModel sets __table__ on table models at class creation; its stubs do not declare it.
    table = link.__table__  # type: ignore[attr-defined]
    owner_col, value_col = table.c[owner_field], table.c[value_field]
    current = set(session.scalars(select(value_col).where(owner_col == owner_id)))
    wanted = set(values)
    if current == wanted:
        return False
    if current - wanted:
        session.execute(delete(table).where(owner_col == owner_id, value_col.in_(current - wanted)))
    if wanted - current:
        session.execute(insert(table), [{owner_field: owner_id, value_field: v} for v in wanted - current])
    return True


def text_filter(stmt: Select[Any], q: str | None, *columns: SQLColumnExpression[str | None]) -> Select[Any]:
    """Case-insensitive substring search over the given columns."""
    if not q:
        return stmt
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return stmt.where(or_(*(column.ilike(pattern, escape="\\") for column in columns)))


def existing_ids(session: Session, id_column: SQLColumnExpression[str], ids: Iterable[str]) -> set[str]:
    wanted = set(ids)
    if not wanted:
        return set()
    return set(session.scalars(select(id_column).where(id_column.in_(wanted))))


def ensure_unique(session: Session, model: type[R], what: str, own_id: str | None, **fields: Any) -> None:
    """409 if another record already has these values (None compares as IS NULL)."""
    conditions = [
        getattr(model, k).is_(None) if v is None else getattr(model, k) == v for k, v in fields.items()
    ]
    stmt = select(col(model.id)).where(*conditions)
    if own_id is not None:
        stmt = stmt.where(col(model.id) != own_id)
    if session.scalars(stmt.limit(1)).first() is not None:
        raise Conflict(f"A {what} with the same {', '.join(fields)} already exists.")


def ensure_external_key(
    session: Session, model: type[R], what: str, record: R | None, values: dict[str, Any]
) -> None:
    """A key from elsewhere is `source` and `external_id` together, held by one record.

    `values` are a create's fields, or an update's changes to `record`."""
    if record is not None and not values.keys() & {"source", "external_id"}:
        return
    source, external_id = (values.get(f, getattr(record, f, None)) for f in ("source", "external_id"))
    if (source is None) != (external_id is None):
        field = "body.source" if source is None else "body.external_id"
        raise ValidationFailed.single(field, "Send source and external_id together, or neither.")
    if external_id is not None:
        own_id = record.id if record is not None else None
        ensure_unique(session, model, what, own_id, source=source, external_id=external_id)


def require_exists(session: Session, model: type[R], id_: str | None, field: str) -> None:
    """422 naming the body field when it points at a record that does not exist."""
    if id_ is not None and session.get(model, id_) is None:
        raise ValidationFailed.single(field, f"No record with id {id_!r}.")


def ensure_in_order(record: Any, changes: dict[str, Any], start: str, end: str) -> None:
    """For a PATCH: the period as it will be may not end before it starts."""
    first, last = changes.get(start, getattr(record, start)), changes.get(end, getattr(record, end))
    if first is not None and last is not None and last < first:
        raise ValidationFailed.single(f"body.{end}", f"{end} is before {start}")


def require_all(
    session: Session, id_column: SQLColumnExpression[str], ids: Iterable[str], field: str, what: str
) -> list[str]:
    """The ids without repeats, in order; 422 naming the field if any does not exist."""
    wanted = list(dict.fromkeys(ids))
    found = existing_ids(session, id_column, wanted)
    missing = [i for i in wanted if i not in found]
    if missing:
        raise ValidationFailed.single(field, f"Unknown {what}: {', '.join(missing)}.")
    return wanted
