import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.access import Access, allow
from api.db import SessionDep
from api.errors import NotFound, ValidationFailed, problems
from api.metrics import service as metrics
from api.missions import service as missions
from api.outcomes import service as outcomes
from api.progress import service
from api.progress.schemas import MetricProgress, RolledUpProgress
from api.schema_base import IsoDate

router = APIRouter(tags=["progress"])
Id = Annotated[str, Path(description="The id.")]
AsOf = Annotated[IsoDate | None, Query(description="Assess as on this date (default: today).")]
Reading = Annotated[Access, allow("progress", "read")]
ERRORS = problems(NotFound, ValidationFailed)


@router.get("/metrics/{id}/progress", responses=ERRORS)
def metric(id: Id, session: SessionDep, access: Reading, as_of: AsOf = None) -> MetricProgress:
    """Progress from baseline toward target, per area and collaboration, with the method."""
    found = metrics.get(session, id)
    return service.metric_progress(session, found, as_of or dt.date.today(), not access.sees_drafts)


@router.get("/outcomes/{id}/progress", responses=ERRORS)
def outcome(id: Id, session: SessionDep, access: Reading, as_of: AsOf = None) -> RolledUpProgress:
    """An outcome's progress: its metrics' scopes rolled up, with the method."""
    found = outcomes.get(session, id)
    return service.outcome_progress(session, found, as_of or dt.date.today(), not access.sees_drafts)


@router.get("/missions/{id}/progress", responses=ERRORS)
def mission(id: Id, session: SessionDep, access: Reading, as_of: AsOf = None) -> RolledUpProgress:
    """A mission's progress: its outcomes' metrics rolled up, outcome by outcome."""
    found = missions.get(session, id)
    return service.mission_progress(session, found, as_of or dt.date.today(), not access.sees_drafts)
