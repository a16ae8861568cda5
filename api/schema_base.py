"""Base classes every domain's schemas build on."""

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def optional(**kwargs: Any) -> Any:
    """A PATCH field: may be omitted; `null` only where the field's type allows it."""
    return Field(default=None, json_schema_extra=_drop_default, **kwargs)


class Input(BaseModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Resource(BaseModel):
    """What every single resource carries."""

    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="Opaque identifier (UUID).")
    version: int = Field(description="Bumped on every change; the resource's ETag.")
    created_at: datetime
    updated_at: datetime


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `?cursor=` for the next page; null on the last page."
    )


def example(**fields: Any) -> ConfigDict:
    """Config that documents one example request body in OpenAPI."""
    return ConfigDict(json_schema_extra={"examples": [fields]})
