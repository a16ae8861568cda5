"""Who is calling: resolved once per request from the bearer token."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from fastapi.security import OAuth2PasswordBearer

from api.auth import service
from api.db import SessionDep
from api.enums import AccessRole
from api.errors import Unauthorized

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


@dataclass(frozen=True)
class Principal:
    account_id: str
    email: str
    role: AccessRole
    stakeholder_id: str | None


def optional_principal(
    session: SessionDep, token: Annotated[str | None, Depends(bearer)]
) -> Principal | None:
    """None for an anonymous caller; 401 for credentials that are present but not valid."""
    if token is None:
        return None
    account = service.account_for(session, token)
    if account is None:
        raise Unauthorized("The access token is not valid or has expired.")
    return Principal(account.id, account.email, AccessRole(account.role), account.stakeholder_id)


def required_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in, or send an API key.")
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentPrincipal = Annotated[Principal, Depends(required_principal)]
