from pydantic import Field, StrictBool

from api.bounds import Id, Name, Timestamp
from api.enums import AccessRole
from api.schema_base import Input, Resource, example, optional


class AccountCreate(Input):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=12, max_length=1000)
    role: AccessRole
    stakeholder_id: Id | None = Field(default=None, description="For partners: the organisation.")

    model_config = example(email="officer@example.org", password="a long passphrase", role="editor")


class AccountUpdate(Input):
    role: AccessRole = optional()
    stakeholder_id: Id | None = optional()
    disabled: StrictBool = optional(description="A disabled account cannot sign in; its tokens stop.")


class Account(Resource):
    email: Name
    role: AccessRole
    stakeholder_id: Id | None
    disabled: bool
    last_sign_in_at: Timestamp | None
