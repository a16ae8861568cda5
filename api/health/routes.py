from fastapi import Request
from pydantic import BaseModel
from sqlalchemy import text

from api import routing
from api.bounds import Code, Text
from api.errors import ServiceUnavailable, problems
from api.migrate import current_revision, head_revision

router = routing.router(tags=["health"], under="")


class Health(BaseModel):
    status: Code
    detail: Text | None = None


@router.get("/healthz")
def live() -> Health:
    """Report that the process is up."""
    return Health(status="ok")


@router.get("/readyz", responses=problems(ServiceUnavailable))
def ready(request: Request) -> Health:
    """Report whether the database is reachable and migrated to head."""
    try:
        with request.app.state.session_factory() as session:
            session.execute(text("SELECT 1"))
            current = current_revision(session.connection())
    except Exception as exc:
        raise ServiceUnavailable("The database is not reachable.", headers={"Retry-After": "1"}) from exc
    head = head_revision()
    if current != head:
        message = f"The database is at migration {current}, not head {head}."
        raise ServiceUnavailable(message, headers={"Retry-After": "5"})
    return Health(status="ok", detail=f"migration {head}")
