from pydantic import BaseModel, Field


class Side(BaseModel):
    id: str
    title: str


class Overlap(BaseModel):
    a: Side
    b: Side
    score: float = Field(description="0..1; see the operation's description for the method.")
    text_similarity: float = Field(description="`text` as scored, boilerplate left out.")
    shared_terms: list[str] = Field(
        description="The words and word pairs adding most to `text_similarity`, as compared "
        "(lower case, plurals made singular)."
    )
    shared_outcome_ids: list[str]
    outcome_overlap: float = Field(description="`outcomes` as scored.")
    area_overlap: float = Field(description="`areas` as scored, region-wide areas left out.")
    shared_stakeholder_ids: list[str] = Field(description="Organisations in both, hubs left out.")
    member_overlap: float = Field(description="`members` as scored.")
    reasons: list[str]
