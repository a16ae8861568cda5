from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from api.collaborations import service
from api.collaborations.schemas import Collaboration, CollaborationCreate, CollaborationUpdate
from api.db import SessionDep
from api.enums import CollaborationKind, FundingStatus, Scale
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

router = APIRouter(prefix="/collaborations", tags=["collaborations"])
Id = Annotated[str, Path(description="The collaboration's id.")]
WRITE_ERRORS = (NotFound, ValidationFailed, Conflict, PreconditionFailed, PreconditionRequired)


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    kind: CollaborationKind | None = None,
    scale: Scale | None = None,
    funding_status: FundingStatus | None = None,
    lighthouse: bool | None = None,
    outcome: Annotated[str | None, Query(description="Serving this outcome (id).")] = None,
    mission: Annotated[str | None, Query(description="Serving any outcome of this mission (id).")] = None,
    area: Annotated[
        str | None, Query(description="Covering this area or any area within it (id or GSS code).")
    ] = None,
    stakeholder: Annotated[str | None, Query(description="With this participant (id).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in title or description.")] = None,
) -> Page[Collaboration]:
    """List collaborations."""
    filters = {
        "kind": kind,
        "scale": scale,
        "funding_status": funding_status,
        "lighthouse": lighthouse,
        "outcome": outcome,
        "mission": mission,
        "area": area,
        "stakeholder": stakeholder,
    }
    items, next_cursor = service.list_(session, page, filters=filters, q=q)
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(ValidationFailed))
def create(
    data: CollaborationCreate, request: Request, response: Response, session: SessionDep
) -> Collaboration:
    """Create a collaboration."""
    collaboration = service.create(session, data)
    created(request, response, collaboration.id, collaboration.version)
    return service.read(session, collaboration)


@router.get("/{id}", responses=problems(NotFound))
def get(id: Id, response: Response, session: SessionDep) -> Collaboration:
    """Get a collaboration."""
    collaboration = service.get(session, id)
    with_etag(response, collaboration.version)
    return service.read(session, collaboration)


@router.patch("/{id}", responses=problems(*WRITE_ERRORS))
def update(
    id: Id, data: CollaborationUpdate, response: Response, session: SessionDep, if_match: IfMatch = None
) -> Collaboration:
    """Update a collaboration."""
    collaboration = service.get(session, id)
    check_if_match(if_match, collaboration.version, "collaboration")
    service.update(session, collaboration, data)
    with_etag(response, collaboration.version)
    return service.read(session, collaboration)


@router.delete("/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(*WRITE_ERRORS))
def delete(id: Id, session: SessionDep, if_match: IfMatch = None) -> None:
    """Delete a collaboration and its participants (not while metric values refer to it)."""
    collaboration = service.get(session, id)
    check_if_match(if_match, collaboration.version, "collaboration")
    service.delete(session, collaboration)
