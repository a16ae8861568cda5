from datetime import date

from pydantic import BaseModel, Field, HttpUrl

from api.enums import SchemeStatus, Size, StakeholderKind
from api.schema_base import Input, IsoDate, Resource, example, optional
from api.support.compute import Eligibility

LINKS = ("area_ids", "mission_ids")
ANYONE = "Empty: no restriction."


class SupportSchemeCreate(Input):
    name: str = Field(min_length=1, max_length=300)
    provider_id: str | None = Field(default=None, description="The stakeholder that runs it.")
    offer: str = Field(min_length=1, max_length=2_000, description="What it gives: advice, grants, training…")
    description: str | None = Field(default=None, max_length=20_000)
    url: HttpUrl | None = None
    status: SchemeStatus = SchemeStatus.open
    closes_on: IsoDate | None = None
    area_ids: list[str] = Field(
        default_factory=list, max_length=100, description=f"Eligible areas (and within). {ANYONE}"
    )
    eligible_kinds: list[StakeholderKind] = Field(default_factory=list, max_length=20, description=ANYONE)
    eligible_sizes: list[Size] = Field(default_factory=list, max_length=4, description=ANYONE)
    eligible_sectors: list[str] = Field(default_factory=list, max_length=50, description=ANYONE)
    mission_ids: list[str] = Field(default_factory=list, max_length=20, description="Missions it serves.")

    model_config = example(
        name="Focus Digital",
        offer="Fully funded digital support and workshops for SMEs.",
        area_ids=["E47000007"],
        eligible_kinds=["business"],
        eligible_sizes=["micro", "small", "medium"],
    )


class SupportSchemeUpdate(Input):
    name: str = optional(min_length=1, max_length=300)
    provider_id: str | None = optional()
    offer: str = optional(min_length=1, max_length=2_000)
    description: str | None = optional(max_length=20_000)
    url: HttpUrl | None = optional()
    status: SchemeStatus = optional()
    closes_on: IsoDate | None = optional()
    area_ids: list[str] = optional(max_length=100)
    eligible_kinds: list[StakeholderKind] = optional(max_length=20)
    eligible_sizes: list[Size] = optional(max_length=4)
    eligible_sectors: list[str] = optional(max_length=50)
    mission_ids: list[str] = optional(max_length=20)


class SupportScheme(Resource):
    name: str
    provider_id: str | None
    offer: str
    description: str | None
    url: str | None
    status: SchemeStatus
    closes_on: date | None
    area_ids: list[str]
    eligible_kinds: list[StakeholderKind]
    eligible_sizes: list[Size]
    eligible_sectors: list[str]
    mission_ids: list[str]


class Match(SupportScheme):
    eligible: bool = Field(description="True only when every rule is known to be met: see `eligibility`.")
    eligibility: Eligibility = Field(
        description="eligible; ineligible (a rule is not met: `unmet`); or unknown (no rule fails, but "
        "one cannot be checked because the organisation's record lacks what it needs: `unknown`)."
    )
    score: int = Field(description="How specifically it fits; higher first.")
    reasons: list[str]
    unmet: list[str] = Field(description="The rules it fails.")
    unknown: list[str] = Field(
        description="The rules that cannot be checked, and what to record to check them."
    )


class SupportSchemeFilters(BaseModel):
    """What a list of support schemes can be narrowed to: its query parameters."""

    status: SchemeStatus | None = None
    provider: str | None = Field(default=None, description="Run by this stakeholder (id).")
    mission: str | None = Field(default=None, description="Serving this mission (id).")
    q: str | None = Field(default=None, max_length=200, description="Text in name or offer.")
