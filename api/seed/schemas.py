"""The shape of a region's roadmap data file; unknown keys are an error."""

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from api.enums import (
    AreaKind,
    CollaborationKind,
    Direction,
    Foundation,
    FundingStatus,
    Qualifier,
    Role,
    Scale,
    Size,
    StakeholderKind,
    StakeholderStatus,
    Unit,
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SeedRoadmap(Strict):
    key: str
    title: str
    area: str
    period_start: date | None = None
    period_end: date | None = None
    summary: str | None = None
    source_doc: str


class SeedArea(Strict):
    key: str
    code: str | None
    name: str
    kind: AreaKind
    parents: list[str] = []


class SeedStakeholder(Strict):
    key: str
    name: str
    kind: StakeholderKind
    sectors: list[str] = []
    areas: list[str] = []
    website: str | None = None
    description: str | None = None
    new_to_innovation: StrictBool = False
    status: StakeholderStatus = StakeholderStatus.active
    size: Size | None = None  # only where a source document says it; unknown otherwise
    source_doc: str


class SeedOutcome(Strict):
    code: str
    title: str
    description: str | None = None
    source_doc: str


class SeedMission(Strict):
    code: str
    title: str
    summary: str | None = None
    foundation: Foundation
    source_doc: str
    outcomes: list[SeedOutcome] = []


class SeedParticipant(Strict):
    stakeholder: str
    role: Role


class SeedCollaboration(Strict):
    key: str
    title: str
    kind: CollaborationKind
    description: str | None = None
    scale: Scale = Scale.regional
    funding_status: FundingStatus | None = None
    funding_route: str | None = None
    funding_amount_pence: StrictInt | None = None
    lighthouse: StrictBool = False
    outcomes: list[str] = []
    areas: list[str] = []
    start_date: date | None = None
    end_date: date | None = None
    participants: list[SeedParticipant] = []
    source_doc: str


class SeedBaseline(Strict):
    area: str
    collaboration: str | None = None
    value: Decimal
    qualifier: Qualifier = Qualifier.eq
    date: date
    source: str | None = None
    note: str | None = None
    source_doc: str


class SeedMetric(Strict):
    code: str
    name: str
    unit: Unit
    direction: Direction
    source: str | None = None
    method: str | None = None
    outcomes: list[str] = []
    baselines: list[SeedBaseline] = []


class SeedSupportScheme(Strict):
    name: str
    provider: str | None = None  # a stakeholder key
    offer: str
    description: str | None = None
    areas: list[str] = Field(default_factory=list)
    eligible_kinds: list[StakeholderKind] = Field(default_factory=list)
    eligible_sizes: list[Size] = Field(default_factory=list)
    eligible_sectors: list[str] = Field(default_factory=list)
    missions: list[str] = Field(default_factory=list)  # mission codes
    source_doc: str


class SeedFile(Strict):
    roadmap: SeedRoadmap
    areas: list[SeedArea]
    stakeholders: list[SeedStakeholder]
    missions: list[SeedMission]
    collaborations: list[SeedCollaboration]
    metrics: list[SeedMetric] = Field(default_factory=list)
    support_schemes: list[SeedSupportScheme] = Field(default_factory=list)
