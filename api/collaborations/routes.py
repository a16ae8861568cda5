from functools import partial
from typing import Annotated

from fastapi import Path, Query, Request, Response
from sqlmodel import Session

from api import bounds, routing
from api.access import Access, allow
from api.collaborations import participants, service
from api.collaborations.schemas import (
    Collaboration,
    CollaborationCreate,
    CollaborationFilters,
    CollaborationUpdate,
    Participant,
    ParticipantCreate,
    ParticipantUpdate,
)
from api.db import SessionDep
from api.enums import Role
from api.errors import NotFound, ValidationFailed, problems
from api.item_routes import Item, Parent, add_item_routes, visible
from api.listing import listing
from api.pagination import PageQuery, sorted_by
from api.schema_base import Page

router = routing.router("/collaborations", tags=["collaborations"])
RESOURCE = "collaborations"


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    access: Annotated[Access, allow(RESOURCE, "read")],
    filters: Annotated[CollaborationFilters, Query()],
) -> Page[Collaboration]:
    """List collaborations."""
    published_only = not access.sees_drafts
    return listing(
        request,
        response,
        session,
        page,
        partial(service.list_, filters=filters, published_only=published_only),
    )


add_item_routes(
    router,
    Item(
        label="collaboration",
        resource=RESOURCE,
        service=service,
        create=CollaborationCreate,
        update=CollaborationUpdate,
        read=Collaboration,
        summaries={
            "delete": "Delete a collaboration and its participants (not while metric values refer to it)."
        },
        make=service.propose,
        on_delete=participants.record_leaving,
    ),
)


@router.get("/{collaboration_id}/participants", responses=problems(ValidationFailed, NotFound))
def list_participants(
    collaboration_id: Annotated[bounds.Id, Path(description="The collaboration's id.")],
    request: Request,
    response: Response,
    session: SessionDep,
    page: Annotated[PageQuery, sorted_by(participants.SORTABLE)],
    access: Annotated[Access, allow("participants", "read")],
    role: Role | None = None,
) -> Page[Participant]:
    """List a collaboration's participants."""
    visible(session, access, service.get(session, collaboration_id), "collaboration", collaboration_id)

    def fetch(s: Session, p: PageQuery) -> tuple[list[Participant], str | None]:
        rows, next_cursor = participants.list_(s, collaboration_id, p, role=role)
        return [Participant.model_validate(r) for r in rows], next_cursor

    return listing(request, response, session, page, fetch)


add_item_routes(
    router,
    Item(
        label="participant",
        resource="participants",
        service=participants,
        create=ParticipantCreate,
        update=ParticipantUpdate,
        read=Participant,
        parent=Parent("collaboration_id", "collaboration", service.get, owns_children=True),
        summaries={
            "create": "Add a participant to a collaboration.",
            "get": "Get a participant of a collaboration.",
            "update": "Update a participant's role or dates.",
            "delete": "Remove a participant from a collaboration.",
            "history": "The changes to a participant, newest first.",
        },
    ),
)
