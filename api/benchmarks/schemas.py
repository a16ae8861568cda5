import datetime as dt

from pydantic import BaseModel, Field

from api.enums import AreaKind, Direction, Flag, Qualifier
from api.metrics.schemas import FLAGS, QUALIFIER, DecimalString


class AreaValue(BaseModel):
    area_id: str
    area_code: str | None
    area_name: str
    value: DecimalString
    qualifier: Qualifier = Field(description=QUALIFIER)
    date: dt.date
    value_id: str = Field(description="The observation or baseline the value comes from.")
    flags: list[Flag] = Field(description=FLAGS)
    note: str | None
    rank: int = Field(description="1 is best, in the metric's direction; ties ordered by name.")
    gap_to_national: DecimalString | None = Field(description="Value minus the UK value (signed).")
    gap_to_average: DecimalString = Field(description="Value minus the group average (signed).")
    best: bool


class National(BaseModel):
    area_id: str
    value: DecimalString
    qualifier: Qualifier = Field(description=QUALIFIER)
    date: dt.date
    value_id: str = Field(description="The observation or baseline the value comes from.")
    flags: list[Flag] = Field(description=FLAGS)
    note: str | None


class YearCoverage(BaseModel):
    year: int
    areas: int = Field(description="How many of the compared areas have a value that year.")
    national: bool = Field(description="Whether the UK has a value that year.")
    sparse: bool = Field(description="Fewer than half the compared areas have a value that year.")


class Comparison(BaseModel):
    metric_id: str
    direction: Direction
    level: AreaKind
    within: str | None
    breakdown: dict[str, str] = Field(description="The breakdown compared: {} for the totals.")
    period: int | None = Field(
        description="The year compared: each area's latest value in it. By default the year with "
        "the most areas reporting (then with a UK value, then the latest)."
    )
    group_size: int = Field(description="How many areas of this level (within `within`) there are.")
    years: list[YearCoverage] = Field(description="Every year with values, and how fully it is reported.")
    sparse: bool = Field(description="The year compared is sparse: fewer than half the areas report.")
    national: National | None
    average: DecimalString | None
    best_area_id: str | None
    items: list[AreaValue]
