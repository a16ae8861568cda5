"""The item routes every top-level resource shares: create, get, update and delete.

Each domain's routes.py declares its own list endpoint (the filters differ) and calls
`add_item_routes` for the rest, so the conventions (201 + Location, ETag, If-Match, the
problems each can answer) are written once.
"""

from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Path, Request, Response, status
from pydantic import BaseModel
from sqlmodel import Session

from api.db import SessionDep
from api.errors import (
    Conflict,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ProblemError,
    ValidationFailed,
    problems,
)
from api.http import IfMatch, check_if_match, created, with_etag

WRITE_ERRORS = (NotFound, ValidationFailed, Conflict, PreconditionFailed, PreconditionRequired)


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
    service: ItemService
    create: type[BaseModel]
    update: type[BaseModel]
    read: type[BaseModel]
    id_description: str = ""
    get_summary: str = ""
    delete_summary: str = ""

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


def add_item_routes(router: APIRouter, item: Item) -> None:
    service, label, one = item.service, item.label, f"{item.article} {item.label}"
    Id = Annotated[str, Path(description=item.id_description or f"The {label}'s id.")]

    def create(data: BaseModel, request: Request, response: Response, session: SessionDep) -> Any:
        obj = service.create(session, data)
        created(request, response, obj.id, obj.version)
        return service.read(session, obj)

    def get(id: Id, response: Response, session: SessionDep) -> Any:
        obj = service.get(session, id)
        with_etag(response, obj.version)
        return service.read(session, obj)

    def update(
        id: Id, data: BaseModel, response: Response, session: SessionDep, if_match: IfMatch = None
    ) -> Any:
        obj = service.get(session, id)
        check_if_match(if_match, obj.version, label)
        service.update(session, obj, data)
        with_etag(response, obj.version)
        return service.read(session, obj)

    def delete(id: Id, session: SessionDep, if_match: IfMatch = None) -> None:
        obj = service.get(session, id)
        check_if_match(if_match, obj.version, label)
        service.delete(session, obj)

    # FastAPI reads the body schema from the annotation: make it this resource's own.
    create.__annotations__["data"] = item.create
    update.__annotations__["data"] = item.update

    add = partial(add_route, router)
    add(
        "",
        create,
        "POST",
        f"Create {one}.",
        (ValidationFailed, Conflict),
        status_code=status.HTTP_201_CREATED,
        response_model=item.read,
    )
    add("/{id}", get, "GET", item.get_summary or f"Get {one}.", (NotFound,), response_model=item.read)
    add("/{id}", update, "PATCH", f"Update {one}.", WRITE_ERRORS, response_model=item.read)
    add(
        "/{id}",
        delete,
        "DELETE",
        item.delete_summary or f"Delete {one}.",
        WRITE_ERRORS,
        status_code=status.HTTP_204_NO_CONTENT,
    )
