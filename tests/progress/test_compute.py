"""The progress method on hand-worked cases, and its invariants."""

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from api.progress.compute import SEVERITY, Assessment, Point, Status, assess, roll_up

BASE = Point("b", Decimal(10), date(2020, 1, 1))
TARGET = Point("t", Decimal(30), date(2030, 1, 1))  # +20 over ten years: +2 a year needed


def seen(value: str, on: date, id_: str = "o") -> Point:
    return Point(id_, Decimal(value), on)


def test_half_way_at_half_time_is_exactly_on_track() -> None:
    result = assess(True, BASE, TARGET, [seen("20", date(2025, 1, 1))], date(2025, 6, 1))
    assert result.progress == 0.5
    assert result.ratio is not None and abs(result.ratio - 0.5 / (1827 / 3653)) < 1e-12  # days, leap years
    assert result.status == Status.on_track
    assert result.used == ("o",) and result.latest and result.latest.value == 20


def test_under_the_needed_rate_is_at_risk_and_under_half_of_it_off_track() -> None:
    result = assess(True, BASE, TARGET, [seen("16", date(2025, 1, 1))], date(2025, 1, 1))
    assert result.progress == 0.3
    assert result.status == Status.at_risk  # ratio 0.3 / 0.5 ≈ 0.6
    slower = assess(True, BASE, TARGET, [seen("14", date(2025, 1, 1))], date(2025, 1, 1))
    assert slower.status == Status.off_track  # ratio 0.2 / 0.5 ≈ 0.4


def test_going_backwards_is_off_track_and_reaching_the_target_is_achieved() -> None:
    assert (
        assess(True, BASE, TARGET, [seen("9", date(2022, 1, 1))], date(2022, 1, 1)).status == Status.off_track
    )
    done = assess(True, BASE, TARGET, [seen("31", date(2022, 1, 1))], date(2022, 1, 1))
    assert (done.status, done.progress) == (Status.achieved, 1.05)


def test_lower_is_better_runs_the_other_way() -> None:
    # Non-internet users: 12% down to 4% by 2030; 8% in 2025 is half-way at half-time.
    baseline, target = Point("b", Decimal(12), date(2020, 1, 1)), Point("t", Decimal(4), date(2030, 1, 1))
    result = assess(False, baseline, target, [seen("8", date(2025, 1, 1))], date(2025, 1, 1))
    assert (result.progress, result.status) == (0.5, Status.on_track)
    assert (
        assess(False, baseline, target, [seen("3.9", date(2025, 1, 1))], date(2025, 1, 1)).status
        == "achieved"
    )


def test_only_the_latest_observation_after_the_baseline_counts() -> None:
    observations = [
        seen("12", date(2021, 1, 1), "a"),
        seen("5", date(2019, 1, 1), "old"),
        seen("26", date(2028, 1, 1), "c"),
    ]
    result = assess(True, BASE, TARGET, observations, date(2028, 2, 1))
    assert result.used == ("a", "c") and result.latest and result.latest.id == "c"
    assert result.progress == 0.8


def test_missing_data_says_why_and_old_data_is_stale() -> None:
    assert assess(True, BASE, TARGET, [], date(2024, 1, 1)).status == Status.no_data
    no_target = assess(True, BASE, None, [seen("20", date(2023, 1, 1))], date(2023, 2, 1))
    assert no_target.status == Status.no_data and "target" in no_target.reason
    old = assess(True, BASE, TARGET, [seen("20", date(2022, 1, 1))], date(2024, 1, 1), "annual")
    assert (
        old.stale and not assess(True, BASE, TARGET, [seen("20", date(2023, 6, 1))], date(2024, 1, 1)).stale
    )
    assert assess(True, BASE, TARGET, [seen("20", date(2023, 6, 1))], date(2024, 1, 1), "quarterly").stale


def test_a_target_date_passed_unmet_is_off_track() -> None:
    result = assess(True, BASE, TARGET, [seen("29", date(2029, 12, 1))], date(2031, 1, 1))
    assert result.status == Status.off_track


def _assessment(status: Status, progress: float | None) -> Assessment:
    return Assessment(status, progress, None, None, (), False, "")


def test_roll_up_takes_the_median_status_and_the_mean_progress() -> None:
    rolled = roll_up(
        [
            _assessment(Status.achieved, 1.2),
            _assessment(Status.on_track, 0.5),
            _assessment(Status.off_track, -0.3),
            _assessment(Status.no_data, None),
        ]
    )
    assert rolled.status == Status.on_track
    assert rolled.progress == (1.0 + 0.5 + 0.0) / 3
    assert rolled.counts[Status.no_data] == 1
    even = roll_up([_assessment(Status.achieved, 1), _assessment(Status.at_risk, 0.2)])
    assert even.status == Status.at_risk  # the worse of the two middles
    assert roll_up([_assessment(Status.no_data, None)]).status == Status.no_data


values = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@given(values, values, values, values, st.booleans(), st.integers(min_value=1, max_value=3000))
def test_status_never_gets_worse_as_the_latest_value_gets_better(
    base: Decimal, target: Decimal, low: Decimal, high: Decimal, higher_is_better: bool, day: int
) -> None:
    worse, better = (low, high) if (low <= high) == higher_is_better else (high, low)
    start, end = date(2020, 1, 1), date(2030, 1, 1)
    on = date.fromordinal(start.toordinal() + day)
    b, t = Point("b", base, start), Point("t", target, end)
    first = assess(higher_is_better, b, t, [Point("o", worse, on)], on)
    second = assess(higher_is_better, b, t, [Point("o", better, on)], on)
    assert SEVERITY.index(second.status) <= SEVERITY.index(first.status)
