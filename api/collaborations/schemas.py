from datetime import date

from pydantic import BaseModel, Field, StrictBool, StrictInt, field_validator

from api.enums import CollaborationKind, FundingStatus, Publication, Role, Scale
from api.schema_base import EXTERNAL_ID, SOURCE, Input, IsoDate, Resource, example, not_before, optional

AREAS = "Areas it covers: ids or GSS codes."


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
    funding_amount_pence: StrictInt | None = Field(
        default=None, ge=0, le=10**15, description="Money in integer pence."
    )
    lighthouse: StrictBool = False
    outcome_ids: list[str] = Field(default_factory=list, max_length=100)
    area_ids: list[str] = Field(default_factory=list, max_length=100, description=AREAS)
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
    funding_amount_pence: StrictInt | None = optional(ge=0, le=10**15)
    lighthouse: StrictBool = optional()
    outcome_ids: list[str] = optional(max_length=100)
    area_ids: list[str] = optional(max_length=100, description=AREAS)
    source: str | None = optional(min_length=1, max_length=100, description=SOURCE)
    external_id: str | None = optional(min_length=1, max_length=200, description=EXTERNAL_ID)
    start_date: IsoDate | None = optional()
    end_date: IsoDate | None = optional()
    publication: Publication = optional(description="Editors publish a draft; partners cannot.")


class Collaboration(Resource):
    title: str
    kind: CollaborationKind
    description: str | None
    scale: Scale
    funding_status: FundingStatus | None
    funding_route: str | None
    funding_amount_pence: int | None
    lighthouse: bool
    outcome_ids: list[str]
    area_ids: list[str]
    start_date: date | None
    end_date: date | None
    publication: Publication = Field(description="Drafts are seen only by signed-in callers.")
    source: str | None = Field(description=SOURCE)
    external_id: str | None = Field(description=EXTERNAL_ID)


class ParticipantCreate(Dated):
    stakeholder_id: str
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
    collaboration_id: str
    stakeholder_id: str
    role: Role
    start_date: date | None
    end_date: date | None


class CollaborationFilters(BaseModel):
    """What a list of collaborations can be narrowed to: its query parameters."""

    kind: CollaborationKind | None = None
    scale: Scale | None = None
    funding_status: FundingStatus | None = None
    lighthouse: bool | None = None
    outcome: str | None = Field(default=None, description="Serving this outcome (id).")
    mission: str | None = Field(default=None, description="Serving any outcome of this mission (id).")
    area: str | None = Field(
        default=None, description="Covering this area or any area within it (id or GSS code)."
    )
    stakeholder: str | None = Field(default=None, description="With this participant (id).")
    publication: Publication | None = Field(
        default=None, description="Drafts are listed only for signed-in callers."
    )
    q: str | None = Field(default=None, max_length=200, description="Text in title or description.")
