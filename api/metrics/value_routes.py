"""Baselines, targets and observations: the same six routes for each kind of metric value."""

from typing import Annotated, Any

from fastapi import Path, Query, Request, Response, status

from api import routing
from api.access import Access, allow
from api.audit.routes import Cursor, Limit, history_page
from api.audit.schemas import Change
from api.db import SessionDep
from api.errors import (
    Conflict,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ProblemError,
    ValidationFailed,
)
from api.http import IfMatch, created, with_etag
from api.item_routes import AUTH_ERRORS, HISTORY_ERRORS, WRITE_ERRORS, add_route
from api.metrics import service, values
from api.metrics.schemas import Value, ValueCreate, ValueUpdate
from api.pagination import PageDep, page_of
from api.schema_base import IsoDate, Page
from api.writes import Audited

router = routing.router("/metrics", tags=["metrics"])
Id = Annotated[str, Path(description="The metric's id.")]
Area = Annotated[str | None, Query(description="Only this area (id or GSS code).")]
Collaboration = Annotated[str | None, Query(description="Only this collaboration (id).")]
From = Annotated[IsoDate | None, Query(alias="from", description="On or after this date.")]
To = Annotated[IsoDate | None, Query(description="On or before this date.")]


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
    """Register list, create, get, update, delete and history under /metrics/{metric_id}/<plural>."""
    label, plural = kind.label, kind.plural
    collection, item = f"/{{metric_id}}/{plural}", f"/{{metric_id}}/{plural}/{{id}}"
    page_type = Page[kind.read]  # type: ignore[name-defined]
    ValueId = Annotated[str, Path(description=f"The {label}'s id.")]
    writes = Audited(plural, label, lambda session, value: values.read(kind, value), parent="metric_id")

    def list_values(
        metric_id: Id,
        request: Request,
        response: Response,
        session: SessionDep,
        page: PageDep,
        access: Annotated[Access, allow(plural, "read")],
        area: Area = None,
        collaboration: Collaboration = None,
        from_: From = None,
        to: To = None,
    ) -> Page[Value]:
        metric = service.get(session, metric_id)
        items, next_cursor = values.list_(
            session,
            kind,
            metric.id,
            page,
            area=area,
            collaboration=collaboration,
            from_=from_,
            to=to,
            published_only=not access.sees_drafts,
        )
        return page_of(request, response, items, next_cursor)

    def create_value(
        metric_id: Id,
        data: ValueCreate,
        request: Request,
        response: Response,
        session: SessionDep,
        access: Annotated[Access, allow(plural, "create")],
    ) -> Value:
        metric = service.get(session, metric_id)
        access.check(session, None, data)
        value = values.create(session, kind, metric.id, data)
        writes.created(session, value)
        created(request, response, value.id, value.version)
        return values.read(kind, value)

    def get_value(
        metric_id: Id,
        id: ValueId,
        response: Response,
        session: SessionDep,
        access: Annotated[Access, allow(plural, "read")],
    ) -> Value:
        value = values.get(session, kind, metric_id, id)
        if not access.sees_drafts and values.in_draft(session, value):
            raise NotFound(f"No {label} with id {id!r} for metric {metric_id!r}.")
        with_etag(response, value.version)
        return values.read(kind, value)

    def update_value(
        metric_id: Id,
        id: ValueId,
        data: ValueUpdate,
        response: Response,
        session: SessionDep,
        access: Annotated[Access, allow(plural, "update")],
        if_match: IfMatch = None,
    ) -> Value:
        value = values.get(session, kind, metric_id, id)
        writes.update(
            session, access, value, data, if_match, lambda: values.update(session, kind, value, data)
        )
        with_etag(response, value.version)
        return values.read(kind, value)

    def delete_value(
        metric_id: Id,
        id: ValueId,
        session: SessionDep,
        access: Annotated[Access, allow(plural, "delete")],
        if_match: IfMatch = None,
    ) -> None:
        value = values.get(session, kind, metric_id, id)
        writes.delete(session, access, value, if_match, lambda: values.delete(session, kind, value))

    def value_history(
        metric_id: Id,
        id: ValueId,
        request: Request,
        response: Response,
        session: SessionDep,
        _: Annotated[Access, allow(plural, "history")],
        limit: Limit = 50,
        cursor: Cursor = None,
    ) -> Page[Change]:
        def exists() -> bool:
            return values.find(session, kind, metric_id, id) is not None

        return history_page(request, response, session, plural, id, exists, cursor, limit)

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
        (*AUTH_ERRORS, NotFound, ValidationFailed, Conflict),
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
        (*AUTH_ERRORS, NotFound, PreconditionFailed, PreconditionRequired),
        status_code=status.HTTP_204_NO_CONTENT,
    )
    _route(
        f"{item}/history",
        value_history,
        "GET",
        f"{label}_history",
        f"The changes to {one}, newest first.",
        HISTORY_ERRORS,
    )


for _kind in values.KINDS:
    add_value_routes(_kind)
