from pydantic import BaseModel, Field

from api.bounds import ROWS, YEAR_MAX, Code, Count, Day, Id, Name, Text, Year
from api.enums import AreaKind, Direction, Flag, Qualifier
from api.metrics.schemas import FLAGS, FLAGS_MAX, QUALIFIER, DecimalString, Parts


class AreaValue(BaseModel):
    area_id: Id
    area_code: Code | None
    area_name: Name
    value: DecimalString
    qualifier: Qualifier = Field(description=QUALIFIER)
    date: Day
    value_id: Id = Field(description="The observation or baseline the value comes from.")
    flags: list[Flag] = Field(max_length=FLAGS_MAX, description=FLAGS)
    note: Text | None
    rank: Count = Field(description="1 is best, in the metric's direction; ties ordered by name.")
    gap_to_national: DecimalString | None = Field(description="Value minus the UK value (signed).")
    gap_to_average: DecimalString = Field(description="Value minus the group average (signed).")
    best: bool


class National(BaseModel):
    area_id: Id
    value: DecimalString
    qualifier: Qualifier = Field(description=QUALIFIER)
    date: Day
    value_id: Id = Field(description="The observation or baseline the value comes from.")
    flags: list[Flag] = Field(max_length=FLAGS_MAX, description=FLAGS)
    note: Text | None


class YearCoverage(BaseModel):
    year: Year
    areas: Count = Field(description="How many of the compared areas have a value that year.")
    national: bool = Field(description="Whether the UK has a value that year.")
    sparse: bool = Field(description="Fewer than half the compared areas have a value that year.")


class Comparison(BaseModel):
    metric_id: Id
    direction: Direction
    level: AreaKind
    within: Id | None
    breakdown: Parts = Field(description="The breakdown compared: {} for the totals.")
    period: Year | None = Field(
        description="The year compared: each area's latest value in it. By default the year with "
        "the most areas reporting (then with a UK value, then the latest)."
    )
    group_size: Count = Field(description="How many areas of this level (within `within`) there are.")
    years: list[YearCoverage] = Field(
        max_length=YEAR_MAX, description="Every year with values, and how fully it is reported."
    )
    sparse: bool = Field(description="The year compared is sparse: fewer than half the areas report.")
    national: National | None
    average: DecimalString | None
    best_area_id: Id | None
    items: list[AreaValue] = Field(max_length=ROWS)
