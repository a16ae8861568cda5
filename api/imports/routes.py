import shutil
import tempfile
from functools import partial
from typing import Annotated

from fastapi import File, Path, Query, Request, Response, UploadFile, status

from api import bounds, routing
from api.access import Access, allow
from api.audit.service import LOADER
from api.config import get_settings
from api.db import SessionDep
from api.errors import Forbidden, NotFound, PayloadTooLarge, Unauthorized, ValidationFailed, problems
from api.http import created
from api.imports import runner, service
from api.imports.schemas import Import, ImportRequest
from api.listing import listing
from api.pagination import PageQuery, sorted_by
from api.schema_base import Page

RESOURCE = "imports"
router = routing.router("/imports", tags=["imports"])
Reading = Annotated[Access, allow(RESOURCE, "read")]
AUTH = (Unauthorized, Forbidden)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problems(*AUTH, ValidationFailed, PayloadTooLarge),
)
def start(
    request: Request,
    response: Response,
    session: SessionDep,
    access: Annotated[Access, allow(RESOURCE, "create")],
    file: Annotated[
        UploadFile,
        File(
            description="A CSV or XLSX file; JSON for the oruk format.",
            json_schema_extra={"maxLength": get_settings().max_import_bytes},
        ),
    ],
    asked: Annotated[ImportRequest, Query()],
) -> Import:
    """Start an import: checked whole, then written in one transaction or not at all; follow Location."""
    with tempfile.NamedTemporaryFile(prefix="roadmap-import-", delete=False) as copy:
        shutil.copyfileobj(file.file, copy, 1 << 20)  # the upload is gone once this request ends
        size = copy.tell()
    actor = session.info.get("actor", LOADER)
    record = service.create(
        session, asked, filename=file.filename, size=size, principal=access.principal, actor=actor
    )
    runner.after_commit(
        session, request.app.state.session_factory, record.id, copy.name, access.principal, actor
    )
    created(request, response, record.id, record.version)
    return service.read(session, record)


@router.get("", responses=problems(*AUTH, ValidationFailed))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    access: Reading,
) -> Page[Import]:
    """List imports, newest first (a partner: its organisation's)."""
    return listing(request, response, session, page, partial(service.list_, access=access))


@router.get("/{id}", responses=problems(*AUTH, NotFound))
def get(
    id: Annotated[bounds.Id, Path(description="The import's id.")], session: SessionDep, access: Reading
) -> Import:
    """An import's status, counts and report."""
    return service.read(session, service.get(session, id, access))
