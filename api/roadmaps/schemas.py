from pydantic import Field, field_validator

from api.bounds import Code, Day, Id, Name, Text
from api.schema_base import Input, IsoDate, Resource, example, not_before, optional

KEY = r"^[a-z0-9][a-z0-9-]{0,99}$"


class RoadmapCreate(Input):
    key: Code = Field(pattern=KEY, description="Stable slug, e.g. `wm-digital-roadmap`.")
    title: str = Field(min_length=1, max_length=300)
    summary: str | None = Field(default=None, max_length=10_000)
    area_id: Id | None = Field(default=None, description="The area it covers: id or GSS code.")
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None

    _period_in_order = field_validator("period_end")(not_before("period_start"))

    model_config = example(
        key="wm-digital-roadmap",
        title="West Midlands Digital Roadmap",
        area_id="E47000007",
        period_start="2021-01-01",
        period_end="2026-03-31",
    )


class RoadmapUpdate(Input):
    key: Code = optional(pattern=KEY)
    title: str = optional(min_length=1, max_length=300)
    summary: str | None = optional(max_length=10_000)
    area_id: Id | None = optional()
    period_start: IsoDate | None = optional()
    period_end: IsoDate | None = optional()


class Roadmap(Resource):
    key: Code
    title: Name
    summary: Text | None
    area_id: Id | None
    period_start: Day | None
    period_end: Day | None
