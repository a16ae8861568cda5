"""Who is calling: resolved once per request from a bearer token or an API key."""

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import BackgroundTasks, Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.api_keys import service as api_keys
from api.auth import service
from api.db import SessionDep
from api.enums import AccessRole
from api.errors import Unauthorized

# The same endpoint refreshes: `grant_type=refresh_token` with a rotating refresh token.
bearer = OAuth2PasswordBearer(
    tokenUrl="/api/v1/auth/token", refreshUrl="/api/v1/auth/token", auto_error=False
)
api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


@dataclass(frozen=True)
class Principal:
    kind: Literal["account", "key"]
    id: str
    name: str  # the e-mail address of a person, the name of a key
    role: AccessRole
    stakeholder_id: str | None


async def optional_principal(
    request: Request,
    background: BackgroundTasks,
    session: SessionDep,
    token: Annotated[str | None, Depends(bearer)],
    key: Annotated[str | None, Depends(api_key_header)],
) -> Principal | None:
    """None for an anonymous caller; 401 for credentials that are present but not valid."""
    if key is None and token is None:
        return None  # the public's reads reach the database only in their endpoint
    return await run_in_threadpool(_resolve, request, background, session, token, key)


def _resolve(
    request: Request, background: BackgroundTasks, session: Session, token: str | None, key: str | None
) -> Principal:
    secret = key or (token if token and token.startswith(api_keys.KEY_PREFIX) else None)
    if secret is not None:
        found = api_keys.key_for(session, secret)
        if found is None:
            raise Unauthorized("The API key is not valid, has expired or was revoked.")
        if api_keys.due_for_note(found):
            background.add_task(api_keys.note_use, request.app.state.session_factory, found.id)
        return Principal("key", found.id, found.name, AccessRole(found.role), found.stakeholder_id)
    assert token is not None
    account = service.account_for(session, token)
    if account is None:
        raise Unauthorized("The access token is not valid or has expired.")
    return Principal("account", account.id, account.email, AccessRole(account.role), account.stakeholder_id)


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
