from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StrictBool, StringConstraints

from api.bounds import Code, Id, Name, Text, Url, WebUrl
from api.enums import Size, StakeholderKind, StakeholderStatus
from api.schema_base import (
    EXTERNAL_ID,
    IDENTIFIERS,
    SOURCE,
    Input,
    OrgId,
    Resource,
    example,
    optional,
)


def _tag(value: str) -> str:
    tag = value.strip().lower()
    if not tag:
        raise ValueError("A sector may not be blank.")
    return tag


# Tags are compared case-insensitively; normalised after the documented length check.
Sector = Annotated[str, StringConstraints(min_length=1, max_length=100), AfterValidator(_tag)]
AREAS = "Areas it is based in or serves: ids or GSS codes."
SECTORS, AREA_IDS, ORG_IDS = 50, 100, 20
SIZE = "Size band (micro under 10 staff, small under 50, medium under 250): support eligibility."


class StakeholderCreate(Input):
    name: str = Field(min_length=1, max_length=300)
    kind: StakeholderKind
    sectors: list[Sector] = Field(default_factory=list, max_length=SECTORS)
    area_ids: list[Id] = Field(default_factory=list, max_length=AREA_IDS, description=AREAS)
    website: WebUrl | None = None
    description: str | None = Field(default=None, max_length=10_000)
    new_to_innovation: StrictBool = False
    status: StakeholderStatus = StakeholderStatus.active
    size: Size | None = Field(default=None, description=SIZE)
    email: str | None = Field(
        default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$", description="People only; personal data."
    )
    phone: str | None = Field(default=None, max_length=50, description="People only; personal data.")
    identifiers: list[OrgId] = Field(default_factory=list, max_length=ORG_IDS, description=IDENTIFIERS)
    source: str | None = Field(default=None, min_length=1, max_length=100, description=SOURCE)
    external_id: str | None = Field(default=None, min_length=1, max_length=200, description=EXTERNAL_ID)

    model_config = example(
        name="Coventry University",
        kind="university",
        sectors=["digital", "skills"],
        area_ids=["E08000026"],
        website="https://www.coventry.ac.uk/",
        description="Runs Focus Digital, digitally focused business support.",
    )


class StakeholderUpdate(Input):
    name: str = optional(min_length=1, max_length=300)
    kind: StakeholderKind = optional()
    sectors: list[Sector] = optional(max_length=SECTORS)
    area_ids: list[Id] = optional(max_length=AREA_IDS, description=AREAS)
    website: WebUrl | None = optional()
    description: str | None = optional(max_length=10_000)
    new_to_innovation: StrictBool = optional()
    status: StakeholderStatus = optional()
    size: Size | None = optional(description=SIZE)
    email: str | None = optional(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = optional(max_length=50)
    identifiers: list[OrgId] = optional(max_length=ORG_IDS, description=IDENTIFIERS)
    source: str | None = optional(min_length=1, max_length=100, description=SOURCE)
    external_id: str | None = optional(min_length=1, max_length=200, description=EXTERNAL_ID)


class Stakeholder(Resource):
    name: Name
    kind: StakeholderKind
    sectors: list[Code] = Field(max_length=SECTORS)
    area_ids: list[Id] = Field(max_length=AREA_IDS)
    website: Url | None
    description: Text | None
    new_to_innovation: bool
    status: StakeholderStatus
    size: Size | None = Field(description=SIZE)
    email: Name | None = Field(
        default=None, description="A person's; personal data, only for editors and admins."
    )
    phone: Code | None = Field(
        default=None, description="A person's; personal data, only for editors and admins."
    )
    identifiers: list[Code] = Field(max_length=ORG_IDS, description=IDENTIFIERS)
    source: Code | None = Field(description=SOURCE)
    external_id: Name | None = Field(description=EXTERNAL_ID)


class StakeholderFilters(BaseModel):
    """What a list of stakeholders can be narrowed to: its query parameters."""

    kind: StakeholderKind | None = None
    status: StakeholderStatus | None = None
    sector: str | None = Field(default=None, max_length=100)
    area: Id | None = Field(
        default=None, description="Based in or serving this area or any area within it (id or GSS code)."
    )
    collaboration: Id | None = Field(default=None, description="Participants of this collaboration.")
    mission: Id | None = Field(
        default=None, description="Taking part in a collaboration serving this mission (id)."
    )
    partner_of: Id | None = Field(
        default=None, description="Sharing a collaboration with this stakeholder (id): its partners."
    )
    new_to_innovation: bool | None = None
    q: str | None = Field(default=None, max_length=200, description="Text in name or description.")
