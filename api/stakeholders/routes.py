from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.db import SessionDep
from api.enums import StakeholderKind, StakeholderStatus
from api.errors import (
    NotFound,
    ValidationFailed,
    problems,
)
from api.item_routes import Item, add_item_routes
from api.pagination import PageDep, page_of
from api.schema_base import Page
from api.stakeholders import service
from api.stakeholders.schemas import Stakeholder, StakeholderCreate, StakeholderUpdate

router = APIRouter(prefix="/stakeholders", tags=["stakeholders"])


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
    return page_of(request, response, items, next_cursor)


add_item_routes(
    router,
    Item(
        label="stakeholder",
        service=service,
        create=StakeholderCreate,
        update=StakeholderUpdate,
        read=Stakeholder,
        delete_summary="Delete a stakeholder that takes part in no collaboration.",
    ),
)
