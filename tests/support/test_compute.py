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
        assert result.eligibility == "ineligible" and result.unknown == ()


def test_a_rule_the_record_cannot_be_checked_against_is_unknown_not_unmet() -> None:
    blank = Applicant("business", None, frozenset(), frozenset(), frozenset())
    for rule, missing in (
        (scheme("x", sizes=frozenset({"small"})), "Size not recorded: add it to check"),
        (scheme("x", areas=frozenset({"coventry"})), "Areas not recorded: add them to check"),
        (scheme("x", sectors=frozenset({"digital"})), "Sectors not recorded: add them to check"),
    ):
        result = match(blank, rule, TODAY)
        assert (result.eligibility, result.eligible, result.unmet) == ("unknown", False, ())
        assert [u.startswith(missing) for u in result.unknown] == [True]
    # A rule it fails outweighs one that cannot be checked; what is missing is still said.
    result = match(blank, scheme("x", sizes=frozenset({"small"}), kinds=frozenset({"university"})), TODAY)
    assert (result.eligibility, len(result.unmet), len(result.unknown)) == ("ineligible", 1, 1)
    # Once recorded, the size decides: a small firm qualifies, a large one does not.
    sme_only = scheme("sme", sizes=frozenset({"micro", "small", "medium"}))
    assert match(COVENTRY_FIRM, sme_only, TODAY).eligibility == "eligible"
    large = Applicant("business", "large", frozenset(), frozenset(), frozenset())
    assert match(large, sme_only, TODAY).eligibility == "ineligible"


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
    everything = rank(COVENTRY_FIRM, [london, anyone], TODAY, include_ineligible=True)
    assert [(m.scheme_id, m.eligible) for m in everything] == [("anyone", True), ("london", False)]


def test_unknown_ranks_between_eligible_and_ineligible_and_is_listed_by_default() -> None:
    no_size = Applicant("business", None, frozenset({"digital"}), frozenset({"coventry"}), frozenset())
    sme = scheme("sme", sizes=frozenset({"small"}), areas=frozenset({"coventry"}))  # score 2, unknown
    anyone = scheme("anyone")  # score 0, eligible
    london = scheme("london", areas=frozenset({"london"}))
    assert [m.scheme_id for m in rank(no_size, [london, sme, anyone], TODAY)] == ["anyone", "sme"]
    everything = rank(no_size, [london, sme, anyone], TODAY, include_ineligible=True)
    assert [m.eligibility for m in everything] == ["eligible", "unknown", "ineligible"]


@given(st.sets(st.sampled_from(["digital", "health", "data", "manufacturing"])))
def test_more_shared_sectors_never_rank_lower(sectors: set[str]) -> None:
    wide = scheme("wide", sectors=frozenset(sectors | {"digital", "manufacturing"}))
    narrow = scheme("narrow", sectors=frozenset({"digital"}))
    assert match(COVENTRY_FIRM, wide, TODAY).score >= match(COVENTRY_FIRM, narrow, TODAY).score
