from functools import partial
from typing import Annotated

from fastapi import Query, Request, Response

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
from api.outcomes import service
from api.outcomes.schemas import Outcome, OutcomeCreate, OutcomeUpdate
from api.pagination import PageQuery, sorted_by
from api.schema_base import Page

router = routing.router("/outcomes", tags=["outcomes"])


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    _: Annotated[Access, allow("outcomes", "read")],
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    mission: Annotated[bounds.Id | None, Query(description="Outcomes of this mission (id).")] = None,
    metric: Annotated[bounds.Id | None, Query(description="Outcomes this metric measures (id).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in code, title or description.")] = None,
) -> Page[Outcome]:
    """List outcomes."""
    return listing(
        request,
        response,
        session,
        page,
        partial(service.list_, mission=mission, metric=metric, q=q),
    )


add_item_routes(
    router,
    Item(
        label="outcome",
        resource="outcomes",
        service=service,
        create=OutcomeCreate,
        update=OutcomeUpdate,
        read=Outcome,
        summaries={"delete": "Delete an outcome that no collaboration or metric refers to."},
    ),
)
