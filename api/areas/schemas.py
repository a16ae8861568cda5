from pydantic import Field

from api.bounds import Code, Id, Name
from api.enums import AreaKind
from api.schema_base import Input, Resource, example, optional

GSS_PATTERN = r"^[EKNSW][0-9]{8}$"
REF = "An area's id or its GSS code."
PARENTS = 20


class AreaCreate(Input):
    code: Code | None = Field(default=None, pattern=GSS_PATTERN, description="ONS GSS code, e.g. E08000026.")
    name: str = Field(min_length=1, max_length=200)
    kind: AreaKind
    parent_ids: list[Id] = Field(default_factory=list, max_length=PARENTS, description=REF)

    model_config = example(
        code="E08000026",
        name="Coventry",
        kind="local_authority",
        parent_ids=["E12000005", "E47000007"],
    )


class AreaUpdate(Input):
    code: Code | None = optional(pattern=GSS_PATTERN)
    name: str = optional(min_length=1, max_length=200)
    kind: AreaKind = optional()
    parent_ids: list[Id] = optional(max_length=PARENTS, description=REF)


class Area(Resource):
    code: Code | None
    name: Name
    kind: AreaKind
    parent_ids: list[Id] = Field(max_length=PARENTS, description="Ids of the areas this one lies within.")
