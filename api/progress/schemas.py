from typing import Annotated

from pydantic import BaseModel, Field

from api.bounds import ROWS, Code, Count, Day, Id, Name, Text, keywords
from api.enums import Direction, Flag, Frequency, ProgressMethod
from api.metrics.schemas import FLAGS, FLAGS_MAX, PROGRESS_METHOD, DecimalString, Parts
from api.progress.compute import Status


class ValueRef(BaseModel):
    id: Id
    value: DecimalString
    date: Day
    qualifier: Code | None = None
    flags: list[Flag] = Field(default_factory=list, max_length=FLAGS_MAX, description=FLAGS)
    note: Text | None = None
    source: Name | None = None


class Summary(BaseModel):
    status: Status
    progress: float | None = Field(description="Mean progress of the rated scopes, each clamped to 0..1.")
    counts: dict[Status, Count] = Field(description="How many scopes have each status.")
    stale: Count = Field(description="How many scopes' latest values are older than their frequency allows.")
    bounded: Count = Field(description="How many scopes were judged from a bound (`lt`, `gt`, `approx`).")


class ScopeProgress(BaseModel):
    area_id: Id
    area_code: Code | None
    area_name: Name
    collaboration_id: Id | None
    baseline: ValueRef | None = Field(description="None where figures are measured without a baseline.")
    target: ValueRef | None = Field(description="The next target not yet due, else the last one.")
    latest: ValueRef | None = Field(description="The latest observation after the baseline.")
    observation_ids: list[Id] = Field(
        max_length=ROWS, description="The observations after the baseline, oldest first."
    )
    progress: float | None = Field(description="0 at the baseline, 0.5 half-way, 1 at the target.")
    # `items` beside `prefixItems` too: OpenAPI tools (Spectral's array-items) look for it.
    progress_range: Annotated[tuple[float, float], keywords(items={"type": "number"})] | None = Field(
        description="Where progress may lie when the baseline or latest value is a bound or approximate."
    )
    ratio: float | None = Field(
        description="`pace`: progress ÷ the share of the time gone; `open_sdg`: growth ÷ the growth needed."
    )
    status: Status
    stale: bool = Field(description="No observation within the metric's expected frequency.")
    bounded: bool = Field(description="Judged from a bound or an approximate value, as a range.")
    reason: Text = Field(description="Why, in words, with the dates used.")


class MetricProgress(BaseModel):
    metric_id: Id
    code: Code
    name: Name
    direction: Direction
    frequency: Frequency
    progress_method: ProgressMethod = Field(description=PROGRESS_METHOD)
    as_of: Day
    breakdown: Parts = Field(description="The breakdown judged: {} for the totals.")
    method: Text
    summary: Summary
    items: list[ScopeProgress] = Field(max_length=ROWS)


class Part(BaseModel):
    id: Id
    code: Code
    name: Name
    progress_method: ProgressMethod | None = Field(
        default=None, description="A metric's method (outcomes' parts are metrics); none for an outcome."
    )
    summary: Summary


class RolledUpProgress(BaseModel):
    id: Id
    code: Code
    title: Name
    as_of: Day
    method: Text
    summary: Summary
    parts: list[Part] = Field(
        max_length=ROWS, description="The metrics (of an outcome) or outcomes (of a mission) rolled up."
    )
