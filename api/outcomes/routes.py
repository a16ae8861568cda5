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
from api.outcomes import service
from api.outcomes.schemas import Outcome, OutcomeCreate, OutcomeUpdate
from api.pagination import PageDep, link_next
from api.schema_base import Page

router = APIRouter(prefix="/outcomes", tags=["outcomes"])
Id = Annotated[str, Path(description="The outcome's id.")]
WRITE_ERRORS = (NotFound, ValidationFailed, Conflict, PreconditionFailed, PreconditionRequired)


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    mission: Annotated[str | None, Query(description="Outcomes of this mission (id).")] = None,
    metric: Annotated[str | None, Query(description="Outcomes this metric measures (id).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in code, title or description.")] = None,
) -> Page[Outcome]:
    """List outcomes."""
    items, next_cursor = service.list_(session, page, mission=mission, metric=metric, q=q)
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(ValidationFailed, Conflict))
def create(data: OutcomeCreate, request: Request, response: Response, session: SessionDep) -> Outcome:
    """Create an outcome."""
    outcome = service.create(session, data)
    created(request, response, outcome.id, outcome.version)
    return service.read(session, outcome)


@router.get("/{id}", responses=problems(NotFound))
def get(id: Id, response: Response, session: SessionDep) -> Outcome:
    """Get an outcome."""
    outcome = service.get(session, id)
    with_etag(response, outcome.version)
    return service.read(session, outcome)


@router.patch("/{id}", responses=problems(*WRITE_ERRORS))
def update(
    id: Id, data: OutcomeUpdate, response: Response, session: SessionDep, if_match: IfMatch = None
) -> Outcome:
    """Update an outcome."""
    outcome = service.get(session, id)
    check_if_match(if_match, outcome.version, "outcome")
    service.update(session, outcome, data)
    with_etag(response, outcome.version)
    return service.read(session, outcome)


@router.delete("/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(*WRITE_ERRORS))
def delete(id: Id, session: SessionDep, if_match: IfMatch = None) -> None:
    """Delete an outcome that no collaboration or metric refers to."""
    outcome = service.get(session, id)
    check_if_match(if_match, outcome.version, "outcome")
    service.delete(session, outcome)
