from typing import Annotated

from fastapi import Path, Query, Response
from pydantic import Field

from api import bounds, routing
from api.access import Access, allow
from api.benchmarks import service
from api.benchmarks.schemas import Comparison
from api.db import SessionDep
from api.enums import AreaKind
from api.errors import NotFound, ValidationFailed, problems
from api.metrics import values
from api.metrics.schemas import BreakdownQuery

router = routing.router(tags=["benchmarks"])
Period = Annotated[int, Field(ge=1900, le=2200), bounds.keywords(**bounds.INT32)]


@router.get(
    "/metrics/{id}/comparison", response_model=Comparison, responses=problems(NotFound, ValidationFailed)
)
def comparison(
    id: Annotated[bounds.Id, Path(description="The metric's id.")],
    session: SessionDep,
    _: Annotated[Access, allow("metrics", "read")],
    level: Annotated[
        AreaKind, Query(description="Compare areas of this kind: region, local_authority, …")
    ] = (AreaKind.region),
    period: Annotated[Period | None, Query(description="The year (default: the latest with data).")] = None,
    within: Annotated[
        bounds.Id | None,
        Query(description="Only areas within this one (id or GSS code), e.g. a region's authorities."),
    ] = None,
    breakdown: BreakdownQuery = None,
) -> Response:
    """Each area's value, rank, gap to the UK value and to the group average, and the best."""
    return service.comparison.respond(session, id, level, period, within, values.breakdown_of(breakdown))
