from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from api.db import SessionDep
from api.enums import Foundation
from api.errors import (
    Conflict,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ValidationFailed,
    problems,
)
from api.http import IfMatch, check_if_match, created, with_etag
from api.missions import service
from api.missions.schemas import Mission, MissionCreate, MissionUpdate
from api.pagination import PageDep, link_next
from api.schema_base import Page

router = APIRouter(prefix="/missions", tags=["missions"])
Id = Annotated[str, Path(description="The mission's id.")]
WRITE_ERRORS = (NotFound, ValidationFailed, Conflict, PreconditionFailed, PreconditionRequired)


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    roadmap: Annotated[str | None, Query(description="Missions of this roadmap (id).")] = None,
    foundation: Foundation | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in code, title or summary.")] = None,
) -> Page[Mission]:
    """List missions."""
    rows, next_cursor = service.list_(session, page, roadmap=roadmap, foundation=foundation, q=q)
    link_next(request, response, next_cursor)
    return Page(items=[Mission.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(ValidationFailed, Conflict))
def create(data: MissionCreate, request: Request, response: Response, session: SessionDep) -> Mission:
    """Create a mission."""
    mission = service.create(session, data)
    created(request, response, mission.id, mission.version)
    return Mission.model_validate(mission)


@router.get("/{id}", responses=problems(NotFound))
def get(id: Id, response: Response, session: SessionDep) -> Mission:
    """Get a mission."""
    mission = service.get(session, id)
    with_etag(response, mission.version)
    return Mission.model_validate(mission)


@router.patch("/{id}", responses=problems(*WRITE_ERRORS))
def update(
    id: Id, data: MissionUpdate, response: Response, session: SessionDep, if_match: IfMatch = None
) -> Mission:
    """Update a mission."""
    mission = service.get(session, id)
    check_if_match(if_match, mission.version, "mission")
    service.update(session, mission, data)
    with_etag(response, mission.version)
    return Mission.model_validate(mission)


@router.delete("/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(*WRITE_ERRORS))
def delete(id: Id, session: SessionDep, if_match: IfMatch = None) -> None:
    """Delete a mission that has no outcomes."""
    mission = service.get(session, id)
    check_if_match(if_match, mission.version, "mission")
    service.delete(session, mission)
