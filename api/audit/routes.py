from collections.abc import Callable
from typing import Annotated

from fastapi import Query, Request, Response
from sqlmodel import Session

from api import routing
from api.access import Access, allow
from api.audit import service
from api.audit.schemas import Change, ChangeFeed
from api.db import SessionDep
from api.enums import FeedResource
from api.errors import Forbidden, NotFound, Unauthorized, ValidationFailed, problems
from api.listing import listing
from api.pagination import FormatDep, Limit, PageQuery
from api.schema_base import Page
from api.tabular import ListFormat

router = routing.router("/changes", tags=["changes"])
Resources = Annotated[
    list[FeedResource] | None, Query(max_length=len(FeedResource), description="Only these collections.")
]
Cursor = Annotated[str | None, Query(max_length=20, description="`next_cursor` of the previous page.")]
AUDIT_ERRORS = (Unauthorized, Forbidden, NotFound, ValidationFailed)


@router.get("", responses=problems(Unauthorized, ValidationFailed))
def feed(
    session: SessionDep,
    _: Annotated[Access, allow("changes", "history")],
    after: Annotated[
        str | None,
        Query(
            max_length=20,
            description="The `next_cursor` of your last poll; omit to start from the beginning.",
        ),
    ] = None,
    resource: Resources = None,
    limit: Limit = 100,
) -> ChangeFeed:
    """Follow every change in commit order: poll with the last `next_cursor` to mirror the data.

    Creates and updates carry the resource's public state after the change; deletes carry
    none. Replaying the feed from the start in order reproduces the data (personal contact
    details are never in the feed).
    """
    return service.feed(session, after, limit, resource or list(FeedResource))


@router.get("/recent", responses=problems(Unauthorized, ValidationFailed))
def recent(
    request: Request,
    response: Response,
    session: SessionDep,
    _: Annotated[Access, allow("changes", "history")],
    resource: Resources = None,
    cursor: Cursor = None,
    limit: Limit = 20,
    format: FormatDep = ListFormat.json,
) -> Page[Change]:
    """The latest changes, newest first: what changed lately, and who changed it."""
    resources = resource or list(FeedResource)
    page = PageQuery(limit, cursor, None, format)

    def fetch(s: Session, p: PageQuery) -> tuple[list[Change], str | None]:
        return service.recent(s, resources, p.cursor, p.limit)

    return listing(request, response, session, page, fetch)


def history_page(
    request: Request,
    response: Response,
    session: Session,
    resource: str,
    resource_id: str,
    exists: Callable[[Session], bool],
    page: PageQuery,
) -> Page[Change]:
    """One resource's changes, newest first; 404 when it neither exists nor ever did."""

    def fetch(s: Session, p: PageQuery) -> tuple[list[Change], str | None]:
        items, next_cursor = service.history(s, resource, resource_id, p.cursor, p.limit)
        if not items and p.cursor is None and not exists(s):
            raise NotFound(f"No {resource} record {resource_id!r}, now or in the past.")
        return items, next_cursor

    return listing(request, response, session, page, fetch)
