from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from api.db import SessionDep
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
from api.roadmaps import service
from api.roadmaps.schemas import Roadmap, RoadmapCreate, RoadmapUpdate
from api.schema_base import Page

router = APIRouter(prefix="/roadmaps", tags=["roadmaps"])
Id = Annotated[str, Path(description="The roadmap's id.")]
WRITE_ERRORS = (NotFound, ValidationFailed, Conflict, PreconditionFailed, PreconditionRequired)


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    area: Annotated[str | None, Query(description="Roadmaps of this area (id or GSS code).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in title or summary.")] = None,
) -> Page[Roadmap]:
    """List roadmaps."""
    rows, next_cursor = service.list_(session, page, area=area, q=q)
    link_next(request, response, next_cursor)
    return Page(items=[Roadmap.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(ValidationFailed, Conflict))
def create(data: RoadmapCreate, request: Request, response: Response, session: SessionDep) -> Roadmap:
    """Create a roadmap."""
    roadmap = service.create(session, data)
    created(request, response, roadmap.id, roadmap.version)
    return Roadmap.model_validate(roadmap)


@router.get("/{id}", responses=problems(NotFound))
def get(id: Id, response: Response, session: SessionDep) -> Roadmap:
    """Get a roadmap."""
    roadmap = service.get(session, id)
    with_etag(response, roadmap.version)
    return Roadmap.model_validate(roadmap)


@router.patch("/{id}", responses=problems(*WRITE_ERRORS))
def update(
    id: Id, data: RoadmapUpdate, response: Response, session: SessionDep, if_match: IfMatch = None
) -> Roadmap:
    """Update a roadmap."""
    roadmap = service.get(session, id)
    check_if_match(if_match, roadmap.version, "roadmap")
    service.update(session, roadmap, data)
    with_etag(response, roadmap.version)
    return Roadmap.model_validate(roadmap)


@router.delete("/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(*WRITE_ERRORS))
def delete(id: Id, session: SessionDep, if_match: IfMatch = None) -> None:
    """Delete a roadmap that has no missions."""
    roadmap = service.get(session, id)
    check_if_match(if_match, roadmap.version, "roadmap")
    service.delete(session, roadmap)
