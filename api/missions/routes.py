from typing import Annotated

from fastapi import Query, Request, Response
from sqlmodel import Session

from api import bounds, routing
from api.access import Access, allow
from api.db import SessionDep
from api.enums import Foundation
from api.errors import (
    NotFound,
    ValidationFailed,
    problems,
)
from api.item_routes import Item, add_item_routes
from api.listing import listing
from api.missions import service
from api.missions.schemas import Mission, MissionCreate, MissionUpdate
from api.pagination import PageQuery, sorted_by
from api.schema_base import Page

router = routing.router("/missions", tags=["missions"])


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    _: Annotated[Access, allow("missions", "read")],
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    roadmap: Annotated[bounds.Id | None, Query(description="Missions of this roadmap (id).")] = None,
    foundation: Foundation | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in code, title or summary.")] = None,
) -> Page[Mission]:
    """List missions."""

    def fetch(s: Session, p: PageQuery) -> tuple[list[Mission], str | None]:
        rows, next_cursor = service.list_(s, p, roadmap=roadmap, foundation=foundation, q=q)
        return [Mission.model_validate(r) for r in rows], next_cursor

    return listing(request, response, session, page, fetch)


add_item_routes(
    router,
    Item(
        label="mission",
        resource="missions",
        service=service,
        create=MissionCreate,
        update=MissionUpdate,
        read=Mission,
        summaries={"delete": "Delete a mission that has no outcomes."},
    ),
)
