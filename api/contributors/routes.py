import datetime as dt
from typing import Annotated

from fastapi import Path, Response

from api import bounds, routing
from api.access import Access, allow
from api.contributors import service
from api.contributors.schemas import Contributors
from api.db import SessionDep
from api.errors import NotFound, problems

router = routing.router(tags=["missions"])


@router.get("/missions/{id}/contributors", response_model=Contributors, responses=problems(NotFound))
def contributors(
    id: Annotated[bounds.Id, Path(description="The mission's id.")],
    session: SessionDep,
    access: Annotated[Access, allow("missions", "read")],
) -> Response:
    """Who serves the mission's outcomes, through which collaborations, and its funding pipeline."""
    return service.contributors.respond(session, id, dt.date.today(), not access.sees_drafts)
