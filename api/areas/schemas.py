from pydantic import Field

from api.enums import AreaKind
from api.schema_base import Input, Resource, example, optional

GSS_PATTERN = r"^[EKNSW][0-9]{8}$"
REF = "An area's id or its GSS code."


class AreaCreate(Input):
    code: str | None = Field(default=None, pattern=GSS_PATTERN, description="ONS GSS code, e.g. E08000026.")
    name: str = Field(min_length=1, max_length=200)
    kind: AreaKind
    parent_ids: list[str] = Field(default_factory=list, max_length=20, description=REF)

    model_config = example(
        code="E08000026",
        name="Coventry",
        kind="local_authority",
        parent_ids=["E12000005", "E47000007"],
    )


class AreaUpdate(Input):
    code: str | None = optional(pattern=GSS_PATTERN)
    name: str = optional(min_length=1, max_length=200)
    kind: AreaKind = optional()
    parent_ids: list[str] = optional(max_length=20, description=REF)


class Area(Resource):
    code: str | None
    name: str
    kind: AreaKind
    parent_ids: list[str] = Field(description="Ids of the areas this one lies within.")
