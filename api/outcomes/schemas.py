from pydantic import Field

from api.bounds import ROWS, Code, Id, Name, Text
from api.schema_base import Input, Resource, example, optional

CODE = r"^[A-Za-z0-9][A-Za-z0-9.-]{0,19}$"


class OutcomeCreate(Input):
    mission_id: Id
    code: Code | None = Field(
        default=None,
        pattern=CODE,
        description="Short code, unique in its mission (M3.2); by default the mission's next one.",
    )
    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=10_000)

    model_config = example(
        mission_id="00000000-0000-0000-0000-000000000000",
        code="M3.2",
        title="Full fibre rollout accelerated",
        description="Full fibre coverage raised, above all in the Black Country.",
    )


class OutcomeUpdate(Input):
    mission_id: Id = optional()
    code: Code = optional(pattern=CODE)
    title: str = optional(min_length=1, max_length=300)
    description: str | None = optional(max_length=10_000)


class Outcome(Resource):
    mission_id: Id
    code: Code
    title: Name
    description: Text | None
    metric_ids: list[Id] = Field(max_length=ROWS, description="The metrics that measure this outcome.")
