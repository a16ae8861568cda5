from typing import Annotated

from fastapi import Query, Request, Response

from api import routing
from api.access import Access, allow
from api.db import SessionDep
from api.errors import NotFound, ValidationFailed, problems
from api.item_routes import Item, add_item_routes
from api.pagination import PageDep, page_of
from api.schema_base import Page
from api.stories import service
from api.stories.schemas import Story, StoryCreate, StoryFilters, StoryUpdate

RESOURCE = "stories"
router = routing.router("/stories", tags=["stories"])


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    access: Annotated[Access, allow(RESOURCE, "read")],
    filters: Annotated[StoryFilters, Query()],
) -> Page[Story]:
    """List the Innovation Tracker's stories: successes and lessons learned."""
    items, next_cursor = service.list_(session, page, filters, published_only=not access.sees_drafts)
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
