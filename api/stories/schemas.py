from pydantic import BaseModel, Field

from api.bounds import Day, Id, LongText, Name, Text
from api.enums import Publication, StoryKind
from api.schema_base import Input, IsoDate, Resource, example, optional

LINKS = ("stakeholder_ids", "collaboration_ids", "mission_ids")
STAKEHOLDER_IDS, COLLABORATION_IDS, MISSION_IDS = 100, 100, 20
STAKEHOLDERS = "The organisations (and people) it is about."
PUBLICATION = "Stories start as drafts; an editor publishes them. Only published ones are public."


class StoryCreate(Input):
    title: str = Field(min_length=1, max_length=300)
    kind: StoryKind = Field(description="A success story, or a lesson learned (the highs and the lows).")
    summary: str = Field(min_length=1, max_length=2_000)
    body: str | None = Field(default=None, max_length=50_000)
    happened_on: IsoDate | None = None
    stakeholder_ids: list[Id] = Field(
        default_factory=list, max_length=STAKEHOLDER_IDS, description=STAKEHOLDERS
    )
    collaboration_ids: list[Id] = Field(default_factory=list, max_length=COLLABORATION_IDS)
    mission_ids: list[Id] = Field(default_factory=list, max_length=MISSION_IDS)
    metric_id: Id | None = Field(default=None, description="A metric whose values are the evidence.")
    publication: Publication = Field(default=Publication.draft, description=PUBLICATION)

    model_config = example(
        title="Devices on loan reach 2,000 adults",
        kind="success",
        summary="The device loan scheme passed 2,000 adults online, most of them over 65.",
        happened_on="2021-06-30",
    )


class StoryUpdate(Input):
    title: str = optional(min_length=1, max_length=300)
    kind: StoryKind = optional()
    summary: str = optional(min_length=1, max_length=2_000)
    body: str | None = optional(max_length=50_000)
    happened_on: IsoDate | None = optional()
    stakeholder_ids: list[Id] = optional(max_length=STAKEHOLDER_IDS, description=STAKEHOLDERS)
    collaboration_ids: list[Id] = optional(max_length=COLLABORATION_IDS)
    mission_ids: list[Id] = optional(max_length=MISSION_IDS)
    metric_id: Id | None = optional()
    publication: Publication = optional(description=PUBLICATION)


class Story(Resource):
    title: Name
    kind: StoryKind
    summary: Text
    body: LongText | None
    happened_on: Day | None
    stakeholder_ids: list[Id] = Field(max_length=STAKEHOLDER_IDS)
    collaboration_ids: list[Id] = Field(max_length=COLLABORATION_IDS)
    mission_ids: list[Id] = Field(max_length=MISSION_IDS)
    metric_id: Id | None
    publication: Publication


class StoryFilters(BaseModel):
    """What a list of stories can be narrowed to: its query parameters."""

    kind: StoryKind | None = None
    publication: Publication | None = Field(default=None, description="Drafts only for signed-in callers.")
    stakeholder: Id | None = Field(default=None, description="About this stakeholder (id).")
    collaboration: Id | None = Field(default=None, description="About this collaboration (id).")
    mission: Id | None = Field(default=None, description="Serving this mission (id).")
    metric: Id | None = Field(default=None, description="With this metric as evidence (id).")
    q: str | None = Field(default=None, max_length=200, description="Text in title or summary.")
