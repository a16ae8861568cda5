from typing import Annotated

from fastapi import Query, Request, Response
from sqlmodel import Session

from api import bounds, routing
from api.access import Access, allow
from api.db import SessionDep
from api.errors import (
    NotFound,
    ValidationFailed,
    problems,
)
from api.item_routes import Item, add_item_routes
from api.listing import listing
from api.pagination import PageQuery, sorted_by
from api.roadmaps import service
from api.roadmaps.schemas import Roadmap, RoadmapCreate, RoadmapUpdate
from api.schema_base import Page

router = routing.router("/roadmaps", tags=["roadmaps"])


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    _: Annotated[Access, allow("roadmaps", "read")],
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    area: Annotated[bounds.Id | None, Query(description="Roadmaps of this area (id or GSS code).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in title or summary.")] = None,
) -> Page[Roadmap]:
    """List roadmaps."""

    def fetch(s: Session, p: PageQuery) -> tuple[list[Roadmap], str | None]:
        rows, next_cursor = service.list_(s, p, area=area, q=q)
        return [Roadmap.model_validate(r) for r in rows], next_cursor

    return listing(request, response, session, page, fetch)


add_item_routes(
    router,
    Item(
        label="roadmap",
        resource="roadmaps",
        service=service,
        create=RoadmapCreate,
        update=RoadmapUpdate,
        read=Roadmap,
        summaries={"delete": "Delete a roadmap that has no missions."},
    ),
)
