import re
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Query
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
)

from api.bounds import DECIMAL, ROWS, Code, Count, Day, Id, Name, Text
from api.enums import Direction, Flag, Frequency, ProgressMethod, Qualifier, Unit
from api.schema_base import Input, IsoDate, Resource, optional

CODE_PATTERN = r"^[a-z0-9][a-z0-9-]{0,99}$"
CODE = "Stable key partners refer to: lower case letters, digits and hyphens."
OUTCOMES = "Ids of the outcomes this metric measures."
OUTCOME_IDS = 100
AREA = "The area the value is for: its id or GSS code."
COLLABORATION = "The collaboration whose own metric this is, if any."
VALUE = 'A decimal string such as "15" or "0.25": at most 18 digits, 6 of them after the point.'
DATE = "The date the value refers to."
FREQUENCY = "How often it is observed: progress flags a scope stale with no observation that recent."
BREAKDOWN = (
    'The part of the whole the value is for, e.g. `{"age": "65+", "sex": "female"}`; '
    "empty (the default) for the total."
)
PROGRESS_METHOD = (
    "How progress is judged: `pace` (the share of the way to the target against the share of "
    "the time gone, today) or `open_sdg` (Open SDG's measure: compound annual growth against "
    "the growth the target needs; without a target, against 1.5% / 0.5% a year)."
)
FLAGS = "What the publisher says about the value: provisional, estimated, revised, or a break in the series."
QUALIFIER = "How the source bounds the value: `lt 15` is under 15, `approx 20` is around 20."


def plain_number(value: Decimal) -> str:
    """Never exponent form, and without the trailing zeros the column's scale adds."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _no_negative_zero(value: Decimal) -> Decimal:
    return value + 0  # -0 + 0 is 0: a value reads back as it was written


def _breakdown(value: dict[str, str]) -> dict[str, str]:
    for name, part in value.items():
        if not BREAKDOWN_NAME.fullmatch(name):
            raise ValueError(f"Breakdown name {name!r}: lower case letters, digits and _, up to 40.")
        if not part.strip() or len(part) > 100:
            raise ValueError(f"Breakdown {name!r}: a value of 1 to 100 characters.")
    return {name: part.strip() for name, part in value.items()}


def split_breakdown(text: str) -> dict[str, str]:
    """`age:65+;sex:female` as `{name: value}`, as a query or a file's cell gives it.

    Names are compared in lower case with `_` for spaces (`Age Band` is `age_band`); values
    as given."""
    parts: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, colon, value = part.partition(":")
        if not colon or not name.strip() or not value.strip():
            raise ValueError(f"{part!r} is not name:value (e.g. age:65+).")
        parts[name.strip().lower().replace(" ", "_")] = value.strip()
    return parts


def _distinct(flags: list[Flag]) -> list[Flag]:
    return sorted(set(flags))


BREAKDOWN_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
BREAKDOWN_PARTS = 8
Breakdown = Annotated[dict[str, Code], Field(max_length=BREAKDOWN_PARTS), AfterValidator(_breakdown)]
# A breakdown as given back.
Parts = Annotated[dict[str, Code], Field(max_length=BREAKDOWN_PARTS)]
FLAGS_MAX = len(Flag)
Flags = Annotated[list[Flag], Field(max_length=FLAGS_MAX), AfterValidator(_distinct)]

_ASCII_DECIMAL = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$")


def _plain_digits(value: Any) -> Any:
    # Python's Decimal reads any Unicode digits (Arabic-Indic ones too); ours are ASCII.
    if isinstance(value, str) and (len(value) > DECIMAL or not _ASCII_DECIMAL.match(value.strip())):
        raise ValueError("Expected a decimal number such as 15 or 0.25.")
    return value


InputDecimal = Annotated[
    Decimal,
    BeforeValidator(_plain_digits),
    AfterValidator(_no_negative_zero),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "maxLength": DECIMAL}]}),
]

# A decimal string in JSON whether the value came from the request or the database.
DecimalString = Annotated[
    Decimal,
    PlainSerializer(plain_number, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "maxLength": DECIMAL}, mode="serialization"),
]


class MetricCreate(Input):
    code: Code = Field(pattern=CODE_PATTERN, description=CODE)
    name: str = Field(min_length=1, max_length=300)
    unit: Unit
    direction: Direction
    source: str | None = Field(default=None, max_length=300, description="Who publishes it.")
    method: str | None = Field(default=None, max_length=10_000)
    frequency: Frequency = Field(default=Frequency.annual, description=FREQUENCY)
    progress_method: ProgressMethod = Field(default=ProgressMethod.pace, description=PROGRESS_METHOD)
    outcome_ids: list[Id] = Field(default_factory=list, max_length=OUTCOME_IDS, description=OUTCOMES)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "full-fibre-coverage",
                    "name": "Full fibre coverage",
                    "unit": "percent",
                    "direction": "higher_is_better",
                    "source": "Ofcom Connected Nations",
                    "method": "Share of premises where a full fibre connection is available.",
                }
            ]
        }
    )


class MetricUpdate(Input):
    code: Code = optional(pattern=CODE_PATTERN, description=CODE)
    name: str = optional(min_length=1, max_length=300)
    unit: Unit = optional()
    direction: Direction = optional()
    source: str | None = optional(max_length=300)
    method: str | None = optional(max_length=10_000)
    frequency: Frequency = optional(description=FREQUENCY)
    progress_method: ProgressMethod = optional(description=PROGRESS_METHOD)
    outcome_ids: list[Id] = optional(max_length=OUTCOME_IDS, description=OUTCOMES)


class Metric(Resource):
    code: Code
    name: Name
    unit: Unit
    direction: Direction
    source: Name | None
    method: Text | None
    frequency: Frequency = Field(description=FREQUENCY)
    progress_method: ProgressMethod = Field(description=PROGRESS_METHOD)
    outcome_ids: list[Id] = Field(max_length=OUTCOME_IDS, description=OUTCOMES)


class ValueCreate(Input):
    area_id: Id = Field(min_length=1, description=AREA)
    collaboration_id: Id | None = Field(default=None, description=COLLABORATION)
    value: InputDecimal = Field(max_digits=18, decimal_places=6, description=VALUE)
    date: IsoDate = Field(description=DATE)
    source: str | None = Field(default=None, max_length=300)
    note: str | None = Field(default=None, max_length=10_000)
    breakdown: Breakdown = Field(default_factory=dict, description=BREAKDOWN)
    flags: Flags = Field(default_factory=list, description=FLAGS)


class ValueUpdate(Input):
    area_id: Id = optional(min_length=1, description=AREA)
    collaboration_id: Id | None = optional(description=COLLABORATION)
    value: InputDecimal = optional(max_digits=18, decimal_places=6, description=VALUE)
    date: IsoDate = optional(description=DATE)
    source: str | None = optional(max_length=300)
    note: str | None = optional(max_length=10_000)
    breakdown: Breakdown = optional(description=BREAKDOWN)
    flags: Flags = optional(description=FLAGS)


class MetricFilters(BaseModel):
    """What a list of metrics can be narrowed to: its query parameters."""

    outcome: Id | None = Field(default=None, description="Metrics of this outcome (id).")
    mission: Id | None = Field(default=None, description="Metrics of any outcome of this mission (id).")
    unit: Unit | None = None
    area: Id | None = Field(
        default=None, description="Metrics with a baseline, target or observation for this area."
    )
    q: str | None = Field(default=None, max_length=200, description="Text in code, name or method.")


class ValueFilters(BaseModel):
    """What a list of one metric's values can be narrowed to: its query parameters."""

    area: Id | None = Field(default=None, description="Only this area (id or GSS code).")
    collaboration: Id | None = Field(default=None, description="Only this collaboration (id).")
    from_: IsoDate | None = Field(default=None, alias="from", description="On or after this date.")
    to: IsoDate | None = Field(default=None, description="On or before this date.")
    breakdown: str | None = Field(
        default=None,
        max_length=500,
        description="Only this breakdown, as `name:value` parts joined by `;` (`age:65+;sex:female`), "
        "or `total` for totals only.",
    )


BreakdownQuery = Annotated[
    str | None,
    Query(
        max_length=500,
        description="Judge this breakdown, as `name:value` parts joined by `;` (`age:65+;sex:female`); "
        "the totals by default. `GET /metrics/{id}/breakdowns` lists the metric's breakdowns.",
    ),
]


class BreakdownCount(BaseModel):
    """One breakdown a metric's values are given for, and how many values there are."""

    breakdown: Parts = Field(description=BREAKDOWN)
    query: Text = Field(description="The breakdown as the `breakdown` query parameter takes it.")
    baselines: Count
    targets: Count
    observations: Count


class Breakdowns(BaseModel):
    metric_id: Id
    items: list[BreakdownCount] = Field(max_length=ROWS)


class Value(Resource):
    metric_id: Id
    area_id: Id
    collaboration_id: Id | None
    value: DecimalString
    date: Day
    source: Name | None
    note: Text | None
    breakdown: Parts = Field(description=BREAKDOWN)
    flags: list[Flag] = Field(max_length=FLAGS_MAX, description=FLAGS)


class BaselineCreate(ValueCreate):
    qualifier: Qualifier = Field(default=Qualifier.eq, description=QUALIFIER)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "area_id": "E08000028",
                    "value": "15",
                    "qualifier": "lt",
                    "date": "2021-01-15",
                    "source": "WMCA Digital Roadmap launch post",
                    "note": "full fibre coverage under 15%",
                }
            ]
        }
    )


class BaselineUpdate(ValueUpdate):
    qualifier: Qualifier = optional(description=QUALIFIER)


class Baseline(Value):
    qualifier: Qualifier


class TargetCreate(ValueCreate):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "area_id": "E08000028",
                    "value": "60",
                    "date": "2026-03-31",
                    "note": "illustrative full fibre coverage target",
                }
            ]
        }
    )


class TargetUpdate(ValueUpdate):
    pass


class Target(Value):
    pass


class ObservationCreate(ValueCreate):
    qualifier: Qualifier = Field(default=Qualifier.eq, description=QUALIFIER)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "area_id": "E47000007",
                    "value": "10",
                    "qualifier": "approx",
                    "date": "2021-01-15",
                    "source": "WMCA Digital Roadmap launch post",
                    "note": "share of the geography with no 4G coverage",
                }
            ]
        }
    )


class ObservationUpdate(ValueUpdate):
    qualifier: Qualifier = optional(description=QUALIFIER)


class Observation(Value):
    qualifier: Qualifier
