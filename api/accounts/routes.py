from typing import Annotated

from fastapi import Path, Request, Response, status
from sqlmodel import Session

from api import bounds, models, routing
from api.access import Access, allow
from api.accounts import service
from api.accounts.schemas import Account, AccountCreate, AccountUpdate
from api.audit import service as audit
from api.db import SessionDep
from api.errors import Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed, problems
from api.http import IfMatch, check_if_match, created, with_etag
from api.item_routes import WRITE_ERRORS
from api.listing import listing
from api.pagination import PageQuery, sorted_by
from api.schema_base import Page

RESOURCE = "accounts"
Admin = Annotated[Access, allow(RESOURCE, "create")]
Reading = Annotated[Access, allow(RESOURCE, "read")]
router = routing.router("/accounts", tags=["accounts"])
Id = Annotated[bounds.Id, Path(description="The account's id.")]
AUTH = (Unauthorized, Forbidden)


@router.get("", responses=problems(*AUTH, ValidationFailed))
def list_(
    request: Request,
    response: Response,
    session: SessionDep,
    page: Annotated[PageQuery, sorted_by(service.SORTABLE)],
    access: Reading,
) -> Page[Account]:
    """List accounts (administrators)."""
    access.check(session)

    def fetch(s: Session, p: PageQuery) -> tuple[list[Account], str | None]:
        rows, next_cursor = service.list_(s, p)
        return [Account.model_validate(a) for a in rows], next_cursor

    return listing(request, response, session, page, fetch)


@router.post("", status_code=status.HTTP_201_CREATED, responses=problems(*AUTH, ValidationFailed, Conflict))
def create(
    data: AccountCreate, request: Request, response: Response, session: SessionDep, _: Admin
) -> Account:
    """Create an account (administrators)."""
    account = service.create(session, data.email, data.password, data.role, data.stakeholder_id)
    result = Account.model_validate(account)
    audit.record(session, RESOURCE, account.id, before=None, after=result)
    created(request, response, account.id, account.version)
    return result


@router.get("/{id}", responses=problems(*AUTH, NotFound))
def get(id: Id, response: Response, session: SessionDep, access: Reading) -> Account:
    """Get an account: administrators any, everyone their own."""
    account = session.get(models.Account, id)
    access.check(session, account)  # before a 404: which accounts exist is not everyone's business
    account = service.get(session, id)
    with_etag(response, account.version)
    return Account.model_validate(account)


@router.patch("/{id}", responses=problems(*AUTH, *WRITE_ERRORS))
def update(
    id: Id,
    data: AccountUpdate,
    response: Response,
    session: SessionDep,
    _: Annotated[Access, allow(RESOURCE, "update")],
    if_match: IfMatch,
) -> Account:
    """Change an account's role or organisation, or disable it (administrators); its sign-ins end."""
    account = service.get(session, id)
    check_if_match(if_match, account.version, "account")
    before = Account.model_validate(account)
    service.update(session, account, data)
    after = Account.model_validate(account)
    audit.record(session, RESOURCE, account.id, before=before, after=after)
    with_etag(response, account.version)
    return after
