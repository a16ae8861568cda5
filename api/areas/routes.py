from functools import partial
from typing import Annotated

from fastapi import Query, Request, Response

from api import bounds, routing
from api.access import Access, allow
from api.areas import service
from api.areas.schemas import Area, AreaCreate, AreaUpdate
from api.db import SessionDep
from api.enums import AreaKind
from api.errors import (
    NotFound,
    ValidationFailed,
    problems,
)
from api.item_routes import Item, add_item_routes
from api.listing import listing
from api.pagination import PageQuery, sorted_by
from api.schema_base import Page

router = routing.router("/areas", tags=["areas"])


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    _: Annotated[Access, allow("areas", "read")],
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    kind: AreaKind | None = None,
    parent: Annotated[
        bounds.Id | None, Query(description="Only direct children of this area (id or GSS code).")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in name or code.")] = None,
) -> Page[Area]:
    """List areas."""
    return listing(request, response, session, page, partial(service.list_, kind=kind, parent=parent, q=q))


add_item_routes(
    router,
    Item(
        label="area",
        resource="areas",
        service=service,
        create=AreaCreate,
        update=AreaUpdate,
        read=Area,
        id_description="The area's id or its GSS code (e.g. E08000026).",
        summaries={
            "get": "Get an area by id or GSS code.",
            "delete": "Delete an area that nothing refers to.",
        },
    ),
)
