from pydantic import BaseModel, Field


class Side(BaseModel):
    id: str
    title: str


class Overlap(BaseModel):
    a: Side
    b: Side
    score: float = Field(description="0..1; see the operation's description for the method.")
    text_similarity: float
    shared_outcome_ids: list[str]
    area_overlap: float
    shared_stakeholder_ids: list[str]
    reasons: list[str]
