import datetime as dt
from functools import partial
from typing import Annotated

from fastapi import Query, Request, Response

from api import bounds, routing
from api.access import Access, allow
from api.db import SessionDep
from api.errors import NotFound, ValidationFailed, problems
from api.item_routes import Item, add_item_routes
from api.listing import listing, ranked_listing
from api.pagination import OFFSET_CURSOR, FormatDep, Limit, PageQuery, sorted_by
from api.schema_base import Page
from api.support import service
from api.support.schemas import (
    Match,
    SupportScheme,
    SupportSchemeCreate,
    SupportSchemeFilters,
    SupportSchemeUpdate,
)
from api.tabular import ListFormat

RESOURCE = "support-schemes"
router = routing.router("/support-schemes", tags=["support-schemes"])


@router.get("", responses=problems(ValidationFailed, NotFound))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    _: Annotated[Access, allow(RESOURCE, "read")],
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    filters: Annotated[SupportSchemeFilters, Query()],
) -> Page[SupportScheme]:
    """List the support schemes on offer."""
    return listing(request, response, session, page, partial(service.list_, filters=filters))


@router.get("/match", responses=problems(ValidationFailed, NotFound))
def match(
    request: Request,
    response: Response,
    session: SessionDep,
    access: Annotated[Access, allow(RESOURCE, "read")],
    stakeholder: Annotated[bounds.Id, Query(description="The organisation to find support for (id).")],
    include_ineligible: Annotated[
        bool, Query(description="Also list the schemes it fails a rule of, and why.")
    ] = False,
    limit: Limit = 50,
    cursor: Annotated[str | None, OFFSET_CURSOR] = None,
    format: FormatDep = ListFormat.json,
) -> Page[Match]:
    """The schemes an organisation is eligible for, best fit first, each with its reasons.

    Then the schemes whose eligibility is unknown: no rule fails, but one cannot be checked
    because the organisation's record lacks its size, areas or sectors (`unknown` says which).
    """
    ranked = service.match(session, stakeholder, dt.date.today(), include_ineligible, not access.sees_drafts)
    return ranked_listing(request, response, format, ranked, limit, cursor)


add_item_routes(
    router,
    Item(
        label="support scheme",
        resource=RESOURCE,
        service=service,
        create=SupportSchemeCreate,
        update=SupportSchemeUpdate,
        read=SupportScheme,
        summaries={"delete": "Delete a support scheme no referral points to."},
    ),
)
