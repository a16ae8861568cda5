from typing import Annotated

from fastapi import Query, Request, Response

from api import routing
from api.access import Access, allow
from api.db import SessionDep
from api.enums import Publication, StoryKind
from api.errors import NotFound, ValidationFailed, problems
from api.item_routes import Item, add_item_routes
from api.pagination import PageDep, page_of
from api.schema_base import Page
from api.stories import service
from api.stories.schemas import Story, StoryCreate, StoryUpdate

RESOURCE = "stories"
router = routing.router("/stories", tags=["stories"])


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    access: Annotated[Access, allow(RESOURCE, "read")],
    kind: StoryKind | None = None,
    publication: Annotated[
        Publication | None, Query(description="Drafts only for signed-in callers.")
    ] = None,
    stakeholder: Annotated[str | None, Query(description="About this stakeholder (id).")] = None,
    collaboration: Annotated[str | None, Query(description="About this collaboration (id).")] = None,
    mission: Annotated[str | None, Query(description="Serving this mission (id).")] = None,
    metric: Annotated[str | None, Query(description="With this metric as evidence (id).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in title or summary.")] = None,
) -> Page[Story]:
    """List the Innovation Tracker's stories: successes and lessons learned."""
    filters = {
        "kind": kind,
        "publication": publication,
        "metric_id": metric,
        "stakeholder_ids": stakeholder,
        "collaboration_ids": collaboration,
        "mission_ids": mission,
    }
    items, next_cursor = service.list_(
        session, page, filters=filters, q=q, published_only=not access.sees_drafts
    )
    return page_of(request, response, items, next_cursor)


add_item_routes(
    router,
    Item(
        label="story",
        resource=RESOURCE,
        service=service,
        create=StoryCreate,
        update=StoryUpdate,
        read=Story,
        summaries={"get": "Get a story (drafts only for signed-in callers)."},
    ),
)
