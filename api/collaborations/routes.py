from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.collaborations import service
from api.collaborations.schemas import Collaboration, CollaborationCreate, CollaborationUpdate
from api.db import SessionDep
from api.enums import CollaborationKind, FundingStatus, Scale
from api.errors import (
    NotFound,
    ValidationFailed,
    problems,
)
from api.item_routes import Item, add_item_routes
from api.pagination import PageDep, page_of
from api.schema_base import Page

router = APIRouter(prefix="/collaborations", tags=["collaborations"])


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
    return page_of(request, response, items, next_cursor)


add_item_routes(
    router,
    Item(
        label="collaboration",
        service=service,
        create=CollaborationCreate,
        update=CollaborationUpdate,
        read=Collaboration,
        delete_summary="Delete a collaboration and its participants (not while metric values refer to it).",
    ),
)
