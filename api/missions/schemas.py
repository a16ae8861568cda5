from pydantic import Field

from api.bounds import Code, Id, Name, Text
from api.enums import Foundation
from api.schema_base import Input, Resource, example, optional

CODE = r"^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$"


class MissionCreate(Input):
    roadmap_id: Id
    code: Code = Field(pattern=CODE, description="Short code, unique in its roadmap: M1…M5.")
    title: str = Field(min_length=1, max_length=300)
    summary: str | None = Field(default=None, max_length=10_000)
    foundation: Foundation

    model_config = example(
        roadmap_id="00000000-0000-0000-0000-000000000000",
        code="M3",
        title="Becoming the UK's best-connected region",
        summary="Maintaining leadership on 5G, and accelerating full fibre rollout and 4G "
        "connectivity improvements.",
        foundation="infrastructure",
    )


class MissionUpdate(Input):
    code: Code = optional(pattern=CODE)
    title: str = optional(min_length=1, max_length=300)
    summary: str | None = optional(max_length=10_000)
    foundation: Foundation = optional()


class Mission(Resource):
    roadmap_id: Id
    code: Code
    title: Name
    summary: Text | None
    foundation: Foundation
