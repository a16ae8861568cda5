"""Progress from a baseline toward a target: pure functions, no database.

Two methods, chosen per metric (`progress_method`):

`pace` (the default): how far, how fast, judged on the day asked about (`as_of`).
1. `progress` = (latest - baseline) / (target - baseline): 0 at the baseline, 0.5 half-way,
   1 at the target, in the metric's good direction.
2. `achieved` once the latest value has reached the target.
3. Otherwise `ratio` = progress ÷ the share of the baseline-to-target period gone by on
   `as_of` (not on the latest value's date, so a scope that is not measured again drifts
   down as the pace it needed is missed). `on_track` from 0.95, `at_risk` from 0.5,
   `off_track` below 0.5, on movement the wrong way, or once the target date has passed.
4. `no_target` without a target (or with one on the wrong side of the baseline for the
   metric's direction); `no_observation` without a value since the baseline;
   `no_baseline` for figures measured where no baseline is recorded.

`open_sdg`: Open SDG's progress measure (Statistics Canada's method), so figures match
national SDG platforms. The compound annual growth rate from the baseline to the latest
value, CAGR = (latest / baseline) ^ (1 / years) - 1, against the rate the target needs,
(target / baseline) ^ (1 / years to the target) - 1: their ratio R gives `on_track` from
0.95 ("on track"), `at_risk` from 0.60 ("progress made but acceleration needed"),
`off_track` from 0 ("limited progress") and below it ("deterioration"). Without a target,
the growth itself in the good direction against 1.5% / 0.5% / 0 a year. A reached target
is `achieved`. It needs positive values; the thresholds are not scaled near natural limits.

Either way: a value given as a bound (`lt`, `gt`) or as approximate (`approx`, taken as
±10%) is a range. Its open end is the unit's natural limit (0, or 100 for a percentage);
the status is judged at both ends of every range and stands only where they agree,
otherwise it is `uncertain`, with the range of progress. `stale` marks a scope whose latest
value is older than the metric's frequency allows.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import product

from api.enums import ProgressMethod as Method
from api.metrics.schemas import plain_number

ON_TRACK_RATIO = 0.95
AT_RISK_RATIO = 0.5
OPEN_SDG_RATIOS = (0.95, 0.60, 0.0)  # on track, acceleration needed, limited progress
OPEN_SDG_GROWTH = (0.015, 0.005, 0.0)  # the same, without a target: growth a year
APPROX = Decimal("0.1")
FAR = Decimal(10) ** 9  # an unbounded end (`gt` a count): far enough to decide a status
FREQUENCY_DAYS = {"monthly": 31, "quarterly": 92, "annual": 366, "biennial": 731}
YEAR_DAYS = 365.25
NOTHING_SINCE = "No value since the baseline."


class Status(StrEnum):
    achieved = "achieved"
    on_track = "on_track"
    at_risk = "at_risk"
    off_track = "off_track"
    uncertain = "uncertain"
    no_observation = "no_observation"
    no_target = "no_target"
    no_baseline = "no_baseline"  # measured, but nothing to measure progress from
    stale = "stale"  # a roll-up's, when every rated scope in it is stale


# Best first; the roll-up's median is taken along this order.
SEVERITY = [Status.achieved, Status.on_track, Status.at_risk, Status.off_track]
SCOPE_STATUSES = [s for s in Status if s != Status.stale]


@dataclass(frozen=True)
class Point:
    id: str
    value: Decimal
    date: date
    qualifier: str = "eq"


@dataclass(frozen=True)
class Limits:
    """The values a metric can take: 0 up, and 100 at most for a percentage."""

    low: Decimal = Decimal(0)
    high: Decimal | None = None


@dataclass(frozen=True)
class Assessment:
    status: Status
    progress: float | None
    ratio: float | None
    latest: Point | None
    used: tuple[str, ...]  # the observations after the baseline, oldest first
    stale: bool
    reason: str
    progress_range: tuple[float, float] | None = None  # when a bound leaves progress open
    bounded: bool = False  # a qualified baseline or latest value was judged as a range


@dataclass(frozen=True)
class _Judged:
    status: Status
    progress: float | None
    ratio: float | None
    reason: str


def wrong_side(higher_is_better: bool, baseline: Decimal, target: Decimal) -> bool:
    """A target that would be worse than its baseline: nothing to make progress toward."""
    return target < baseline if higher_is_better else target > baseline


def _reached(higher_is_better: bool, value: Decimal, target: Decimal) -> bool:
    return value >= target if higher_is_better else value <= target


def _ends(point: Point, limits: Limits) -> list[Decimal]:
    """The values a qualified figure can stand for: its ends, the stated value first."""
    v = point.value
    if point.qualifier == "lt":
        return [v, min(limits.low, v)]
    if point.qualifier == "gt":
        return [v, max(limits.high if limits.high is not None else FAR, v)]
    if point.qualifier == "approx":
        low, high = v - abs(v) * APPROX, v + abs(v) * APPROX
        return [v, max(low, limits.low), min(high, limits.high) if limits.high is not None else high]
    return [v]


def _band(ratio: float, cuts: Sequence[float]) -> tuple[Status, str]:
    if ratio >= cuts[0]:
        return Status.on_track, "on track"
    if ratio >= cuts[1]:
        return Status.at_risk, "progress made, but it needs to speed up"
    if ratio >= cuts[2]:
        return Status.off_track, "limited progress"
    return Status.off_track, "moving the wrong way"


def _pace(higher: bool, b: Decimal, v: Decimal, t: Point, base: Point, as_of: date) -> _Judged:
    span = t.value - b
    reached = _reached(higher, v, t.value)
    progress = float((v - b) / span) if span else (1.0 if reached else 0.0)
    if reached:
        return _Judged(Status.achieved, progress, None, "The target is reached.")
    period = (t.date - base.date).days
    if period <= 0 or as_of > t.date:
        return _Judged(Status.off_track, progress, None, f"The target date ({t.date}) has passed unmet.")
    gone = (as_of - base.date).days / period
    ratio = progress / gone if gone > 0 else (1.0 if progress > 0 else 0.0)
    if ratio >= ON_TRACK_RATIO:
        status, how = Status.on_track, "Moving at the pace the target needs"
    elif ratio >= AT_RISK_RATIO:
        status, how = Status.at_risk, "Moving toward the target, too slowly to reach it in time"
    else:
        status, how = Status.off_track, "Little or no movement toward the target, or movement away"
    share = f"{progress:.0%} of the way from baseline ({base.date}) to target ({t.date})"
    return _Judged(status, progress, ratio, f"{how}: {share}, with {gone:.0%} of the time gone on {as_of}.")


def _growth(first: Decimal, last: Decimal, days: int) -> float:
    """The compound annual growth rate from `first` to `last`, `days` apart."""
    return float(last / first) ** (YEAR_DAYS / days) - 1 if days > 0 else 0.0


def _open_sdg(higher: bool, b: Decimal, v: Decimal, t: Point | None, base: Point, latest: Point) -> _Judged:
    progress = float((v - b) / (t.value - b)) if t is not None and t.value != b else None
    if t is not None and _reached(higher, v, t.value):
        return _Judged(Status.achieved, progress, None, "Target achieved.")
    if b <= 0 or v <= 0 or (t is not None and t.value <= 0):
        return _Judged(Status.uncertain, progress, None, "Growth rates need values above zero.")
    observed = _growth(b, v, (latest.date - base.date).days)
    if t is None:
        growth = observed if higher else -observed
        status, words = _band(growth, OPEN_SDG_GROWTH)
        return _Judged(
            status, progress, None, f"No target: {growth:.2%} a year in the good direction, {words}."
        )
    needed = _growth(b, t.value, (t.date - base.date).days)
    if needed == 0:
        return _Judged(Status.off_track, progress, None, "The target needs no growth, yet is not reached.")
    ratio = observed / needed
    status, words = _band(ratio, OPEN_SDG_RATIOS)
    reason = f"Growth {observed:.2%} a year against {needed:.2%} needed (ratio {ratio:.2f}): {words}."
    return _Judged(status, progress, ratio, reason)


def assess(
    higher_is_better: bool,
    baseline: Point,
    target: Point | None,
    observations: Sequence[Point],
    as_of: date,
    frequency: str = "annual",
    method: Method = Method.pace,
    limits: Limits = Limits(),  # frozen: one shared default is safe
) -> Assessment:
    """Where one scope (metric x area x collaboration) stands on `as_of`."""
    after = sorted((o for o in observations if baseline.date < o.date <= as_of), key=lambda o: (o.date, o.id))
    latest = after[-1] if after else None
    used = tuple(o.id for o in after)
    stale = latest is not None and (as_of - latest.date).days > FREQUENCY_DAYS.get(frequency, 366)
    if latest is None:
        return Assessment(
            Status.no_observation, None, None, None, used, False, "No value since the baseline."
        )
    if target is not None and wrong_side(higher_is_better, baseline.value, target.value):
        b, t = plain_number(baseline.value), plain_number(target.value)
        reason = f"The target ({t}) is on the wrong side of the baseline ({b}) for the metric's direction."
        return Assessment(Status.no_target, None, None, latest, used, stale, reason)
    if target is None and method == Method.pace:
        return Assessment(Status.no_target, None, None, latest, used, stale, "No target to measure against.")

    def judge(b: Decimal, v: Decimal) -> _Judged:
        if method == Method.open_sdg:
            return _open_sdg(higher_is_better, b, v, target, baseline, latest)
        assert target is not None
        return _pace(higher_is_better, b, v, target, baseline, as_of)

    stated = judge(baseline.value, latest.value)
    bounded = baseline.qualifier != "eq" or latest.qualifier != "eq"
    if not bounded:
        return Assessment(stated.status, stated.progress, stated.ratio, latest, used, stale, stated.reason)
    corners = [judge(b, v) for b, v in product(_ends(baseline, limits), _ends(latest, limits))]
    known = [c.progress for c in corners if c.progress is not None]
    spread = (min(known), max(known)) if known else None
    found = Assessment(
        stated.status, stated.progress, stated.ratio, latest, used, stale, stated.reason, spread, True
    )
    statuses = sorted({c.status for c in corners}, key=list(Status).index)
    if len(statuses) == 1:
        return found
    could = " or ".join(s.replace("_", " ") for s in statuses)
    span = f" progress lies between {spread[0]:.0%} and {spread[1]:.0%}," if spread else ""
    reason = f"A value is given as a bound or about a figure:{span} so it could be {could}."
    return replace(found, status=Status.uncertain, ratio=None, reason=reason)


def unbased(observations: Sequence[Point], as_of: date, frequency: str = "annual") -> Assessment:
    """A scope with figures but no baseline: shown, never judged."""
    seen = sorted((o for o in observations if o.date <= as_of), key=lambda o: (o.date, o.id))
    latest = seen[-1] if seen else None
    stale = latest is not None and (as_of - latest.date).days > FREQUENCY_DAYS.get(frequency, 366)
    reason = "Measured, but no baseline is recorded here to measure progress from."
    return Assessment(Status.no_baseline, None, None, latest, tuple(o.id for o in seen), stale, reason)


@dataclass(frozen=True)
class RollUp:
    status: Status
    progress: float | None
    counts: dict[Status, int]
    stale: int
    bounded: int


ROLL_UP_METHOD = (
    "Each scope (metric x area x collaboration) is assessed on its own; the roll-up's status is "
    "the median status of the rated scopes (ordered achieved, on_track, at_risk, off_track; the "
    "worse of two middles), and its progress the mean of their progress, each clamped to 0..1. "
    "When every rated scope is stale the roll-up is `stale`, never on track on old data alone. "
    "Without a rated scope it is `uncertain`, `no_observation`, `no_target` or `no_baseline`, "
    "whichever its scopes are (in that order). The counts give each status, and how many are stale "
    "or were judged from a bound."
)


def roll_up(assessments: Sequence[Assessment]) -> RollUp:
    counts: dict[Status, int] = {status: 0 for status in SCOPE_STATUSES}
    for a in assessments:
        counts[a.status] += 1
    stale, bounded = sum(a.stale for a in assessments), sum(a.bounded for a in assessments)
    rated = sorted((a for a in assessments if a.status in SEVERITY), key=lambda a: SEVERITY.index(a.status))
    if not rated:
        empty = (Status.uncertain, Status.no_observation, Status.no_target, Status.no_baseline)
        status = next((s for s in empty if counts[s]), Status.no_observation)
        return RollUp(status, None, counts, stale, bounded)
    middle = rated[len(rated) // 2]  # for an even count, the worse of the two middles
    measured = [min(max(a.progress, 0.0), 1.0) for a in rated if a.progress is not None]
    progress = sum(measured) / len(measured) if measured else None
    status = Status.stale if all(a.stale for a in rated) else middle.status
    return RollUp(status, progress, counts, stale, bounded)
