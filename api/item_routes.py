"""The item routes every resource shares: create, get, update, delete, history.

Top-level resources (`/stakeholders/{id}`) and child resources
(`/collaborations/{collaboration_id}/participants/{id}`) alike: each domain's routes.py
declares its own list endpoint (the filters differ) and calls `add_item_routes` for the
rest, so the conventions (201 + Location, ETag, If-Match, the access rule, the audit
record, the problems each can answer) are written once.
"""

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any, Literal, Protocol

from fastapi import APIRouter, Depends, Path, Request, Response, status
from pydantic import BaseModel
from sqlmodel import Session

from api import bounds
from api.access import Access, allow
from api.audit.routes import Cursor, history_page
from api.audit.schemas import Change
from api.db import SessionDep
from api.errors import (
    Conflict,
    Forbidden,
    NotFound,
    ProblemError,
    Unauthorized,
    ValidationFailed,
    problems,
)
from api.http import IfMatch, created, with_etag
from api.pagination import FormatDep, Limit, PageQuery
from api.schema_base import Page
from api.tabular import ListFormat
from api.writes import Audited

AUTH_ERRORS = (Unauthorized, Forbidden)
WRITE_ERRORS = (*AUTH_ERRORS, NotFound, ValidationFailed, Conflict)  # and If-Match's, from its declaration
HISTORY_ERRORS = (Unauthorized, NotFound, ValidationFailed)
Operation = Literal["create", "get", "update", "delete", "history"]


class ItemService(Protocol):
    """What a domain's service offers. A child resource's `get` and `create` take the
    parent's id first: `get(session, collaboration_id, id)`."""

    # Read-only (properties), so a module's functions with narrower parameter types fit.
    @property
    def get(self) -> Callable[..., Any]: ...
    @property
    def read(self) -> Callable[[Session, Any], BaseModel]: ...
    @property
    def create(self) -> Callable[..., Any]: ...
    @property
    def update(self) -> Callable[[Session, Any, Any], Any]: ...
    @property
    def delete(self) -> Callable[[Session, Any], None]: ...


@dataclass(frozen=True)
class Parent:
    """The record a child resource lives under: a participant's collaboration, a value's metric."""

    param: str  # the parent id's path parameter, and the child's attribute that holds it
    label: str
    get: Callable[[Session, str], Any]  # raises NotFound
    # A partner may add a child to a parent it owns (a participant to a collaboration it
    # leads), rather than judged on the new record's own fields (an observation's collaboration).
    owns_children: bool = False


@dataclass(frozen=True)
class Item:
    label: str
    resource: str  # the collection's name in URLs, the audit trail and the access rules
    service: ItemService
    create: type[BaseModel]
    update: type[BaseModel]
    read: type[BaseModel]
    parent: Parent | None = None
    id_description: str = ""
    summaries: Mapping[Operation, str] = field(default_factory=dict)  # instead of the defaults
    # What this caller sees of a record (personal fields only for editors); default: read().
    view: Callable[[Session, Access, Any], BaseModel] | None = None
    # How this caller creates one (a partner's collaboration is a proposal); default: create().
    make: Callable[[Session, Access, Any], Any] | None = None
    # Records the deletion of what goes with a record (a collaboration's participants).
    on_delete: Callable[[Session, Any], None] | None = None
    # Fields whose values never enter the audit trail: only that they changed.
    personal: tuple[str, ...] = ()

    @property
    def one(self) -> str:
        return ("an " if self.label[0] in "aeiou" else "a ") + self.label

    def summary(self, operation: Operation) -> str:
        if operation in self.summaries:
            return self.summaries[operation]
        under = f" of the {self.parent.label}" if self.parent else ""
        return {
            "create": f"Create {self.one}{under}.",
            "get": f"Get {self.one}{under}.",
            "update": f"Update {self.one}{under}.",
            "delete": f"Delete {self.one}{under}.",
            "history": f"The changes to {self.one}{under}, newest first.",
        }[operation]

    def name(self, operation: Operation) -> str:
        """The operation's name: `get` for a top-level resource, `get_participant` for a child."""
        if self.parent is None:
            return operation
        label = self.label.replace(" ", "_")
        return f"{label}_history" if operation == "history" else f"{operation}_{label}"


def add_route(
    router: APIRouter,
    path: str,
    endpoint: Any,
    method: str,
    summary: str,
    errors: tuple[type[ProblemError], ...],
    **kwargs: Any,
) -> None:
    """Register one operation with its one-line summary and the problems it can answer."""
    router.add_api_route(
        path, endpoint, methods=[method], summary=summary, responses=problems(*errors), **kwargs
    )


def visible(session: Session, access: Access, record: Any, label: str, id_: str) -> Any:
    """A draft is not there for an anonymous caller, nor a partner's referral for another."""
    if not access.can_read(session, record):
        raise NotFound(f"No {label} with id {id_!r}.")
    return record


def scope(parent: Parent | None) -> Any:
    """A dependency giving the parent's id from the path as a tuple: `()` for a top-level item."""

    async def top_level() -> tuple[str, ...]:
        return ()

    if parent is None:
        return Depends(top_level)

    async def under(**path: str) -> tuple[str, ...]:
        return (path[parent.param],)

    id_ = Annotated[bounds.Id, Path(description=f"The {parent.label}'s id.")]
    kind = inspect.Parameter.KEYWORD_ONLY
    under.__signature__ = inspect.Signature([inspect.Parameter(parent.param, kind, annotation=id_)])  # type: ignore[attr-defined]
    return Depends(under)


def add_item_routes(router: APIRouter, item: Item) -> None:
    service, label, resource, parent = item.service, item.label, item.resource, item.parent
    Id = Annotated[bounds.Id, Path(description=item.id_description or f"The {label}'s id.")]
    Scope = Annotated[tuple[str, ...], scope(parent)]
    view = item.view or (lambda session, access, obj: service.read(session, obj))
    make: Callable[..., Any] = item.make or (lambda session, access, *args: service.create(session, *args))
    writes = Audited(
        resource, label, service.read, parent=parent.param if parent else None, personal=item.personal
    )

    def create(
        data: BaseModel,
        at: Scope,
        request: Request,
        response: Response,
        session: SessionDep,
        access: Annotated[Access, allow(resource, "create")],
    ) -> Any:
        owner = parent.get(session, *at) if parent else None
        access.check(session, owner if parent and parent.owns_children else None, data)
        obj = make(session, access, *at, data) if owner is None else make(session, access, owner.id, data)
        writes.created(session, obj)
        created(request, response, obj.id, obj.version)
        return view(session, access, obj)

    def get(
        id: Id,
        at: Scope,
        response: Response,
        session: SessionDep,
        access: Annotated[Access, allow(resource, "read")],
    ) -> Any:
        obj = visible(session, access, service.get(session, *at, id), label, id)
        with_etag(response, obj.version)
        return view(session, access, obj)

    def update(
        id: Id,
        at: Scope,
        data: BaseModel,
        response: Response,
        session: SessionDep,
        access: Annotated[Access, allow(resource, "update")],
        if_match: IfMatch,
    ) -> Any:
        obj = service.get(session, *at, id)
        writes.update(session, access, obj, data, if_match, lambda: service.update(session, obj, data))
        with_etag(response, obj.version)
        return view(session, access, obj)

    def delete(
        id: Id,
        at: Scope,
        session: SessionDep,
        access: Annotated[Access, allow(resource, "delete")],
        if_match: IfMatch,
    ) -> None:
        obj = service.get(session, *at, id)

        def remove() -> None:
            if item.on_delete:
                item.on_delete(session, obj)
            service.delete(session, obj)

        writes.delete(session, access, obj, if_match, remove)

    def history(
        id: Id,
        at: Scope,
        request: Request,
        response: Response,
        session: SessionDep,
        _: Annotated[Access, allow(resource, "history")],
        limit: Limit = 50,
        cursor: Cursor = None,
        format: FormatDep = ListFormat.json,
    ) -> Page[Change]:
        exists = partial(_exists, service, ids=(*at, id))
        page = PageQuery(limit, cursor, None, format)
        return history_page(request, response, session, resource, id, exists, page)

    # FastAPI reads the body schema from the annotation: make it this resource's own.
    create.__annotations__["data"] = item.create
    update.__annotations__["data"] = item.update

    collection = f"/{{{parent.param}}}/{resource}" if parent else ""
    one = f"{collection}/{{id}}"
    shown = {"response_model": item.read, "response_model_exclude_unset": bool(item.personal)}

    def add(path: str, endpoint: Any, method: str, op: Operation, errors: Any, **kwargs: Any) -> None:
        add_route(router, path, endpoint, method, item.summary(op), errors, name=item.name(op), **kwargs)

    parent_errors = (NotFound,) if parent else ()
    add(
        collection,
        create,
        "POST",
        "create",
        (*AUTH_ERRORS, *parent_errors, ValidationFailed, Conflict),
        status_code=status.HTTP_201_CREATED,
        **shown,
    )
    add(one, get, "GET", "get", (NotFound,), **shown)
    add(one, update, "PATCH", "update", WRITE_ERRORS, **shown)
    add(one, delete, "DELETE", "delete", WRITE_ERRORS, status_code=status.HTTP_204_NO_CONTENT)
    add(f"{one}/history", history, "GET", "history", HISTORY_ERRORS)


def _exists(service: ItemService, session: Session, ids: tuple[str, ...]) -> bool:
    try:
        service.get(session, *ids)
    except NotFound:
        return False
    return True
