"""The item routes every top-level resource shares: create, get, update, delete, history.

Each domain's routes.py declares its own list endpoint (the filters differ) and calls
`add_item_routes` for the rest, so the conventions (201 + Location, ETag, If-Match, the
access rule, the audit record, the problems each can answer) are written once.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Path, Request, Response, status
from pydantic import BaseModel
from sqlmodel import Session

from api.access import Access, allow
from api.audit.routes import Cursor, Limit, history_page
from api.audit.schemas import Change
from api.db import SessionDep
from api.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ProblemError,
    Unauthorized,
    ValidationFailed,
    problems,
)
from api.http import IfMatch, created, with_etag
from api.schema_base import Page
from api.writes import Audited

AUTH_ERRORS = (Unauthorized, Forbidden)
WRITE_ERRORS = (*AUTH_ERRORS, NotFound, ValidationFailed, Conflict, PreconditionFailed, PreconditionRequired)
HISTORY_ERRORS = (Unauthorized, NotFound, ValidationFailed)


class ItemService(Protocol):
    """What a domain's service module offers (positional parameters; names may differ)."""

    def get(self, session: Session, id_: str, /) -> Any: ...
    def read(self, session: Session, obj: Any, /) -> Any: ...
    def create(self, session: Session, data: Any, /) -> Any: ...
    def update(self, session: Session, obj: Any, data: Any, /) -> Any: ...
    def delete(self, session: Session, obj: Any, /) -> None: ...


@dataclass(frozen=True)
class Item:
    label: str
    resource: str  # the collection's name in URLs, the audit trail and the access rules
    service: ItemService
    create: type[BaseModel]
    update: type[BaseModel]
    read: type[BaseModel]
    id_description: str = ""
    get_summary: str = ""
    delete_summary: str = ""
    # What this caller sees of a record (personal fields only for editors); default: read().
    view: Callable[[Session, Access, Any], BaseModel] | None = None
    # How this caller creates one (a partner's collaboration is a proposal); default: create().
    make: Callable[[Session, Access, Any], Any] | None = None
    # Records the deletion of what goes with a record (a collaboration's participants).
    on_delete: Callable[[Session, Any], None] | None = None
    # Fields whose values never enter the audit trail: only that they changed.
    personal: tuple[str, ...] = ()

    @property
    def article(self) -> str:
        return "an" if self.label[0] in "aeiou" else "a"


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


def add_item_routes(router: APIRouter, item: Item) -> None:
    service, label, one, resource = item.service, item.label, f"{item.article} {item.label}", item.resource
    Id = Annotated[str, Path(description=item.id_description or f"The {label}'s id.")]
    view = item.view or (lambda session, access, obj: service.read(session, obj))
    make = item.make or (lambda session, access, data: service.create(session, data))
    writes = Audited(resource, label, service.read, personal=item.personal)

    def create(
        data: BaseModel,
        request: Request,
        response: Response,
        session: SessionDep,
        access: Annotated[Access, allow(resource, "create")],
    ) -> Any:
        access.check(session, None, data)
        obj = make(session, access, data)
        writes.created(session, obj)
        created(request, response, obj.id, obj.version)
        return view(session, access, obj)

    def get(
        id: Id, response: Response, session: SessionDep, access: Annotated[Access, allow(resource, "read")]
    ) -> Any:
        obj = visible(session, access, service.get(session, id), label, id)
        with_etag(response, obj.version)
        return view(session, access, obj)

    def update(
        id: Id,
        data: BaseModel,
        response: Response,
        session: SessionDep,
        access: Annotated[Access, allow(resource, "update")],
        if_match: IfMatch = None,
    ) -> Any:
        obj = service.get(session, id)
        writes.update(session, access, obj, data, if_match, lambda: service.update(session, obj, data))
        with_etag(response, obj.version)
        return view(session, access, obj)

    def delete(
        id: Id,
        session: SessionDep,
        access: Annotated[Access, allow(resource, "delete")],
        if_match: IfMatch = None,
    ) -> None:
        obj = service.get(session, id)

        def remove() -> None:
            if item.on_delete:
                item.on_delete(session, obj)
            service.delete(session, obj)

        writes.delete(session, access, obj, if_match, remove)

    def history(
        id: Id,
        request: Request,
        response: Response,
        session: SessionDep,
        _: Annotated[Access, allow(resource, "history")],
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[Change]:
        exists = partial(_exists, service, session, id)
        return history_page(request, response, session, resource, id, exists, cursor, limit)

    # FastAPI reads the body schema from the annotation: make it this resource's own.
    create.__annotations__["data"] = item.create
    update.__annotations__["data"] = item.update

    add = partial(add_route, router)
    add(
        "",
        create,
        "POST",
        f"Create {one}.",
        (*AUTH_ERRORS, ValidationFailed, Conflict),
        status_code=status.HTTP_201_CREATED,
        response_model=item.read,
        response_model_exclude_unset=bool(item.personal),
    )
    add(
        "/{id}",
        get,
        "GET",
        item.get_summary or f"Get {one}.",
        (NotFound,),
        response_model=item.read,
        response_model_exclude_unset=bool(item.personal),
    )
    add(
        "/{id}",
        update,
        "PATCH",
        f"Update {one}.",
        WRITE_ERRORS,
        response_model=item.read,
        response_model_exclude_unset=bool(item.personal),
    )
    add(
        "/{id}",
        delete,
        "DELETE",
        item.delete_summary or f"Delete {one}.",
        WRITE_ERRORS,
        status_code=status.HTTP_204_NO_CONTENT,
    )
    add("/{id}/history", history, "GET", f"The changes to {one}, newest first.", HISTORY_ERRORS)


def _exists(service: ItemService, session: Session, id_: str) -> bool:
    try:
        service.get(session, id_)
    except NotFound:
        return False
    return True
