from typing import Literal

from pydantic import BaseModel, Field

from api.enums import AccessRole


class TokenPair(BaseModel):
    """OAuth2's token response: a short-lived access token and a rotating refresh token."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str


class Me(BaseModel):
    kind: Literal["account", "key"] = Field(description="A person's account, or a system's API key.")
    id: str
    name: str = Field(description="The account's e-mail address, or the key's name.")
    role: AccessRole
    stakeholder_id: str | None
