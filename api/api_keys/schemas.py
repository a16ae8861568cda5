from datetime import datetime

from pydantic import AwareDatetime, Field

from api.enums import AccessRole
from api.schema_base import Input, Resource, example


class ApiKeyCreate(Input):
    name: str = Field(min_length=1, max_length=200, description="What the key is for.")
    role: AccessRole
    stakeholder_id: str | None = Field(
        default=None, description="For partner keys: the organisation it acts for."
    )
    expires_at: AwareDatetime | None = Field(default=None, description="When it stops working.")

    model_config = example(name="Coventry CRM sync", role="partner", stakeholder_id="<stakeholder id>")


class ApiKey(Resource):
    name: str
    role: AccessRole
    stakeholder_id: str | None
    prefix: str = Field(description="The key's first characters, to recognise it by.")
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyWithSecret(ApiKey):
    key: str = Field(description="The secret. Shown this once: only its hash is kept.")
