from functools import partial
from typing import Annotated

from fastapi import Query, Request, Response

from api import routing
from api.access import Access, allow
from api.db import SessionDep
from api.errors import NotFound, ValidationFailed, problems
from api.item_routes import Item, add_item_routes
from api.listing import listing
from api.pagination import PageQuery, sorted_by
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
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    access: Annotated[Access, allow(RESOURCE, "read")],
    filters: Annotated[StoryFilters, Query()],
) -> Page[Story]:
    """List the Innovation Tracker's stories: successes and lessons learned."""
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
        label="story",
        resource=RESOURCE,
        service=service,
        create=StoryCreate,
        update=StoryUpdate,
        read=Story,
        summaries={"get": "Get a story (drafts only for signed-in callers)."},
    ),
)
