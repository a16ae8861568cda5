import datetime as dt

from pydantic import BaseModel, Field

from api.enums import Direction, Flag, Frequency
from api.metrics.schemas import FLAGS, DecimalString
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
    progress: float | None = Field(description="Mean progress of the scopes with data, each clamped to 0..1.")
    counts: dict[Status, int] = Field(description="How many scopes have each status.")


class ScopeProgress(BaseModel):
    area_id: str
    area_code: str | None
    area_name: str
    collaboration_id: str | None
    baseline: ValueRef
    target: ValueRef | None = Field(description="The next target not yet due, else the last one.")
    latest: ValueRef | None = Field(description="The latest observation after the baseline.")
    observation_ids: list[str] = Field(description="The observations after the baseline, oldest first.")
    progress: float | None = Field(description="0 at the baseline, 0.5 half-way, 1 at the target.")
    ratio: float | None = Field(
        description="Actual rate of change ÷ the rate needed to reach the target in time."
    )
    status: Status
    stale: bool = Field(description="No observation within the metric's expected frequency.")
    reason: str


class MetricProgress(BaseModel):
    metric_id: str
    code: str
    name: str
    direction: Direction
    frequency: Frequency
    as_of: dt.date
    breakdown: dict[str, str] = Field(description="The breakdown judged: {} for the totals.")
    method: str
    summary: Summary
    items: list[ScopeProgress]


class Part(BaseModel):
    id: str
    code: str
    name: str
    summary: Summary


class RolledUpProgress(BaseModel):
    id: str
    code: str
    title: str
    as_of: dt.date
    method: str
    summary: Summary
    parts: list[Part] = Field(description="The metrics (of an outcome) or outcomes (of a mission) rolled up.")
