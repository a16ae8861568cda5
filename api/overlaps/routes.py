from typing import Annotated

from fastapi import Query, Request, Response

from api import bounds, routing
from api.access import Access, allow
from api.db import SessionDep
from api.errors import ValidationFailed, problems
from api.listing import ranked_listing
from api.overlaps import service
from api.overlaps.compute import __doc__ as METHOD
from api.overlaps.schemas import Overlap
from api.pagination import OFFSET_CURSOR, FormatDep, Limit
from api.schema_base import Page
from api.tabular import ListFormat

router = routing.router("/insights", tags=["insights"])


@router.get(
    "/overlaps",
    responses=problems(ValidationFailed),
    summary="Pairs of collaborations likely duplicated or worth coordinating, with each part of the score.",
    description=(METHOD or "").split("\n", 1)[1].strip(),
)
def overlaps(
    request: Request,
    response: Response,
    session: SessionDep,
    access: Annotated[Access, allow("collaborations", "read")],
    mission: Annotated[
        bounds.Id | None, Query(description="Only collaborations serving this mission (id).")
    ] = None,
    min_score: Annotated[float, Query(ge=0, le=1, description="Leave out pairs scoring less.")] = 0.2,
    limit: Limit = 50,
    cursor: Annotated[str | None, OFFSET_CURSOR] = None,
    format: FormatDep = ListFormat.json,
) -> Page[Overlap]:
    """Pairs with common ground, highest score first."""
    found = service.find(session, mission, not access.sees_drafts, min_score)
    return ranked_listing(request, response, format, found, limit, cursor)
