import datetime as dt
from typing import Annotated

from fastapi import Path, Query, Response

from api import bounds, routing
from api.access import Access, allow
from api.db import SessionDep
from api.errors import NotFound, ValidationFailed, problems
from api.metrics import values
from api.metrics.schemas import BreakdownQuery
from api.progress import service
from api.progress.schemas import MetricProgress, RolledUpProgress
from api.schema_base import IsoDate

router = routing.router(tags=["progress"])
Id = Annotated[bounds.Id, Path(description="The id.")]
AsOf = Annotated[IsoDate | None, Query(description="Assess as on this date (default: today).")]
Reading = Annotated[Access, allow("progress", "read")]
ERRORS = problems(NotFound, ValidationFailed)


@router.get("/metrics/{id}/progress", response_model=MetricProgress, responses=ERRORS)
def metric(
    id: Id, session: SessionDep, access: Reading, as_of: AsOf = None, breakdown: BreakdownQuery = None
) -> Response:
    """Progress from baseline toward target, per area and collaboration, with the method."""
    today, public = as_of or dt.date.today(), not access.sees_drafts
    return service.metric_progress.respond(session, id, today, public, values.breakdown_of(breakdown))


@router.get("/outcomes/{id}/progress", response_model=RolledUpProgress, responses=ERRORS)
def outcome(id: Id, session: SessionDep, access: Reading, as_of: AsOf = None) -> Response:
    """An outcome's progress: its metrics' scopes rolled up, with the method."""
    return service.outcome_progress.respond(session, id, as_of or dt.date.today(), not access.sees_drafts)


@router.get("/missions/{id}/progress", response_model=RolledUpProgress, responses=ERRORS)
def mission(id: Id, session: SessionDep, access: Reading, as_of: AsOf = None) -> Response:
    """A mission's progress: its outcomes' metrics rolled up, outcome by outcome."""
    return service.mission_progress.respond(session, id, as_of or dt.date.today(), not access.sees_drafts)
