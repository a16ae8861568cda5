from typing import Annotated

from pydantic import Field, HttpUrl, StrictBool, StringConstraints

from api.enums import StakeholderKind, StakeholderStatus
from api.schema_base import Input, Resource, example, optional

Sector = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=100)]
AREAS = "Areas it is based in or serves: ids or GSS codes."


class StakeholderCreate(Input):
    name: str = Field(min_length=1, max_length=300)
    kind: StakeholderKind
    sectors: list[Sector] = Field(default_factory=list, max_length=50)
    area_ids: list[str] = Field(default_factory=list, max_length=100, description=AREAS)
    website: HttpUrl | None = None
    description: str | None = Field(default=None, max_length=10_000)
    new_to_innovation: StrictBool = False
    status: StakeholderStatus = StakeholderStatus.active
    email: str | None = Field(
        default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$", description="People only; personal data."
    )
    phone: str | None = Field(default=None, max_length=50, description="People only; personal data.")

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
    sectors: list[Sector] = optional(max_length=50)
    area_ids: list[str] = optional(max_length=100, description=AREAS)
    website: HttpUrl | None = optional()
    description: str | None = optional(max_length=10_000)
    new_to_innovation: StrictBool = optional()
    status: StakeholderStatus = optional()
    email: str | None = optional(max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    phone: str | None = optional(max_length=50)


class Stakeholder(Resource):
    name: str
    kind: StakeholderKind
    sectors: list[str]
    area_ids: list[str]
    website: str | None
    description: str | None
    new_to_innovation: bool
    status: StakeholderStatus
