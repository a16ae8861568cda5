import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status

from api.db import SessionDep
from api.enums import Unit
from api.errors import (
    Conflict,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ProblemError,
    ValidationFailed,
    problems,
)
from api.http import IfMatch, check_if_match, created, with_etag
from api.item_routes import WRITE_ERRORS, Item, add_item_routes, add_route
from api.metrics import service, values
from api.metrics.schemas import Metric, MetricCreate, MetricUpdate, Value, ValueCreate, ValueUpdate
from api.pagination import PageDep, page_of
from api.schema_base import Page

router = APIRouter(prefix="/metrics", tags=["metrics"])
Id = Annotated[str, Path(description="The metric's id.")]
Mission = Annotated[str | None, Query(description="Metrics of any outcome of this mission (id).")]
Text = Annotated[str | None, Query(max_length=200, description="Text in code, name or method.")]
Area = Annotated[str | None, Query(description="Only this area (id or GSS code).")]
Collaboration = Annotated[str | None, Query(description="Only this collaboration (id).")]
From = Annotated[dt.date | None, Query(alias="from", description="On or after this date.")]
To = Annotated[dt.date | None, Query(description="On or before this date.")]


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
        service=service,
        create=MetricCreate,
        update=MetricUpdate,
        read=Metric,
        delete_summary="Delete a metric that has no baselines, targets or observations.",
    ),
)


def _route(
    path: str,
    endpoint: Any,
    method: str,
    name: str,
    summary: str,
    errors: tuple[type[ProblemError], ...],
    **kwargs: Any,
) -> None:
    add_route(router, path, endpoint, method, summary, errors, name=name, **kwargs)


def add_value_routes(kind: values.Kind) -> None:
    """Register list, create, get, update and delete under /metrics/{metric_id}/<plural>."""
    label, plural = kind.label, kind.plural
    collection, item = f"/{{metric_id}}/{plural}", f"/{{metric_id}}/{plural}/{{id}}"
    page_type = Page[kind.read]  # type: ignore[name-defined]
    ValueId = Annotated[str, Path(description=f"The {label}'s id.")]

    def list_values(
        metric_id: Id,
        request: Request,
        response: Response,
        session: SessionDep,
        page: PageDep,
        area: Area = None,
        collaboration: Collaboration = None,
        from_: From = None,
        to: To = None,
    ) -> Page[Value]:
        metric = service.get(session, metric_id)
        items, next_cursor = values.list_(
            session, kind, metric.id, page, area=area, collaboration=collaboration, from_=from_, to=to
        )
        return page_of(request, response, items, next_cursor)

    def create_value(
        metric_id: Id, data: ValueCreate, request: Request, response: Response, session: SessionDep
    ) -> Value:
        metric = service.get(session, metric_id)
        value = values.create(session, kind, metric.id, data)
        created(request, response, value.id, value.version)
        return values.read(kind, value)

    def get_value(metric_id: Id, id: ValueId, response: Response, session: SessionDep) -> Value:
        value = values.get(session, kind, metric_id, id)
        with_etag(response, value.version)
        return values.read(kind, value)

    def update_value(
        metric_id: Id,
        id: ValueId,
        data: ValueUpdate,
        response: Response,
        session: SessionDep,
        if_match: IfMatch = None,
    ) -> Value:
        value = values.get(session, kind, metric_id, id)
        check_if_match(if_match, value.version, label)
        values.update(session, kind, value, data)
        with_etag(response, value.version)
        return values.read(kind, value)

    def delete_value(metric_id: Id, id: ValueId, session: SessionDep, if_match: IfMatch = None) -> None:
        value = values.get(session, kind, metric_id, id)
        check_if_match(if_match, value.version, label)
        values.delete(session, kind, value)

    # FastAPI validates the body against the annotation: make it this kind's own schema.
    create_value.__annotations__["data"] = kind.create
    update_value.__annotations__["data"] = kind.update
    one = f"one of the metric's {plural}"
    _route(
        collection,
        list_values,
        "GET",
        f"list_{plural}",
        f"List the metric's {plural}.",
        (ValidationFailed, NotFound),
        response_model=page_type,
    )
    _route(
        collection,
        create_value,
        "POST",
        f"create_{label}",
        f"Record a new {label}.",
        (NotFound, ValidationFailed, Conflict),
        response_model=kind.read,
        status_code=status.HTTP_201_CREATED,
    )
    _route(item, get_value, "GET", f"get_{label}", f"Get {one}.", (NotFound,), response_model=kind.read)
    _route(
        item,
        update_value,
        "PATCH",
        f"update_{label}",
        f"Update {one}.",
        WRITE_ERRORS,
        response_model=kind.read,
    )
    _route(
        item,
        delete_value,
        "DELETE",
        f"delete_{label}",
        f"Delete {one}.",
        (NotFound, PreconditionFailed, PreconditionRequired),
        status_code=status.HTTP_204_NO_CONTENT,
    )


for _kind in values.KINDS:
    add_value_routes(_kind)
