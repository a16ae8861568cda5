from typing import Annotated

from fastapi import Path, Query, Request, Response
from sqlmodel import Session

from api import bounds, routing
from api.access import Access, allow
from api.audit import service as audit
from api.db import SessionDep
from api.errors import Conflict, NotFound, ValidationFailed, problems
from api.http import with_etag
from api.item_routes import AUTH_ERRORS, Item, add_item_routes
from api.listing import listing
from api.models import Stakeholder as StakeholderRecord
from api.pagination import PageQuery, sorted_by
from api.schema_base import Page
from api.stakeholders import service
from api.stakeholders.schemas import (
    Stakeholder,
    StakeholderCreate,
    StakeholderFilters,
    StakeholderUpdate,
)

router = routing.router("/stakeholders", tags=["stakeholders"])
RESOURCE = "stakeholders"


@router.get("", responses=problems(ValidationFailed, NotFound), response_model_exclude_unset=True)
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    access: Annotated[Access, allow(RESOURCE, "read")],
    filters: Annotated[StakeholderFilters, Query()],
) -> Page[Stakeholder]:
    """List stakeholders."""
    personal, published_only = access.sees_personal, not access.sees_drafts
    return listing(
        request,
        response,
        session,
        page,
        lambda s, p: service.list_(s, p, filters, personal=personal, published_only=published_only),
        hidden=() if personal else service.PERSONAL,
    )


@router.post(
    "/{id}/erasure",
    responses=problems(*AUTH_ERRORS, NotFound, Conflict),
    response_model_exclude_unset=True,
)
def erase(
    id: Annotated[bounds.Id, Path(description="The person's id.")],
    response: Response,
    session: SessionDep,
    _: Annotated[Access, allow(RESOURCE, "erase")],
) -> Stakeholder:
    """Erase a person's personal data (name, contact details, description) on request.

    The record stays, named "Erased person", with its collaborations. Earlier entries of the
    audit trail and the change feed are rewritten so they no longer hold the erased values;
    the erasure itself is recorded, naming the fields it cleared but not what they held.
    """
    person = service.get(session, id)
    service.erase(session, person)
    audit.erase(session, RESOURCE, id, service.ERASED)
    redacted = [*service.ERASED, *service.PERSONAL]
    audit.record(
        session,
        RESOURCE,
        id,
        before=None,
        after=service.read(session, person),
        redacted=redacted,
        action="erase",
    )
    with_etag(response, person.version)
    return service.read(session, person, personal=True)


def view(session: Session, access: Access, stakeholder: StakeholderRecord) -> Stakeholder:
    return service.read(session, stakeholder, personal=access.sees_personal)


add_item_routes(
    router,
    Item(
        label="stakeholder",
        resource=RESOURCE,
        service=service,
        create=StakeholderCreate,
        update=StakeholderUpdate,
        read=Stakeholder,
        summaries={"delete": "Delete a stakeholder that takes part in no collaboration."},
        view=view,
        personal=service.PERSONAL,
    ),
)
