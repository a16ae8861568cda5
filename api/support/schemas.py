from pydantic import BaseModel, Field

from api.bounds import Code, Count, Day, Id, LongText, Name, Text, Url, WebUrl
from api.enums import SchemeStatus, Size, StakeholderKind
from api.schema_base import Input, IsoDate, Resource, example, optional
from api.support.compute import Eligibility

LINKS = ("area_ids", "mission_ids")
ANYONE = "Empty: no restriction."
AREA_IDS, KINDS, SIZES, SECTORS, MISSION_IDS = 100, 20, 4, 50, 20
RULES = 10  # a line for each rule at most: open, areas, kind, size, sectors, missions


class SupportSchemeCreate(Input):
    name: str = Field(min_length=1, max_length=300)
    provider_id: Id | None = Field(default=None, description="The stakeholder that runs it.")
    offer: str = Field(min_length=1, max_length=2_000, description="What it gives: advice, grants, training…")
    description: str | None = Field(default=None, max_length=20_000)
    url: WebUrl | None = None
    status: SchemeStatus = SchemeStatus.open
    closes_on: IsoDate | None = None
    area_ids: list[Id] = Field(
        default_factory=list, max_length=AREA_IDS, description=f"Eligible areas (and within). {ANYONE}"
    )
    eligible_kinds: list[StakeholderKind] = Field(default_factory=list, max_length=KINDS, description=ANYONE)
    eligible_sizes: list[Size] = Field(default_factory=list, max_length=SIZES, description=ANYONE)
    eligible_sectors: list[Code] = Field(default_factory=list, max_length=SECTORS, description=ANYONE)
    mission_ids: list[Id] = Field(
        default_factory=list, max_length=MISSION_IDS, description="Missions it serves."
    )

    model_config = example(
        name="Focus Digital",
        offer="Fully funded digital support and workshops for SMEs.",
        area_ids=["E47000007"],
        eligible_kinds=["business"],
        eligible_sizes=["micro", "small", "medium"],
    )


class SupportSchemeUpdate(Input):
    name: str = optional(min_length=1, max_length=300)
    provider_id: Id | None = optional()
    offer: str = optional(min_length=1, max_length=2_000)
    description: str | None = optional(max_length=20_000)
    url: WebUrl | None = optional()
    status: SchemeStatus = optional()
    closes_on: IsoDate | None = optional()
    area_ids: list[Id] = optional(max_length=AREA_IDS)
    eligible_kinds: list[StakeholderKind] = optional(max_length=KINDS)
    eligible_sizes: list[Size] = optional(max_length=SIZES)
    eligible_sectors: list[Code] = optional(max_length=SECTORS)
    mission_ids: list[Id] = optional(max_length=MISSION_IDS)


class SupportScheme(Resource):
    name: Name
    provider_id: Id | None
    offer: Text
    description: LongText | None
    url: Url | None
    status: SchemeStatus
    closes_on: Day | None
    area_ids: list[Id] = Field(max_length=AREA_IDS)
    eligible_kinds: list[StakeholderKind] = Field(max_length=KINDS)
    eligible_sizes: list[Size] = Field(max_length=SIZES)
    eligible_sectors: list[Code] = Field(max_length=SECTORS)
    mission_ids: list[Id] = Field(max_length=MISSION_IDS)


class Match(SupportScheme):
    eligible: bool = Field(description="True only when every rule is known to be met: see `eligibility`.")
    eligibility: Eligibility = Field(
        description="eligible; ineligible (a rule is not met: `unmet`); or unknown (no rule fails, but "
        "one cannot be checked because the organisation's record lacks what it needs: `unknown`)."
    )
    score: Count = Field(description="How specifically it fits; higher first.")
    reasons: list[Text] = Field(max_length=RULES)
    unmet: list[Text] = Field(max_length=RULES, description="The rules it fails.")
    unknown: list[Text] = Field(
        max_length=RULES, description="The rules that cannot be checked, and what to record to check them."
    )


class SupportSchemeFilters(BaseModel):
    """What a list of support schemes can be narrowed to: its query parameters."""

    status: SchemeStatus | None = None
    provider: Id | None = Field(default=None, description="Run by this stakeholder (id).")
    mission: Id | None = Field(default=None, description="Serving this mission (id).")
    q: str | None = Field(default=None, max_length=200, description="Text in name or offer.")
