from pydantic import BaseModel, Field

from api.enums import FundingStatus
from api.progress.schemas import Summary


class Member(BaseModel):
    stakeholder_id: str
    name: str
    role: str


class Activity(BaseModel):
    collaboration_id: str
    title: str
    funding_status: FundingStatus | None
    funding_amount_pence: int | None
    lighthouse: bool
    members: list[Member]


class OutcomeContribution(BaseModel):
    outcome_id: str
    code: str
    title: str
    progress: Summary = Field(description="Whether its metrics move (see /outcomes/{id}/progress).")
    collaborations: list[Activity] = Field(description="Lighthouse projects first, then by title.")


class Contributor(BaseModel):
    stakeholder_id: str
    name: str
    kind: str
    collaborations: int
    leads: int
    outcome_ids: list[str]


class Pipeline(BaseModel):
    count: int
    amount_pence: int = Field(
        description="The sum of the amounts recorded: a floor when `without_amount` is not 0."
    )
    without_amount: int = Field(description="How many have no amount recorded.")
    without_amount_ids: list[str] = Field(description="Which: their collaboration ids, sorted.")


class Contributors(BaseModel):
    mission_id: str
    outcomes: list[OutcomeContribution]
    organisations: list[Contributor] = Field(description="Most collaborations first.")
    pipeline: dict[str, Pipeline] = Field(
        description="funded, seeking, exploring and unknown: counts and money."
    )
    method: str = Field(description="How the pipeline is counted, and how much of its money is unrecorded.")
