from pydantic import BaseModel, Field

from api.enums import AccessRole


class TokenPair(BaseModel):
    """OAuth2's token response: a short-lived access token and a rotating refresh token."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str


class Me(BaseModel):
    id: str
    email: str
    role: AccessRole
    stakeholder_id: str | None
