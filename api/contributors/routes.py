import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path

from api.access import Access, allow
from api.contributors import service
from api.contributors.schemas import Contributors
from api.db import SessionDep
from api.errors import NotFound, problems
from api.missions import service as missions

router = APIRouter(tags=["missions"])


@router.get("/missions/{id}/contributors", responses=problems(NotFound))
def contributors(
    id: Annotated[str, Path(description="The mission's id.")],
    session: SessionDep,
    access: Annotated[Access, allow("missions", "read")],
) -> Contributors:
    """Who serves the mission's outcomes, through which collaborations, and its funding pipeline."""
    mission = missions.get(session, id)
    return service.contributors(session, mission, dt.date.today(), not access.sees_drafts)
