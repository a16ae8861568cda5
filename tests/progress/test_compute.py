"""The progress methods on hand-worked cases, and their invariants."""

from datetime import date
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from api.enums import ProgressMethod
from api.progress.compute import (
    SEVERITY,
    Assessment,
    Limits,
    Point,
    Status,
    assess,
    roll_up,
    unbased,
    wrong_side,
)

BASE = Point("b", Decimal(10), date(2020, 1, 1))
TARGET = Point("t", Decimal(30), date(2030, 1, 1))  # +20 over ten years (3,653 days): +2 a year
PERCENT = Limits(Decimal(0), Decimal(100))
SDG = ProgressMethod.open_sdg


def seen(value: str, on: date, id_: str = "o", qualifier: str = "eq") -> Point:
    return Point(id_, Decimal(value), on, qualifier)


# --- pace: judged on the day asked about --------------------------------------------------------


def test_half_way_at_half_time_is_on_track() -> None:
    on = date(2025, 1, 1)  # 1,827 of 3,653 days gone
    result = assess(True, BASE, TARGET, [seen("20", on)], on)
    assert result.progress == 0.5
    assert result.ratio is not None and abs(result.ratio - 0.5 / (1827 / 3653)) < 1e-12
    assert result.status == Status.on_track
    assert result.used == ("o",) and result.latest and result.latest.value == 20
    assert "2020-01-01" in result.reason and "2030-01-01" in result.reason and "2025-01-01" in result.reason


def test_a_status_ages_when_no_new_value_comes() -> None:
    """The issue's case: 10 (2020) to 20 (2030), 14 seen on 2023-12-01. On that day the pace
    is right (0.4 of the way, 0.39 of the time); three years on, with nothing new, it is not."""
    baseline, target = Point("b", Decimal(10), date(2020, 1, 1)), Point("t", Decimal(20), date(2030, 1, 1))
    latest = [seen("14", date(2023, 12, 1))]
    then = assess(True, baseline, target, latest, date(2023, 12, 1))
    assert then.status == Status.on_track and not then.stale
    now = assess(True, baseline, target, latest, date(2026, 12, 1))
    gone = (date(2026, 12, 1) - date(2020, 1, 1)).days / 3653  # 2,526 days: 0.6915
    assert now.ratio is not None and abs(now.ratio - 0.4 / gone) < 1e-12  # 0.578
    assert (now.status, now.stale) == (Status.at_risk, True)
    assert "2026-12-01" in now.reason


def test_under_the_needed_pace_is_at_risk_and_under_half_of_it_off_track() -> None:
    on = date(2025, 1, 1)
    assert assess(True, BASE, TARGET, [seen("16", on)], on).status == Status.at_risk  # 0.3 / 0.5
    assert assess(True, BASE, TARGET, [seen("14", on)], on).status == Status.off_track  # 0.2 / 0.5


def test_going_backwards_is_off_track_and_reaching_the_target_is_achieved() -> None:
    on = date(2022, 1, 1)
    assert assess(True, BASE, TARGET, [seen("9", on)], on).status == Status.off_track
    done = assess(True, BASE, TARGET, [seen("31", on)], on)
    assert (done.status, done.progress) == (Status.achieved, 1.05)


def test_lower_is_better_runs_the_other_way() -> None:
    # Non-internet users: 12% down to 4% by 2030; 8% at the start of 2025 is half-way.
    baseline, target = Point("b", Decimal(12), date(2020, 1, 1)), Point("t", Decimal(4), date(2030, 1, 1))
    on = date(2025, 1, 1)
    result = assess(False, baseline, target, [seen("8", on)], on)
    assert (result.progress, result.status) == (0.5, Status.on_track)
    assert assess(False, baseline, target, [seen("3.9", on)], on).status == Status.achieved


def test_only_values_after_the_baseline_count_and_the_latest_decides() -> None:
    observations = [seen("12", date(2021, 1, 1), "a"), seen("5", date(2019, 1, 1), "old")]
    observations.append(seen("26", date(2028, 1, 1), "c"))
    result = assess(True, BASE, TARGET, observations, date(2028, 2, 1))
    assert result.used == ("a", "c") and result.latest and result.latest.id == "c"
    assert result.progress == 0.8


def test_missing_data_has_its_own_states_and_old_data_is_stale() -> None:
    nothing = assess(True, BASE, TARGET, [], date(2024, 1, 1))
    assert (nothing.status, nothing.stale) == (Status.no_observation, False)
    no_target = assess(True, BASE, None, [seen("20", date(2023, 1, 1))], date(2023, 2, 1))
    assert no_target.status == Status.no_target and "target" in no_target.reason
    assert assess(True, BASE, TARGET, [seen("20", date(2022, 1, 1))], date(2024, 1, 1)).stale
    assert not assess(True, BASE, TARGET, [seen("20", date(2023, 6, 1))], date(2024, 1, 1)).stale
    quarterly = assess(True, BASE, TARGET, [seen("20", date(2023, 6, 1))], date(2024, 1, 1), "quarterly")
    assert quarterly.stale


def test_a_target_date_passed_unmet_is_off_track() -> None:
    result = assess(True, BASE, TARGET, [seen("29", date(2029, 12, 1))], date(2031, 1, 1))
    assert result.status == Status.off_track and "2030-01-01" in result.reason


def test_a_target_on_the_wrong_side_is_no_target_and_says_so() -> None:
    """The issue's case: higher is better, baseline 10, target 5, latest 8 was `achieved`."""
    assert wrong_side(True, Decimal(10), Decimal(5)) and not wrong_side(False, Decimal(10), Decimal(5))
    assert not wrong_side(True, Decimal(10), Decimal(10))
    below = Point("t", Decimal(5), date(2030, 1, 1))
    result = assess(True, BASE, below, [seen("8", date(2024, 1, 1))], date(2024, 1, 1))
    assert result.status == Status.no_target and "wrong side" in result.reason


# --- bounds stay bounds ------------------------------------------------------------------------


def test_an_upper_bound_never_achieves_a_higher_is_better_target() -> None:
    """`lt 25` against a target of 20 (higher is better): the value may be anywhere in 0..25."""
    target = Point("t", Decimal(20), date(2030, 1, 1))
    on = date(2024, 1, 1)
    result = assess(True, BASE, target, [seen("25", on, qualifier="lt")], on, limits=PERCENT)
    assert result.status == Status.uncertain and result.bounded
    # At 0, progress is (0 - 10) / (20 - 10) = -1; at 25 it is 1.5.
    assert result.progress_range == (-1.0, 1.5)
    assert "-100%" in result.reason and "150%" in result.reason and "achieved" in result.reason


def test_a_bound_that_decides_the_status_at_both_ends_keeps_it() -> None:
    """`lt 5` against a baseline of 10, higher is better: anywhere in 0..5 is moving away."""
    on = date(2024, 1, 1)
    result = assess(True, BASE, TARGET, [seen("5", on, qualifier="lt")], on, limits=PERCENT)
    assert (result.status, result.bounded) == (Status.off_track, True)
    assert result.progress_range == (-0.5, -0.25)  # (0 - 10) / 20 and (5 - 10) / 20
    # Lower is better, under 15 against a target of 20: reached wherever in 0..15 it is.
    target = Point("t", Decimal(20), date(2030, 1, 1))
    low = assess(
        False, Point("b", Decimal(40), date(2020, 1, 1)), target, [seen("15", on, qualifier="lt")], on
    )
    assert low.status == Status.achieved


def test_a_lower_bound_baseline_widens_progress_to_its_limit() -> None:
    """Full fibre: baseline `lt 15` (2021), target 60 (2030), 40 seen at the start of 2024.

    At a baseline of 15, progress is 25 / 45 = 0.556 with 1,095 of 3,272 days gone (0.335):
    on track. At a baseline of 0 it is 40 / 60 = 0.667: on track too. Both ends agree."""
    baseline = Point("b", Decimal(15), date(2021, 1, 1), "lt")
    target = Point("t", Decimal(60), date(2030, 1, 1))
    on = date(2024, 1, 1)
    result = assess(True, baseline, target, [seen("40", on)], on, limits=PERCENT)
    assert (result.status, result.bounded) == (Status.on_track, True)
    assert result.progress_range == (25 / 45, 40 / 60)
    # 22 seen instead: 7 / 45 = 0.156 (ratio 0.46, off track) at 15; 22 / 60 = 0.367 (1.10) at 0.
    unsure = assess(True, baseline, target, [seen("22", on)], on, limits=PERCENT)
    assert unsure.status == Status.uncertain and "on track or off track" in unsure.reason


def test_about_a_figure_is_ten_percent_either_way() -> None:
    on = date(2025, 1, 1)
    # c. 20 is 18..22: progress 0.4..0.6 with 0.5 of the time gone: ratios 0.8..1.2.
    result = assess(True, BASE, TARGET, [seen("20", on, qualifier="approx")], on)
    assert result.status == Status.uncertain and result.progress_range is not None
    assert [round(p, 9) for p in result.progress_range] == [0.4, 0.6]


# --- open_sdg: Open SDG's progress measure ------------------------------------------------------


def test_open_sdg_compares_compound_growth_with_the_growth_needed() -> None:
    """10 to 30 over 3,653 days needs 3 ^ (365.25 / 3653) - 1 = 11.61% a year. 10 to 15 over
    1,827 days is 1.5 ^ (365.25 / 1827) - 1 = 8.44% a year: R = 0.727, progress made but
    not fast enough. 10 to 14 is 6.96% a year: R = 0.599, just under 0.60: limited."""
    on = date(2025, 1, 1)
    needed = 3 ** (365.25 / 3653) - 1
    result = assess(True, BASE, TARGET, [seen("15", on)], on, method=SDG)
    assert result.ratio is not None and abs(result.ratio - (1.5 ** (365.25 / 1827) - 1) / needed) < 1e-12
    assert result.status == Status.at_risk and "speed up" in result.reason
    just_under = assess(True, BASE, TARGET, [seen("14", on)], on, method=SDG)
    assert just_under.status == Status.off_track and "limited progress" in just_under.reason
    assert assess(True, BASE, TARGET, [seen("18", on)], on, method=SDG).status == Status.on_track  # R 1.07
    worse = assess(True, BASE, TARGET, [seen("9", on)], on, method=SDG)
    assert worse.status == Status.off_track and "wrong way" in worse.reason
    assert assess(True, BASE, TARGET, [seen("30", on)], on, method=SDG).status == Status.achieved


def test_open_sdg_without_a_target_judges_the_growth_itself() -> None:
    on = date(2025, 1, 1)  # 1,827 days: five years
    years = 1827 / 365.25
    # 10 to 11: 1.93% a year, from 1.5%: on track. 10 to 10.4: 0.79%, from 0.5%: needs to speed up.
    assert abs((1.1 ** (1 / years) - 1) - 0.0192) < 1e-3
    assert assess(True, BASE, None, [seen("11", on)], on, method=SDG).status == Status.on_track
    assert assess(True, BASE, None, [seen("10.4", on)], on, method=SDG).status == Status.at_risk
    assert assess(True, BASE, None, [seen("10.1", on)], on, method=SDG).status == Status.off_track
    # Lower is better: falling 10 to 9 is 2.1% a year the good way.
    assert assess(False, BASE, None, [seen("9", on)], on, method=SDG).status == Status.on_track
    zero = assess(True, Point("b", Decimal(0), date(2020, 1, 1)), None, [seen("3", on)], on, method=SDG)
    assert zero.status == Status.uncertain and "above zero" in zero.reason


# --- roll-ups ------------------------------------------------------------------------------------


def _assessment(
    status: Status, progress: float | None, stale: bool = False, bounded: bool = False
) -> Assessment:
    return Assessment(status, progress, None, None, (), stale, "", None, bounded)


def test_roll_up_takes_the_median_status_and_the_mean_progress_and_counts_the_rest() -> None:
    rolled = roll_up(
        [
            _assessment(Status.achieved, 1.2),
            _assessment(Status.on_track, 0.5, stale=True),
            _assessment(Status.off_track, -0.3),
            _assessment(Status.no_target, None),
            _assessment(Status.uncertain, 0.9, bounded=True),
        ]
    )
    assert rolled.status == Status.on_track
    assert rolled.progress == (1.0 + 0.5 + 0.0) / 3  # uncertain scopes are not averaged in
    assert (rolled.counts[Status.no_target], rolled.counts[Status.uncertain]) == (1, 1)
    assert (rolled.stale, rolled.bounded) == (1, 1)
    even = roll_up([_assessment(Status.achieved, 1), _assessment(Status.at_risk, 0.2)])
    assert even.status == Status.at_risk  # the worse of the two middles


def test_a_roll_up_on_stale_data_alone_is_stale_never_on_track() -> None:
    """The issue's mission: 13 of 13 scopes stale, shown as on track."""
    rolled = roll_up([_assessment(Status.on_track, 0.6, stale=True) for _ in range(13)])
    assert (rolled.status, rolled.stale) == (Status.stale, 13)
    one_fresh = roll_up([_assessment(Status.on_track, 0.6, stale=True), _assessment(Status.at_risk, 0.3)])
    assert one_fresh.status == Status.at_risk


def test_a_roll_up_without_rated_scopes_says_which_kind_of_nothing() -> None:
    assert roll_up([_assessment(Status.no_target, None)]).status == Status.no_target
    assert roll_up(
        [_assessment(Status.no_target, None), _assessment(Status.no_observation, None)]
    ).status == (Status.no_observation)
    assert roll_up([_assessment(Status.uncertain, 0.5)]).status == Status.uncertain
    assert roll_up([]).status == Status.no_observation


values = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@given(values, values, values, values, st.booleans(), st.integers(min_value=1, max_value=3000))
def test_status_never_gets_worse_as_the_latest_value_gets_better(
    base: Decimal, target: Decimal, low: Decimal, high: Decimal, higher_is_better: bool, day: int
) -> None:
    assume(not wrong_side(higher_is_better, base, target))
    worse, better = (low, high) if (low <= high) == higher_is_better else (high, low)
    start, end = date(2020, 1, 1), date(2030, 1, 1)
    on = date.fromordinal(start.toordinal() + day)
    b, t = Point("b", base, start), Point("t", target, end)
    first = assess(higher_is_better, b, t, [Point("o", worse, on)], on)
    second = assess(higher_is_better, b, t, [Point("o", better, on)], on)
    assert SEVERITY.index(second.status) <= SEVERITY.index(first.status)


def test_figures_without_a_baseline_are_listed_unjudged() -> None:

    found = unbased([seen("9", date(2023, 1, 1), "a"), seen("8", date(2024, 1, 1), "b")], date(2025, 6, 1))
    assert (found.status, found.progress, found.used, found.stale) == (
        Status.no_baseline,
        None,
        ("a", "b"),
        True,
    )
    assert roll_up([found]).status == Status.no_baseline
