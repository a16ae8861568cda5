from pydantic import Field

from api.bounds import AwareTimestamp, Code, Id, Name, Timestamp
from api.enums import AccessRole
from api.schema_base import Input, Resource, example


class ApiKeyCreate(Input):
    name: str = Field(min_length=1, max_length=200, description="What the key is for.")
    role: AccessRole
    stakeholder_id: Id | None = Field(
        default=None, description="For partner keys: the organisation it acts for."
    )
    expires_at: AwareTimestamp | None = Field(default=None, description="When it stops working.")

    model_config = example(name="Coventry CRM sync", role="partner", stakeholder_id="<stakeholder id>")


class ApiKey(Resource):
    name: Name
    role: AccessRole
    stakeholder_id: Id | None
    prefix: Code = Field(description="The key's first characters, to recognise it by.")
    expires_at: Timestamp | None
    last_used_at: Timestamp | None
    revoked_at: Timestamp | None


class ApiKeyWithSecret(ApiKey):
    key: Code = Field(description="The secret. Shown this once: only its hash is kept.")
