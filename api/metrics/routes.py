from functools import partial
from typing import Annotated

from fastapi import Path, Query, Request, Response

from api import bounds, routing
from api.access import Access, allow
from api.db import SessionDep
from api.errors import NotFound, ValidationFailed, problems
from api.item_routes import Item, Parent, add_item_routes
from api.listing import listing
from api.metrics import service, values
from api.metrics.schemas import (
    Breakdowns,
    Metric,
    MetricCreate,
    MetricFilters,
    MetricUpdate,
    Value,
    ValueFilters,
)
from api.pagination import PageQuery, sorted_by
from api.schema_base import Page

router = routing.router("/metrics", tags=["metrics"])


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    _: Annotated[Access, allow("metrics", "read")],
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    filters: Annotated[MetricFilters, Query()],
) -> Page[Metric]:
    """List metrics."""
    return listing(request, response, session, page, partial(service.list_, filters=filters))


add_item_routes(
    router,
    Item(
        label="metric",
        resource="metrics",
        service=service,
        create=MetricCreate,
        update=MetricUpdate,
        read=Metric,
        summaries={"delete": "Delete a metric that has no baselines, targets or observations."},
    ),
)


@router.get("/{id}/breakdowns", responses=problems(NotFound))
def breakdowns(
    id: Annotated[bounds.Id, Path(description="The metric's id.")],
    session: SessionDep,
    access: Annotated[Access, allow("observations", "read")],
) -> Breakdowns:
    """The breakdowns (age band, sex, …) the metric's values are given for, besides totals."""
    metric = service.get(session, id)
    found = values.breakdowns(session, metric.id, public=not access.sees_drafts)
    return Breakdowns(metric_id=metric.id, items=found)


def add_value_routes(kind: values.Kind) -> None:
    """/metrics/{metric_id}/baselines (targets, observations): the list, then the item routes."""

    def list_values(
        metric_id: Annotated[bounds.Id, Path(description="The metric's id.")],
        filters: Annotated[ValueFilters, Query()],
        request: Request,
        response: Response,
        session: SessionDep,
        page: Annotated[PageQuery, sorted_by(values.SORTS)],
        access: Annotated[Access, allow(kind.plural, "read")],
    ) -> Page[Value]:
        metric = service.get(session, metric_id)
        published_only = not access.sees_drafts
        return listing(
            request,
            response,
            session,
            page,
            lambda s, p: kind.list_(s, metric.id, p, filters, published_only=published_only),
        )

    router.add_api_route(
        f"/{{metric_id}}/{kind.plural}",
        list_values,
        methods=["GET"],
        name=f"list_{kind.plural}",
        summary=f"List the metric's {kind.plural}.",
        responses=problems(ValidationFailed, NotFound),
        response_model=Page[kind.read_schema],  # type: ignore[name-defined]
    )
    one = f"one of the metric's {kind.plural}"
    add_item_routes(
        router,
        Item(
            label=kind.label,
            resource=kind.plural,
            service=kind,
            create=kind.create_schema,
            update=kind.update_schema,
            read=kind.read_schema,
            parent=Parent("metric_id", "metric", service.get),
            summaries={
                "create": f"Record a new {kind.label}.",
                "get": f"Get {one}.",
                "update": f"Update {one}.",
                "delete": f"Delete {one}.",
                "history": f"The changes to {one}, newest first.",
            },
        ),
    )


for _kind in values.KINDS:
    add_value_routes(_kind)
