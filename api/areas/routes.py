from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from api.areas import service
from api.areas.schemas import Area, AreaCreate, AreaUpdate
from api.db import SessionDep
from api.enums import AreaKind
from api.errors import (
    Conflict,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ValidationFailed,
    problems,
)
from api.http import IfMatch, check_if_match, created, with_etag
from api.pagination import PageDep, link_next
from api.schema_base import Page

router = APIRouter(prefix="/areas", tags=["areas"])
Ref = Annotated[str, Path(description="The area's id or its GSS code (e.g. E08000026).")]
WRITE_ERRORS = (NotFound, ValidationFailed, Conflict, PreconditionFailed, PreconditionRequired)


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    kind: AreaKind | None = None,
    parent: Annotated[
        str | None, Query(description="Only direct children of this area (id or GSS code).")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in name or code.")] = None,
) -> Page[Area]:
    """List areas."""
    items, next_cursor = service.list_(session, page, kind=kind, parent=parent, q=q)
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(ValidationFailed, Conflict))
def create(data: AreaCreate, request: Request, response: Response, session: SessionDep) -> Area:
    """Create an area."""
    area = service.create(session, data)
    created(request, response, area.id, area.version)
    return service.read(session, area)


@router.get("/{ref}", responses=problems(NotFound))
def get(ref: Ref, response: Response, session: SessionDep) -> Area:
    """Get an area by id or GSS code."""
    area = service.get(session, ref)
    with_etag(response, area.version)
    return service.read(session, area)


@router.patch("/{ref}", responses=problems(*WRITE_ERRORS))
def update(
    ref: Ref, data: AreaUpdate, response: Response, session: SessionDep, if_match: IfMatch = None
) -> Area:
    """Update an area."""
    area = service.get(session, ref)
    check_if_match(if_match, area.version, "area")
    service.update(session, area, data)
    with_etag(response, area.version)
    return service.read(session, area)


@router.delete("/{ref}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(*WRITE_ERRORS))
def delete(ref: Ref, session: SessionDep, if_match: IfMatch = None) -> None:
    """Delete an area that nothing refers to."""
    area = service.get(session, ref)
    check_if_match(if_match, area.version, "area")
    service.delete(session, area)
