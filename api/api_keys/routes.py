from typing import Annotated

from fastapi import Path, Request, Response, status
from sqlmodel import Session

from api import bounds, routing
from api.access import Access, allow
from api.api_keys import service
from api.api_keys.schemas import ApiKey, ApiKeyCreate, ApiKeyWithSecret
from api.audit import service as audit
from api.auth.principal import Principal
from api.db import SessionDep
from api.errors import Forbidden, NotFound, Unauthorized, ValidationFailed, problems
from api.http import IfMatch, check_if_match, created, with_etag
from api.item_routes import WRITE_ERRORS
from api.listing import listing
from api.pagination import PageQuery, sorted_by
from api.schema_base import Page

RESOURCE = "api-keys"
Reading = Annotated[Access, allow(RESOURCE, "read")]
router = routing.router("/api-keys", tags=["api-keys"])
Id = Annotated[bounds.Id, Path(description="The key's id (not its secret).")]
AUTH = (Unauthorized, Forbidden)


@router.get("", responses=problems(*AUTH, ValidationFailed))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    access: Reading,
) -> Page[ApiKey]:
    """List the API keys you manage (admins: all; partners: their organisation's)."""
    principal = _known(access)

    def fetch(s: Session, p: PageQuery) -> tuple[list[ApiKey], str | None]:
        rows, next_cursor = service.list_(s, p, principal.role, principal.stakeholder_id)
        return [ApiKey.model_validate(k) for k in rows], next_cursor

    return listing(request, response, session, page, fetch)


def _without_secret(key: ApiKeyWithSecret) -> ApiKey:
    """The key as the audit trail keeps it. Not `ApiKey.model_validate(key)`: pydantic hands an
    instance of a subclass back as it is, secret and all."""
    return ApiKey.model_validate(key.model_dump(exclude={"key"}))


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(*AUTH, ValidationFailed))
def create(
    data: ApiKeyCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    access: Annotated[Access, allow(RESOURCE, "create")],
) -> ApiKeyWithSecret:
    """Create an API key; its secret is in this answer only."""
    principal = _known(access)
    key = service.create(session, data, principal.role, principal.stakeholder_id, principal.id)
    audit.record(session, RESOURCE, key.id, before=None, after=_without_secret(key))
    created(request, response, key.id, key.version)
    return key


@router.get("/{id}", responses=problems(*AUTH, NotFound))
def get(id: Id, response: Response, session: SessionDep, access: Reading) -> ApiKey:
    """Get an API key (never its secret)."""
    principal = _known(access)
    key = service.get(session, id, principal.role, principal.stakeholder_id)
    with_etag(response, key.version)
    return ApiKey.model_validate(key)


@router.post("/{id}/rotate", responses=problems(*AUTH, NotFound, ValidationFailed))
def rotate(
    id: Id, response: Response, session: SessionDep, access: Annotated[Access, allow(RESOURCE, "update")]
) -> ApiKeyWithSecret:
    """Give the key a new secret (in this answer only); the old one stops working at once."""
    principal = _known(access)
    key = service.get(session, id, principal.role, principal.stakeholder_id)
    before = ApiKey.model_validate(key)
    rotated = service.rotate(session, key)
    audit.record(session, RESOURCE, key.id, before=before, after=_without_secret(rotated))
    with_etag(response, rotated.version)
    return rotated


@router.delete("/{id}", status_code=status.HTTP_204_NO_CONTENT, responses=problems(*AUTH, *WRITE_ERRORS))
def revoke(
    id: Id,
    session: SessionDep,
    access: Annotated[Access, allow(RESOURCE, "delete")],
    if_match: IfMatch,
) -> None:
    """Revoke an API key; it is kept, marked revoked, so its use stays explainable."""
    principal = _known(access)
    key = service.get(session, id, principal.role, principal.stakeholder_id)
    check_if_match(if_match, key.version, "API key")
    before = ApiKey.model_validate(key)
    service.revoke(session, key)
    audit.record(session, RESOURCE, key.id, before=before, after=ApiKey.model_validate(key))


def _known(access: Access) -> Principal:
    assert access.principal is not None  # allow() refuses anonymous writes
    return access.principal
