"""Support matching on hand-made organisations and schemes."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from api.support.compute import Applicant, Scheme, match, rank

TODAY = date(2026, 1, 1)
COVENTRY_FIRM = Applicant(
    kind="business",
    size="small",
    sectors=frozenset({"digital", "manufacturing"}),
    places=frozenset({"coventry", "west-midlands", "england"}),
    missions=frozenset({"m4"}),
)


def scheme(id_: str, **kw: object) -> Scheme:
    fields: dict[str, object] = {
        "open": True,
        "closes_on": None,
        "areas": frozenset(),
        "kinds": frozenset(),
        "sizes": frozenset(),
        "sectors": frozenset(),
        "missions": frozenset(),
    }
    fields.update(kw)
    return Scheme(id_, **fields)  # type: ignore[arg-type]


def test_each_criterion_met_counts_and_says_why() -> None:
    focus = scheme(
        "focus-digital",
        areas=frozenset({"west-midlands"}),
        kinds=frozenset({"business"}),
        sizes=frozenset({"micro", "small", "medium"}),
        sectors=frozenset({"digital"}),
        missions=frozenset({"m4"}),
    )
    result = match(COVENTRY_FIRM, focus, TODAY)
    assert result.eligible and result.score == 2 + 1 + 1 + 1 + 1
    assert len(result.reasons) == 5 and result.unmet == ()


def test_any_unmet_criterion_makes_it_ineligible_and_is_named() -> None:
    for unmet in (
        scheme("x", areas=frozenset({"london"})),
        scheme("x", kinds=frozenset({"university"})),
        scheme("x", sizes=frozenset({"large"})),
        scheme("x", sectors=frozenset({"health"})),
        scheme("x", open=False),
        scheme("x", closes_on=date(2025, 12, 31)),
    ):
        result = match(COVENTRY_FIRM, unmet, TODAY)
        assert not result.eligible and len(result.unmet) == 1
    unknown_size = Applicant("business", None, frozenset(), frozenset(), frozenset())
    assert "not recorded" in match(unknown_size, scheme("x", sizes=frozenset({"small"})), TODAY).unmet[0]


def test_ranking_puts_the_closest_fit_first() -> None:
    anyone = scheme("anyone")
    regional = scheme("regional", areas=frozenset({"west-midlands"}))
    digital = scheme("digital", areas=frozenset({"west-midlands"}), sectors=frozenset({"digital"}))
    london = scheme("london", areas=frozenset({"london"}))
    assert [m.scheme_id for m in rank(COVENTRY_FIRM, [anyone, london, regional, digital], TODAY)] == [
        "digital",
        "regional",
        "anyone",
    ]
    everything = rank(COVENTRY_FIRM, [london, anyone], TODAY, eligible_only=False)
    assert [(m.scheme_id, m.eligible) for m in everything] == [("anyone", True), ("london", False)]


@given(st.sets(st.sampled_from(["digital", "health", "data", "manufacturing"])))
def test_more_shared_sectors_never_rank_lower(sectors: set[str]) -> None:
    wide = scheme("wide", sectors=frozenset(sectors | {"digital", "manufacturing"}))
    narrow = scheme("narrow", sectors=frozenset({"digital"}))
    assert match(COVENTRY_FIRM, wide, TODAY).score >= match(COVENTRY_FIRM, narrow, TODAY).score
