from typing import Annotated

from pydantic import BaseModel, Field, Strict, StrictBool, field_validator

from api.bounds import Code, Day, Id, LongText, Name, Pence
from api.enums import CollaborationKind, FundingStatus, Publication, Role, Scale
from api.schema_base import EXTERNAL_ID, SOURCE, Input, IsoDate, Resource, example, not_before, optional

AREAS = "Areas it covers: ids or GSS codes."
LINKS = 100


class Dated(Input):
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None

    _dates_in_order = field_validator("end_date")(not_before("start_date"))


class CollaborationCreate(Dated):
    title: str = Field(min_length=1, max_length=300)
    kind: CollaborationKind
    description: str | None = Field(default=None, max_length=20_000)
    scale: Scale = Scale.regional
    funding_status: FundingStatus | None = None
    funding_route: str | None = Field(
        default=None, max_length=300, description="e.g. an investment case, for `seeking`."
    )
    funding_amount_pence: Annotated[Pence, Strict()] | None = Field(
        default=None, description="Money in integer pence."
    )
    lighthouse: StrictBool = False
    outcome_ids: list[Id] = Field(default_factory=list, max_length=LINKS)
    area_ids: list[Id] = Field(default_factory=list, max_length=LINKS, description=AREAS)
    publication: Publication | None = Field(
        default=None,
        description="`published` unless given; a partner's proposal is always a `draft` until an editor "
        "publishes it.",
    )
    source: str | None = Field(default=None, min_length=1, max_length=100, description=SOURCE)
    external_id: str | None = Field(default=None, min_length=1, max_length=200, description=EXTERNAL_ID)

    model_config = example(
        title="WM5G Barrier Busting",
        kind="programme",
        scale="regional",
        description="Removing barriers to accelerate 5G rollout.",
        funding_status="funded",
        lighthouse=False,
        area_ids=["E47000007"],
    )


class CollaborationUpdate(Input):
    title: str = optional(min_length=1, max_length=300)
    kind: CollaborationKind = optional()
    description: str | None = optional(max_length=20_000)
    scale: Scale = optional()
    funding_status: FundingStatus | None = optional()
    funding_route: str | None = optional(max_length=300)
    funding_amount_pence: Annotated[Pence, Strict()] | None = optional()
    lighthouse: StrictBool = optional()
    outcome_ids: list[Id] = optional(max_length=LINKS)
    area_ids: list[Id] = optional(max_length=LINKS, description=AREAS)
    source: str | None = optional(min_length=1, max_length=100, description=SOURCE)
    external_id: str | None = optional(min_length=1, max_length=200, description=EXTERNAL_ID)
    start_date: IsoDate | None = optional()
    end_date: IsoDate | None = optional()
    publication: Publication = optional(description="Editors publish a draft; partners cannot.")


class Collaboration(Resource):
    title: Name
    kind: CollaborationKind
    description: LongText | None
    scale: Scale
    funding_status: FundingStatus | None
    funding_route: Name | None
    funding_amount_pence: Pence | None
    lighthouse: bool
    outcome_ids: list[Id] = Field(max_length=LINKS)
    area_ids: list[Id] = Field(max_length=LINKS)
    start_date: Day | None
    end_date: Day | None
    publication: Publication = Field(description="Drafts are seen only by signed-in callers.")
    source: Code | None = Field(description=SOURCE)
    external_id: Name | None = Field(description=EXTERNAL_ID)


class ParticipantCreate(Dated):
    stakeholder_id: Id
    role: Role

    model_config = example(
        stakeholder_id="00000000-0000-0000-0000-000000000000",
        role="lead",
        start_date="2021-01-15",
    )


class ParticipantUpdate(Input):
    role: Role = optional()
    start_date: IsoDate | None = optional()
    end_date: IsoDate | None = optional()


class Participant(Resource):
    collaboration_id: Id
    stakeholder_id: Id
    role: Role
    start_date: Day | None
    end_date: Day | None


class CollaborationFilters(BaseModel):
    """What a list of collaborations can be narrowed to: its query parameters."""

    kind: CollaborationKind | None = None
    scale: Scale | None = None
    funding_status: FundingStatus | None = None
    lighthouse: bool | None = None
    outcome: Id | None = Field(default=None, description="Serving this outcome (id).")
    mission: Id | None = Field(default=None, description="Serving any outcome of this mission (id).")
    area: Id | None = Field(
        default=None, description="Covering this area or any area within it (id or GSS code)."
    )
    stakeholder: Id | None = Field(default=None, description="With this participant (id).")
    publication: Publication | None = Field(
        default=None, description="Drafts are listed only for signed-in callers."
    )
    q: str | None = Field(default=None, max_length=200, description="Text in title or description.")
