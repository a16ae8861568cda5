"""Base classes every domain's schemas build on."""

import re
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from api.bounds import Cursor, Day, Id, Timestamp, Version
from api.config import get_settings


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def optional(**kwargs: Any) -> Any:
    """A PATCH field: may be omitted; `null` only where the field's type allows it."""
    return Field(default=None, json_schema_extra=_drop_default, **kwargs)


class Input(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped.

    Booleans and integers in request bodies are StrictBool / StrictInt: `0` is not `false`.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL cannot store NUL in text; refuse it here, naming the field.
        values = value if isinstance(value, list) else [value]
        if any(isinstance(v, str) and "\x00" in v for v in values):
            raise ValueError("Text may not contain NUL (\\u0000) characters.")
        return value


class Resource(BaseModel):
    """What every single resource carries."""

    model_config = ConfigDict(from_attributes=True)

    id: Id = Field(description="Opaque identifier (UUID).")
    version: Version = Field(description="Bumped on every change; the resource's ETag.")
    created_at: Timestamp
    updated_at: Timestamp


SOURCE = "The system it came from (e.g. `360giving`); with `external_id`, a re-import matches on them."
EXTERNAL_ID = "Its key in that system (e.g. a 360Giving grant's Identifier); unique with `source`."
ORG_ID = r"^[A-Z]{2}-[A-Z0-9]{2,12}-[A-Za-z0-9][A-Za-z0-9./_-]{0,80}$"
IDENTIFIERS = (
    "Organisation identifiers in the org-id form: `GB-COH-01234567`, `GB-CHC-1234567`, `GB-EDU-123456`."
)
OrgId = Annotated[str, Field(pattern=ORG_ID, max_length=100)]


T = TypeVar("T")
MAX_LIMIT = get_settings().page_size_max


class Page(BaseModel, Generic[T]):
    items: list[T] = Field(max_length=MAX_LIMIT)
    next_cursor: Cursor | None = Field(
        description="Pass as `?cursor=` for the next page; null on the last page."
    )


def example(**fields: Any) -> ConfigDict:
    """Config that documents one example request body in OpenAPI."""
    return ConfigDict(json_schema_extra={"examples": [fields]})


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError("Expected an ISO 8601 date, YYYY-MM-DD.")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Lax parsing would take 0 (a Unix time) or "20200101" for a date; a request may not.
IsoDate = Annotated[Day, BeforeValidator(_iso_date)]


def not_before(start_field: str) -> Any:
    """A field validator: this date may not come before `start_field` (named in the error)."""

    def check(value: date | None, info: ValidationInfo) -> date | None:
        start = info.data.get(start_field)
        if value is not None and start is not None and value < start:
            raise ValueError(f"{info.field_name} is before {start_field}")
        return value

    return check
