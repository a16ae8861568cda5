from typing import Literal

from pydantic import BaseModel, Field

from api.bounds import Code, Count, Id, Name
from api.enums import AccessRole


class TokenPair(BaseModel):
    """OAuth2's token response: a short-lived access token and a rotating refresh token."""

    access_token: Code
    token_type: Code = "bearer"
    expires_in: Count = Field(description="Seconds until the access token expires.")
    refresh_token: Code


class Me(BaseModel):
    kind: Literal["account", "key"] = Field(description="A person's account, or a system's API key.")
    id: Id
    name: Name = Field(description="The account's e-mail address, or the key's name.")
    role: AccessRole
    stakeholder_id: Id | None
