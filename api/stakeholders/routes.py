from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from api.db import SessionDep
from api.enums import StakeholderKind, StakeholderStatus
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
from api.stakeholders import service
from api.stakeholders.schemas import Stakeholder, StakeholderCreate, StakeholderUpdate

router = APIRouter(prefix="/stakeholders", tags=["stakeholders"])
Id = Annotated[str, Path(description="The stakeholder's id.")]
WRITE_ERRORS = (NotFound, ValidationFailed, Conflict, PreconditionFailed, PreconditionRequired)


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    kind: StakeholderKind | None = None,
    status_: Annotated[StakeholderStatus | None, Query(alias="status")] = None,
    sector: Annotated[str | None, Query(max_length=100)] = None,
    area: Annotated[
        str | None, Query(description="Based in or serving this area or any area within it (id or GSS code).")
    ] = None,
    collaboration: Annotated[str | None, Query(description="Participants of this collaboration.")] = None,
    new_to_innovation: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in name or description.")] = None,
) -> Page[Stakeholder]:
    """List stakeholders."""
    filters = {
        "kind": kind,
        "status": status_,
        "sector": sector,
        "area": area,
        "collaboration": collaboration,
        "new_to_innovation": new_to_innovation,
    }
    items, next_cursor = service.list_(session, page, filters=filters, q=q)
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(ValidationFailed))
def create(data: StakeholderCreate, request: Request, response: Response, session: SessionDep) -> Stakeholder:
    """Create a stakeholder."""
    stakeholder = service.create(session, data)
    created(request, response, stakeholder.id, stakeholder.version)
    return service.read(session, stakeholder)


@router.get("/{id}", responses=problems(NotFound))
def get(id: Id, response: Response, session: SessionDep) -> Stakeholder:
    """Get a stakeholder."""
    stakeholder = service.get(session, id)
    with_etag(response, stakeholder.version)
    return service.read(session, stakeholder)


@router.patch("/{id}", responses=problems(*WRITE_ERRORS))
def update(
    id: Id, data: StakeholderUpdate, response: Response, session: SessionDep, if_match: IfMatch = None
) -> Stakeholder:
    """Update a stakeholder."""
    stakeholder = service.get(session, id)
    check_if_match(if_match, stakeholder.version, "stakeholder")
    service.update(session, stakeholder, data)
    with_etag(response, stakeholder.version)
    return service.read(session, stakeholder)


@router.delete("/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(*WRITE_ERRORS))
def delete(id: Id, session: SessionDep, if_match: IfMatch = None) -> None:
    """Delete a stakeholder that takes part in no collaboration."""
    stakeholder = service.get(session, id)
    check_if_match(if_match, stakeholder.version, "stakeholder")
    service.delete(session, stakeholder)
