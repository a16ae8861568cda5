from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.bounds import FIELDS, BigCount, Code, Cursor, Id, Name, Timestamp, Version
from api.enums import ChangeAction
from api.schema_base import MAX_LIMIT


class FieldChange(BaseModel):
    field: Code
    before: Any = None
    after: Any = None
    redacted: bool = Field(default=False, description="Personal data: that it changed, not its values.")


class Actor(BaseModel):
    kind: Code = Field(description="`account`, `key` or `system` (the roadmap loader).")
    id: Id | None
    name: Name = Field(description="The account's e-mail address, the key's name, or the system task.")


class Change(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sequence: BigCount = Field(description="Position in commit order; gaps are possible, reordering is not.")
    at: Timestamp
    actor: Actor
    request_id: Code | None = Field(description="The X-Request-ID of the request that made the change.")
    resource: Code = Field(description="The collection, e.g. `stakeholders`, `participants`, `observations`.")
    resource_id: Id
    parent_id: Id | None = Field(description="The collaboration of a participant, the metric of a value.")
    action: ChangeAction
    version: Version | None = Field(
        description="The resource's version after the change; null after a delete."
    )
    changes: list[FieldChange] = Field(max_length=FIELDS)
    state: dict[str, Any] | None = Field(
        description="The resource as the public API shows it after the change; null after a delete."
    )


class ChangeFeed(BaseModel):
    items: list[Change] = Field(max_length=MAX_LIMIT)
    next_cursor: Cursor = Field(
        description="Poll again with `?after=` this value; it is the given cursor when nothing is new."
    )
    more: bool = Field(description="True when more changes are waiting: poll again at once.")
