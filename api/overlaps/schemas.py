from pydantic import BaseModel, Field

from api.bounds import ROWS, Id, Name, Text
from api.collaborations.schemas import LINKS
from api.overlaps.compute import SHOWN_TERMS


class Side(BaseModel):
    id: Id
    title: Name


class Overlap(BaseModel):
    a: Side
    b: Side
    score: float = Field(description="0..1; see the operation's description for the method.")
    text_similarity: float = Field(description="`text` as scored, boilerplate left out.")
    shared_terms: list[Text] = Field(
        max_length=SHOWN_TERMS,
        description="The words and word pairs adding most to `text_similarity`, as compared "
        "(lower case, plurals made singular).",
    )
    shared_outcome_ids: list[Id] = Field(max_length=LINKS)
    outcome_overlap: float = Field(description="`outcomes` as scored.")
    area_overlap: float = Field(description="`areas` as scored, region-wide areas left out.")
    shared_stakeholder_ids: list[Id] = Field(
        max_length=ROWS, description="Organisations in both, hubs left out."
    )
    member_overlap: float = Field(description="`members` as scored.")
    reasons: list[Text] = Field(max_length=4)  # text, members, outcomes, areas
