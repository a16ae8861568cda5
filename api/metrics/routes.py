from typing import Annotated

from fastapi import Query, Request, Response

from api import routing
from api.db import SessionDep
from api.enums import Unit
from api.errors import (
    NotFound,
    ValidationFailed,
    problems,
)
from api.item_routes import Item, add_item_routes
from api.metrics import service
from api.metrics.schemas import Metric, MetricCreate, MetricUpdate
from api.pagination import PageDep, page_of
from api.schema_base import Page

router = routing.router("/metrics", tags=["metrics"])
Mission = Annotated[str | None, Query(description="Metrics of any outcome of this mission (id).")]
Text = Annotated[str | None, Query(max_length=200, description="Text in code, name or method.")]


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: PageDep,
    outcome: Annotated[str | None, Query(description="Metrics of this outcome (id).")] = None,
    mission: Mission = None,
    unit: Unit | None = None,
    area: Annotated[
        str | None, Query(description="Metrics with a baseline, target or observation for this area.")
    ] = None,
    q: Text = None,
) -> Page[Metric]:
    """List metrics."""
    items, next_cursor = service.list_(
        session, page, outcome=outcome, mission=mission, unit=unit, area=area, q=q
    )
    return page_of(request, response, items, next_cursor)


add_item_routes(
    router,
    Item(
        label="metric",
        resource="metrics",
        service=service,
        create=MetricCreate,
        update=MetricUpdate,
        read=Metric,
        delete_summary="Delete a metric that has no baselines, targets or observations.",
    ),
)
