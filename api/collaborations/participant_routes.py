from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status

from api.collaborations import participants, service
from api.collaborations.schemas import Participant, ParticipantCreate, ParticipantUpdate
from api.db import SessionDep
from api.enums import Role
from api.errors import (
    Conflict,
    NotFound,
    ValidationFailed,
    problems,
)
from api.http import IfMatch, check_if_match, created, with_etag
from api.item_routes import WRITE_ERRORS
from api.pagination import PageDep, page_of
from api.schema_base import Page

router = APIRouter(prefix="/collaborations/{collaboration_id}/participants", tags=["collaborations"])
CollaborationId = Annotated[str, Path(description="The collaboration's id.")]
Id = Annotated[str, Path(description="The participant's id.")]


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_participants(
    collaboration_id: CollaborationId,
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    role: Role | None = None,
) -> Page[Participant]:
    """List a collaboration's participants."""
    service.get(session, collaboration_id)
    rows, next_cursor = participants.list_(session, collaboration_id, page, role=role)
    return page_of(request, response, [Participant.model_validate(p) for p in rows], next_cursor)


@router.post(
    "", status_code=status.HTTP_201_CREATED, responses=problems(NotFound, ValidationFailed, Conflict)
)
def create_participant(
    collaboration_id: CollaborationId,
    data: ParticipantCreate,
    request: Request,
    response: Response,
    session: SessionDep,
) -> Participant:
    """Add a participant to a collaboration."""
    service.get(session, collaboration_id)
    participant = participants.create(session, collaboration_id, data)
    created(request, response, participant.id, participant.version)
    return Participant.model_validate(participant)


@router.get("/{id}", responses=problems(NotFound))
def get_participant(
    collaboration_id: CollaborationId, id: Id, response: Response, session: SessionDep
) -> Participant:
    """Get a participant of a collaboration."""
    participant = participants.get(session, collaboration_id, id)
    with_etag(response, participant.version)
    return Participant.model_validate(participant)


@router.patch("/{id}", responses=problems(*WRITE_ERRORS))
def update_participant(
    collaboration_id: CollaborationId,
    id: Id,
    data: ParticipantUpdate,
    response: Response,
    session: SessionDep,
    if_match: IfMatch = None,
) -> Participant:
    """Update a participant's role or dates."""
    participant = participants.get(session, collaboration_id, id)
    check_if_match(if_match, participant.version, "participant")
    participants.update(session, participant, data)
    with_etag(response, participant.version)
    return Participant.model_validate(participant)


@router.delete("/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(*WRITE_ERRORS))
def delete_participant(
    collaboration_id: CollaborationId, id: Id, session: SessionDep, if_match: IfMatch = None
) -> None:
    """Remove a participant from a collaboration."""
    participant = participants.get(session, collaboration_id, id)
    check_if_match(if_match, participant.version, "participant")
    participants.delete(session, participant)
