from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.enums import ChangeAction


class FieldChange(BaseModel):
    field: str
    before: Any = None
    after: Any = None
    redacted: bool = Field(default=False, description="Personal data: that it changed, not its values.")


class Actor(BaseModel):
    kind: str = Field(description="`account`, `key` or `system` (the roadmap loader).")
    id: str | None
    name: str = Field(description="The account's e-mail address, the key's name, or the system task.")


class Change(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    sequence: int = Field(description="Position in commit order; gaps are possible, reordering is not.")
    at: datetime
    actor: Actor
    request_id: str | None = Field(description="The X-Request-ID of the request that made the change.")
    resource: str = Field(description="The collection, e.g. `stakeholders`, `participants`, `observations`.")
    resource_id: str
    parent_id: str | None = Field(description="The collaboration of a participant, the metric of a value.")
    action: ChangeAction
    version: int | None = Field(description="The resource's version after the change; null after a delete.")
    changes: list[FieldChange]
    state: dict[str, Any] | None = Field(
        description="The resource as the public API shows it after the change; null after a delete."
    )


class ChangeFeed(BaseModel):
    items: list[Change]
    next_cursor: str = Field(
        description="Poll again with `?after=` this value; it is the given cursor when nothing is new."
    )
    more: bool = Field(description="True when more changes are waiting: poll again at once.")
