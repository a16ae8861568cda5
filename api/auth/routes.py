from typing import Annotated, Literal

from fastapi import Form, Request, Response, status
from fastapi.responses import JSONResponse

from api import routing
from api.access import Access, allow
from api.auth import service
from api.auth.schemas import Me, TokenPair
from api.db import SessionDep
from api.errors import (
    Forbidden,
    ProblemError,
    TooManyRequests,
    Unauthorized,
    ValidationFailed,
    problem_response,
    problems,
)

router = routing.router("/auth", tags=["auth"])


@router.post(
    "/token", response_model=TokenPair, responses=problems(Unauthorized, TooManyRequests, ValidationFailed)
)
def token(
    request: Request,
    session: SessionDep,
    grant_type: Annotated[Literal["password", "refresh_token"], Form()] = "password",
    username: Annotated[str | None, Form(max_length=320, description="The e-mail address.")] = None,
    password: Annotated[str | None, Form(max_length=1000)] = None,
    refresh_token: Annotated[str | None, Form(max_length=200)] = None,
) -> TokenPair | JSONResponse:
    """Sign in with e-mail and password, or exchange a refresh token for a new pair."""
    settings = request.app.state.settings
    if grant_type == "refresh_token":
        if not refresh_token:
            raise ValidationFailed.single("body.refresh_token", "Send the refresh token.")
        result = service.refresh(session, refresh_token, settings)
    else:
        if not username or not password:
            raise ValidationFailed.single("body.password", "Send username (your e-mail) and password.")
        client = request.client.host if request.client else "unknown"
        result = service.sign_in(session, username, password, client, settings)
    # A refusal is answered, not raised: what it recorded must be committed with it.
    return problem_response(result) if isinstance(result, ProblemError) else result


@router.post("/revoke", status_code=status.HTTP_204_NO_CONTENT, responses=problems(ValidationFailed))
def revoke(session: SessionDep, token: Annotated[str, Form(max_length=200)]) -> Response:
    """Sign out: the token and every token issued with it stop working."""
    service.revoke(session, token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", responses=problems(Unauthorized))
async def me(access: Annotated[Access, allow("accounts", "read")]) -> Me:
    """Who the bearer token belongs to."""
    principal = access.principal
    if principal is None:  # allow() answers 401 first; this says so to the type checker
        raise Forbidden("Sign in, or send an API key.")
    return Me(
        kind=principal.kind,
        id=principal.id,
        name=principal.name,
        role=principal.role,
        stakeholder_id=principal.stakeholder_id,
    )
