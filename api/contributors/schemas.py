from pydantic import BaseModel, Field

from api.bounds import ROWS, BigCount, Code, Count, Id, Name, Pence, Text
from api.enums import FundingStatus
from api.progress.schemas import Summary


class Member(BaseModel):
    stakeholder_id: Id
    name: Name
    role: Code


class Activity(BaseModel):
    collaboration_id: Id
    title: Name
    funding_status: FundingStatus | None
    funding_amount_pence: Pence | None
    lighthouse: bool
    members: list[Member] = Field(max_length=ROWS)


class OutcomeContribution(BaseModel):
    outcome_id: Id
    code: Code
    title: Name
    progress: Summary = Field(description="Whether its metrics move (see /outcomes/{id}/progress).")
    collaborations: list[Activity] = Field(
        max_length=ROWS, description="Lighthouse projects first, then by title."
    )


class Contributor(BaseModel):
    stakeholder_id: Id
    name: Name
    kind: Code
    collaborations: Count
    leads: Count
    outcome_ids: list[Id] = Field(max_length=ROWS)


class Pipeline(BaseModel):
    count: Count
    amount_pence: BigCount = Field(
        description="The sum of the amounts recorded: a floor when `without_amount` is not 0."
    )
    without_amount: Count = Field(description="How many have no amount recorded.")
    without_amount_ids: list[Id] = Field(
        max_length=ROWS, description="Which: their collaboration ids, sorted."
    )


class Contributors(BaseModel):
    mission_id: Id
    outcomes: list[OutcomeContribution] = Field(max_length=ROWS)
    organisations: list[Contributor] = Field(max_length=ROWS, description="Most collaborations first.")
    pipeline: dict[str, Pipeline] = Field(
        description="funded, seeking, exploring and unknown: counts and money."
    )
    method: Text = Field(description="How the pipeline is counted, and how much of its money is unrecorded.")
