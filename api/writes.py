"""The steps of every write, in one order: ownership, If-Match, the change, its audit record."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session

from api.access import Access
from api.audit import service as audit
from api.http import check_if_match


@dataclass(frozen=True)
class Audited:
    """How one kind of record is written and recorded."""

    resource: str  # the collection's name in URLs, the audit trail and the access rules
    label: str
    read: Callable[[Session, Any], BaseModel]  # the public state, as the trail keeps it
    parent: str | None = None  # the attribute holding the parent's id (a participant's collaboration)
    personal: tuple[str, ...] = ()  # recorded as changed, never with their values

    def _record(
        self, session: Session, obj: Any, before: BaseModel | None, after: BaseModel | None, **kw: Any
    ) -> None:
        parent_id = getattr(obj, self.parent) if self.parent else None
        audit.record(session, self.resource, obj.id, before=before, after=after, parent_id=parent_id, **kw)

    def created(self, session: Session, obj: Any) -> None:
        redacted = [f for f in self.personal if getattr(obj, f) is not None]
        self._record(session, obj, None, self.read(session, obj), redacted=redacted)

    def update(
        self,
        session: Session,
        access: Access,
        obj: Any,
        data: BaseModel,
        if_match: str | None,
        apply: Callable[[], object],
    ) -> None:
        access.check(session, obj, data)
        check_if_match(if_match, obj.version, self.label)
        before, personal = self.read(session, obj), {f: getattr(obj, f) for f in self.personal}
        apply()
        redacted = [f for f in self.personal if getattr(obj, f) != personal[f]]
        self._record(session, obj, before, self.read(session, obj), redacted=redacted)

    def delete(
        self, session: Session, access: Access, obj: Any, if_match: str | None, apply: Callable[[], object]
    ) -> None:
        access.check(session, obj)
        check_if_match(if_match, obj.version, self.label)
        before = self.read(session, obj)
        apply()
        self._record(session, obj, before, None)
