import datetime as dt

from pydantic import BaseModel, Field

from api.enums import Direction, Flag, Frequency, ProgressMethod
from api.metrics.schemas import FLAGS, PROGRESS_METHOD, DecimalString
from api.progress.compute import Status


class ValueRef(BaseModel):
    id: str
    value: DecimalString
    date: dt.date
    qualifier: str | None = None
    flags: list[Flag] = Field(default_factory=list, description=FLAGS)
    note: str | None = None
    source: str | None = None


class Summary(BaseModel):
    status: Status
    progress: float | None = Field(description="Mean progress of the rated scopes, each clamped to 0..1.")
    counts: dict[Status, int] = Field(description="How many scopes have each status.")
    stale: int = Field(description="How many scopes' latest values are older than their frequency allows.")
    bounded: int = Field(description="How many scopes were judged from a bound (`lt`, `gt`, `approx`).")


class ScopeProgress(BaseModel):
    area_id: str
    area_code: str | None
    area_name: str
    collaboration_id: str | None
    baseline: ValueRef | None = Field(description="None where figures are measured without a baseline.")
    target: ValueRef | None = Field(description="The next target not yet due, else the last one.")
    latest: ValueRef | None = Field(description="The latest observation after the baseline.")
    observation_ids: list[str] = Field(description="The observations after the baseline, oldest first.")
    progress: float | None = Field(description="0 at the baseline, 0.5 half-way, 1 at the target.")
    progress_range: tuple[float, float] | None = Field(
        description="Where progress may lie when the baseline or latest value is a bound or approximate."
    )
    ratio: float | None = Field(
        description="`pace`: progress ÷ the share of the time gone; `open_sdg`: growth ÷ the growth needed."
    )
    status: Status
    stale: bool = Field(description="No observation within the metric's expected frequency.")
    bounded: bool = Field(description="Judged from a bound or an approximate value, as a range.")
    reason: str = Field(description="Why, in words, with the dates used.")


class MetricProgress(BaseModel):
    metric_id: str
    code: str
    name: str
    direction: Direction
    frequency: Frequency
    progress_method: ProgressMethod = Field(description=PROGRESS_METHOD)
    as_of: dt.date
    breakdown: dict[str, str] = Field(description="The breakdown judged: {} for the totals.")
    method: str
    summary: Summary
    items: list[ScopeProgress]


class Part(BaseModel):
    id: str
    code: str
    name: str
    progress_method: ProgressMethod | None = Field(
        default=None, description="A metric's method (outcomes' parts are metrics); none for an outcome."
    )
    summary: Summary


class RolledUpProgress(BaseModel):
    id: str
    code: str
    title: str
    as_of: dt.date
    method: str
    summary: Summary
    parts: list[Part] = Field(description="The metrics (of an outcome) or outcomes (of a mission) rolled up.")
