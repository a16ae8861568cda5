"""Regional comparison on hand-made figures."""

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from api.benchmarks.schemas import YearCoverage
from api.benchmarks.service import Entry, compare, default_year

REGIONS = [
    Entry("wm", "West Midlands", Decimal("15")),
    Entry("ne", "North East", Decimal("30")),
    Entry("ldn", "London", Decimal("25")),
]


def test_higher_is_better_ranks_the_largest_first_with_gaps() -> None:
    ranked = compare(REGIONS, higher_is_better=True, national=Decimal("24"))
    assert [(r.entry.area_id, r.rank) for r in ranked] == [("ne", 1), ("ldn", 2), ("wm", 3)]
    wm = ranked[2]
    assert wm.gap_to_national == Decimal("-9")
    assert wm.gap_to_average == Decimal("15") - Decimal("70") / 3
    assert [r.best for r in ranked] == [True, False, False]


def test_lower_is_better_turns_it_round_and_no_national_means_no_gap() -> None:
    ranked = compare(REGIONS, higher_is_better=False, national=None)
    assert [r.entry.area_id for r in ranked] == ["wm", "ldn", "ne"]
    assert ranked[0].gap_to_national is None and ranked[0].best


def test_ties_share_best_and_are_ordered_by_name() -> None:
    tied = [Entry("b", "Birmingham", Decimal(1)), Entry("a", "Aston", Decimal(1))]
    ranked = compare(tied, True, None)
    assert [(r.entry.name, r.rank, r.best) for r in ranked] == [("Aston", 1, True), ("Birmingham", 2, True)]


@given(
    st.lists(st.decimals(min_value=-1000, max_value=1000, places=2), min_size=1, max_size=30), st.booleans()
)
def test_ranks_are_a_permutation_and_follow_the_direction(values: list[Decimal], higher: bool) -> None:
    entries = [Entry(str(i), f"area {i:02}", v) for i, v in enumerate(values)]
    ranked = compare(entries, higher, None)
    assert sorted(r.rank for r in ranked) == list(range(1, len(values) + 1))
    for better, worse in itertools.pairwise(ranked):
        assert (
            (better.entry.value >= worse.entry.value) if higher else (better.entry.value <= worse.entry.value)
        )
    assert abs(sum(r.gap_to_average for r in ranked)) < Decimal("0.0001")


def test_the_default_year_is_the_best_reported_then_the_latest() -> None:

    def year(y: int, areas: int, national: bool) -> YearCoverage:
        return YearCoverage(year=y, areas=areas, national=national, sparse=False)

    assert default_year([year(2021, 7, False), year(2022, 7, True), year(2023, 7, False)]) == 2022
    assert default_year([year(2021, 7, True), year(2023, 7, True), year(2024, 2, True)]) == 2023
    assert default_year([]) is None
