from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.access import Access, allow
from api.db import SessionDep
from api.errors import ValidationFailed, problems
from api.insights.overlaps import __doc__ as METHOD
from api.overlaps import service
from api.overlaps.schemas import Overlap
from api.pagination import page_of
from api.schema_base import Page

router = APIRouter(prefix="/insights", tags=["insights"])


@router.get(
    "/overlaps",
    responses=problems(ValidationFailed),
    summary="Pairs of collaborations that likely duplicate each other, with a score and the reasons.",
    description=(METHOD or "").split("\n", 1)[1].strip(),
)
def overlaps(
    request: Request,
    response: Response,
    session: SessionDep,
    access: Annotated[Access, allow("collaborations", "read")],
    mission: Annotated[
        str | None, Query(description="Only collaborations serving this mission (id).")
    ] = None,
    min_score: Annotated[float, Query(ge=0, le=1, description="Leave out pairs scoring less.")] = 0.4,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=10, pattern=r"^\d{1,9}$")] = None,
) -> Page[Overlap]:
    found = service.find(session, mission, not access.sees_drafts, min_score)
    start = int(cursor or 0)
    more = start + limit < len(found)
    return page_of(request, response, found[start : start + limit], str(start + limit) if more else None)
