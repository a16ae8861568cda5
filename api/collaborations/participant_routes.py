from typing import Annotated

from fastapi import Path, Request, Response, status

from api import routing
from api.access import Access, allow
from api.audit.routes import Cursor, Limit, history_page
from api.audit.schemas import Change
from api.collaborations import participants, service
from api.collaborations.schemas import Participant, ParticipantCreate, ParticipantUpdate
from api.db import SessionDep
from api.enums import Role
from api.errors import Conflict, NotFound, ValidationFailed, problems
from api.http import IfMatch, created, with_etag
from api.item_routes import AUTH_ERRORS, HISTORY_ERRORS, WRITE_ERRORS, visible
from api.pagination import PageDep, page_of
from api.schema_base import Page
from api.writes import Audited

router = routing.router("/collaborations/{collaboration_id}/participants", tags=["collaborations"])
CollaborationId = Annotated[str, Path(description="The collaboration's id.")]
Id = Annotated[str, Path(description="The participant's id.")]
RESOURCE = "participants"
writes = Audited(
    RESOURCE, "participant", lambda session, p: Participant.model_validate(p), parent="collaboration_id"
)


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_participants(
    collaboration_id: CollaborationId,
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    access: Annotated[Access, allow(RESOURCE, "read")],
    role: Role | None = None,
) -> Page[Participant]:
    """List a collaboration's participants."""
    visible(session, access, service.get(session, collaboration_id), "collaboration", collaboration_id)
    rows, next_cursor = participants.list_(session, collaboration_id, page, role=role)
    return page_of(request, response, [Participant.model_validate(p) for p in rows], next_cursor)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=problems(*AUTH_ERRORS, NotFound, ValidationFailed, Conflict),
)
def create_participant(
    collaboration_id: CollaborationId,
    data: ParticipantCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    access: Annotated[Access, allow(RESOURCE, "create")],
) -> Participant:
    """Add a participant to a collaboration."""
    access.check(session, service.get(session, collaboration_id), data)
    participant = participants.create(session, collaboration_id, data)
    writes.created(session, participant)
    created(request, response, participant.id, participant.version)
    return Participant.model_validate(participant)


@router.get("/{id}", responses=problems(NotFound))
def get_participant(
    collaboration_id: CollaborationId,
    id: Id,
    response: Response,
    session: SessionDep,
    access: Annotated[Access, allow(RESOURCE, "read")],
) -> Participant:
    """Get a participant of a collaboration."""
    visible(session, access, service.get(session, collaboration_id), "collaboration", collaboration_id)
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
    access: Annotated[Access, allow(RESOURCE, "update")],
    if_match: IfMatch = None,
) -> Participant:
    """Update a participant's role or dates."""
    participant = participants.get(session, collaboration_id, id)
    writes.update(
        session, access, participant, data, if_match, lambda: participants.update(session, participant, data)
    )
    with_etag(response, participant.version)
    return Participant.model_validate(participant)


@router.delete("/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(*WRITE_ERRORS))
def delete_participant(
    collaboration_id: CollaborationId,
    id: Id,
    session: SessionDep,
    access: Annotated[Access, allow(RESOURCE, "delete")],
    if_match: IfMatch = None,
) -> None:
    """Remove a participant from a collaboration."""
    participant = participants.get(session, collaboration_id, id)
    writes.delete(session, access, participant, if_match, lambda: participants.delete(session, participant))


@router.get("/{id}/history", responses=problems(*HISTORY_ERRORS))
def participant_history(
    collaboration_id: CollaborationId,
    id: Id,
    request: Request,
    response: Response,
    session: SessionDep,
    _: Annotated[Access, allow(RESOURCE, "history")],
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Change]:
    """The changes to a participant, newest first."""

    def exists() -> bool:
        return participants.find(session, collaboration_id, id) is not None

    return history_page(request, response, session, RESOURCE, id, exists, cursor, limit)
