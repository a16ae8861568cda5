"""Progress from a baseline toward a target: pure functions, no database.

The method, in the spirit of Open SDG's progress measure:

1. `progress` = (latest - baseline) / (target - baseline): 0 at the baseline, 0.5 half-way,
   1 at the target. The target lies in the metric's good direction, so the sign is right for
   "lower is better" metrics too.
2. `achieved` when the latest observation has reached the target in the good direction.
3. Otherwise compare the actual rate of change since the baseline with the rate needed to
   reach the target by its date: `ratio` = actual / needed
   = progress ÷ (share of the baseline-to-target period that has elapsed).
   `on_track` when the ratio is at least 0.95, `at_risk` from 0.5, `off_track` below 0.5
   (including movement the wrong way) or once the target date has passed unmet.
   These are Open SDG's cut-offs for "substantial" and "moderate" progress.
4. `no_data` when there is no observation after the baseline, or no target to measure
   against.

`stale` flags a scope with no observation within the metric's expected frequency.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

ON_TRACK_RATIO = 0.95
AT_RISK_RATIO = 0.5
FREQUENCY_DAYS = {"monthly": 31, "quarterly": 92, "annual": 366, "biennial": 731}


class Status(StrEnum):
    achieved = "achieved"
    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    no_data = "no_data"


# Best first; the roll-up's median is taken along this order.
SEVERITY = [Status.achieved, Status.on_track, Status.at_risk, Status.off_track]


@dataclass(frozen=True)
class Point:
    id: str
    value: Decimal
    date: date


@dataclass(frozen=True)
class Assessment:
    status: Status
    progress: float | None
    ratio: float | None
    latest: Point | None
    used: tuple[str, ...]  # the observations after the baseline, oldest first
    stale: bool
    reason: str


def _reached(higher_is_better: bool, value: Decimal, target: Decimal) -> bool:
    return value >= target if higher_is_better else value <= target


def assess(
    higher_is_better: bool,
    baseline: Point,
    target: Point | None,
    observations: Sequence[Point],
    as_of: date,
    frequency: str = "annual",
) -> Assessment:
    """Where one scope (metric x area x collaboration) stands on `as_of`."""
    after = sorted((o for o in observations if baseline.date < o.date <= as_of), key=lambda o: (o.date, o.id))
    latest = after[-1] if after else None
    used = tuple(o.id for o in after)
    stale = latest is None or (as_of - latest.date).days > FREQUENCY_DAYS.get(frequency, 366)
    if latest is None:
        return Assessment(Status.no_data, None, None, None, used, stale, "No observation since the baseline.")
    if target is None:
        return Assessment(Status.no_data, None, None, latest, used, stale, "No target to measure against.")
    span = target.value - baseline.value
    reached = _reached(higher_is_better, latest.value, target.value)
    progress = float((latest.value - baseline.value) / span) if span else (1.0 if reached else 0.0)
    if reached:
        return Assessment(Status.achieved, progress, None, latest, used, stale, "The target is reached.")
    period = (target.date - baseline.date).days
    if period <= 0 or latest.date >= target.date or as_of > target.date:
        return Assessment(
            Status.off_track, progress, None, latest, used, stale, "The target date has passed."
        )
    elapsed = (latest.date - baseline.date).days / period
    ratio = progress / elapsed
    if ratio >= ON_TRACK_RATIO:
        status, reason = Status.on_track, "Moving at the rate the target needs."
    elif ratio >= AT_RISK_RATIO:
        status, reason = Status.at_risk, "Moving toward the target, too slowly to reach it in time."
    else:
        status, reason = Status.off_track, "Little or no movement toward the target, or movement away."
    return Assessment(status, progress, ratio, latest, used, stale, reason)


@dataclass(frozen=True)
class RollUp:
    status: Status
    progress: float | None
    counts: dict[Status, int]


ROLL_UP_METHOD = (
    "Each scope (metric x area x collaboration) is assessed on its own; the roll-up's status is "
    "the median status of the scopes with data (ordered achieved, on_track, at_risk, off_track; "
    "the worse of two middles), and its progress the mean of their progress, each clamped to 0..1. "
    "no_data when no scope has data."
)


def roll_up(assessments: Sequence[Assessment]) -> RollUp:
    counts = {status: 0 for status in Status}
    for a in assessments:
        counts[a.status] += 1
    rated = sorted(
        (a for a in assessments if a.status != Status.no_data), key=lambda a: SEVERITY.index(a.status)
    )
    if not rated:
        return RollUp(Status.no_data, None, counts)
    middle = rated[len(rated) // 2]  # for an even count, the worse of the two middles
    measured = [min(max(a.progress, 0.0), 1.0) for a in rated if a.progress is not None]
    progress = sum(measured) / len(measured) if measured else None
    return RollUp(middle.status, progress, counts)
