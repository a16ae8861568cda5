from typing import Annotated

from fastapi import Query, Request, Response
from sqlmodel import Session

from api import models, routing
from api.access import Access, allow
from api.audit import service as audit
from api.collaborations import participants, service
from api.collaborations.schemas import (
    Collaboration,
    CollaborationCreate,
    CollaborationUpdate,
    Participant,
    ParticipantCreate,
)
from api.db import SessionDep
from api.enums import CollaborationKind, FundingStatus, Publication, Role, Scale
from api.errors import (
    NotFound,
    ValidationFailed,
    problems,
)
from api.item_routes import Item, add_item_routes
from api.pagination import PageDep, page_of
from api.schema_base import Page

router = routing.router("/collaborations", tags=["collaborations"])
RESOURCE = "collaborations"


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    access: Annotated[Access, allow(RESOURCE, "read")],
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
    publication: Annotated[
        Publication | None, Query(description="Drafts are listed only for signed-in callers.")
    ] = None,
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
        "publication": publication if access.sees_drafts else Publication.published,
    }
    items, next_cursor = service.list_(session, page, filters=filters, q=q)
    return page_of(request, response, items, next_cursor)


def propose(session: Session, access: Access, data: CollaborationCreate) -> models.Collaboration:
    """A partner's collaboration is a draft, led by the partner's organisation."""
    lead = access.partner_of
    if lead is None:
        return service.create(session, data)
    proposal = service.create(session, data.model_copy(update={"publication": Publication.draft}))
    participant = participants.create(
        session, proposal.id, ParticipantCreate(stakeholder_id=lead, role=Role.lead)
    )
    after = Participant.model_validate(participant)
    audit.record(session, "participants", participant.id, before=None, after=after, parent_id=proposal.id)
    return proposal


def record_participants_leaving(session: Session, collaboration: models.Collaboration) -> None:
    for participant in participants.of(session, collaboration.id):
        before = Participant.model_validate(participant)
        audit.record(
            session, "participants", participant.id, before=before, after=None, parent_id=collaboration.id
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
        delete_summary="Delete a collaboration and its participants (not while metric values refer to it).",
        make=propose,
        on_delete=record_participants_leaving,
    ),
)
