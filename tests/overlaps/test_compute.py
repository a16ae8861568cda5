"""Duplicate-effort detection on hand-made collaborations, with figures worked out by hand.

scikit-learn's TF-IDF, which these figures follow: a term's weight is (1 + ln tf) * idf,
idf = 1 + ln((1 + n) / (1 + df)) over n texts, each text's weights scaled to length 1.
"""

from math import isclose, log, sqrt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.overlaps import compute
from api.overlaps.compute import (
    Activity,
    area_overlap,
    hubs,
    jaccard,
    member_overlap,
    overlaps,
    score,
    templates,
    terms,
    texts,
)

CONTAINING = {
    "coventry": frozenset({"coventry", "wm"}),
    "walsall": frozenset({"walsall", "wm"}),
    "wm": frozenset({"wm"}),
    "leeds": frozenset({"leeds"}),
}
WM = frozenset({"wm"})  # the combined authority: region-wide


def activity(
    id_: str,
    title: str,
    outcomes: set[str] = set(),  # noqa: B006
    areas: set[str] = set(),  # noqa: B006
    members: set[str] = set(),  # noqa: B006
    description: str = "",
) -> Activity:
    return Activity(id_, title, description, frozenset(outcomes), frozenset(areas), frozenset(members))


def test_the_parts_of_the_score() -> None:
    assert jaccard(frozenset({"o1", "o2"}), frozenset({"o2", "o3"})) == 1 / 3
    assert member_overlap(frozenset({"p"}), frozenset({"p"})) == 1 / 2  # 1 ÷ (1 + 1)
    assert member_overlap(frozenset({"p", "q"}), frozenset({"p"})) == 1 / 3  # 1 ÷ (2 + 1)
    assert area_overlap(frozenset({"coventry"}), frozenset({"wm"}), CONTAINING) == 1.0  # inside it
    assert area_overlap(frozenset({"coventry"}), frozenset({"walsall"}), CONTAINING) == 0.0
    assert area_overlap(frozenset({"coventry", "leeds"}), frozenset({"wm"}), CONTAINING) == 2 / 3
    # The combined authority contains every collaboration: it says nothing.
    assert area_overlap(frozenset({"coventry"}), frozenset({"wm"}), CONTAINING, WM) == 0.0
    assert area_overlap(frozenset({"wm"}), frozenset({"wm"}), CONTAINING, WM) == 0.0
    assert area_overlap(frozenset({"coventry", "wm"}), frozenset({"coventry"}), CONTAINING, WM) == 1.0


def test_a_hub_is_in_more_than_a_quarter_of_the_collaborations_and_more_than_four() -> None:
    assert compute.common_limit(8) == 4 and compute.common_limit(41) == 10
    eight = [activity(str(i), "x", members={"wmca"} if i < 5 else {"tfwm"}) for i in range(8)]
    assert hubs(eight) == {"wmca"}  # in 5 of 8; tfwm in 3 is not
    assert hubs(eight[:4]) == set()  # 4 of 4: more than a quarter, but not more than four


def test_boilerplate_is_left_out_of_the_text() -> None:
    assert terms("Current WMCA digital activity for Mission 2 \u2013 Sharing and Using Data.") == [
        "sharing",
        "using",
        "data",
        "using data",
    ]
    # "digital" counts only in a pair; "in the" breaks one; plurals fold; numbers go.
    assert terms("Digital skills bootcamps in the West Midlands, 2021") == [
        "skill",
        "bootcamp",
        "digital skill",
        "skill bootcamp",
    ]
    assert terms("Aston University's WM-REDI") == [
        "aston",
        "university",
        "wm-redi",
        "aston university",
        "university wm-redi",
    ]
    described = [
        f"Work {n}. Current WMCA digital activity for Mission {n} \u2013 Theme {n}." for n in (1, 2, 3)
    ] + ["Current WMCA work on data."]
    assert templates(described) == {"current wmca digital activity for"}
    assert texts([activity(str(i), "T", description=d) for i, d in enumerate(described)]) == [
        "T . work 1.",
        "T . work 2.",
        "T . work 3.",
        "T . current wmca work on data.",
    ]


def test_a_shared_outcome_and_a_region_wide_area_make_no_pair() -> None:
    """The issue: one shared outcome and the WMCA area, with nothing in common to say, used
    to reach the default threshold (0.3 + 0.2)."""
    made = [
        activity("a", "Circular economy platforms", {"o"}, {"wm"}, {"wmca"}),
        activity("b", "Congestion and passenger experience", {"o"}, {"wm"}, {"wmca"}),
        *(activity(str(i), f"Other {i}", members={"wmca"}) for i in range(3)),
    ]
    assert hubs(made) == {"wmca"}  # in 5 of 5
    assert overlaps(made, CONTAINING, 0.0, WM) == []


def test_titles_of_boilerplate_alone_are_not_alike() -> None:
    made = [
        activity("a", "West Midlands digital programme", {"o"}, {"coventry"}),
        activity("b", "Digital programme for the West Midlands region", {"o"}, {"coventry"}),
    ]
    assert overlaps(made, CONTAINING, 0.0, WM) == []


def test_a_pair_worked_out_by_hand() -> None:
    """Two texts: "cyber", "skill" and "cyber skill" in both (idf 1 + ln(3/3) = 1), "hub" and
    "skill hub" in b only (idf 1 + ln(3/2)). Cosine = 3 / (√3 · √(3 + 2·idf²)) = 0.656973.
    Organisations {p, q} and {p}: 1 ÷ (2 + 1). Outcomes {o1, o2} and {o1}: 1/2. Areas:
    Coventry and the region-wide WMCA area: 0."""
    idf = 1 + log(3 / 2)
    cosine = 3 / (sqrt(3) * sqrt(3 + 2 * idf**2))
    assert isclose(cosine, 0.656973, abs_tol=1e-6)
    found = overlaps(
        [
            activity("a", "Cyber skills", {"o1", "o2"}, {"coventry"}, {"p", "q"}),
            activity("b", "Cyber skills hub", {"o1"}, {"wm"}, {"p"}),
        ],
        CONTAINING,
        0.0,
        WM,
    )
    assert len(found) == 1
    pair = found[0]
    assert pair.text == pytest.approx(cosine) and pair.terms == ("cyber skill",)
    assert pair.member_overlap == 1 / 3 and pair.outcome_overlap == 1 / 2 and pair.area_overlap == 0.0
    # 0.5 · 0.656973 + 0.25 / 3 + 0.15 / 2 + 0.1 · 0 = 0.328486 + 0.083333 + 0.075
    assert pair.score == pytest.approx(0.486820, abs=1e-6)
    assert pair.reasons == (
        "Titles and descriptions have 'cyber skill' in common (cosine 0.66).",
        "1 organisation(s) take part in both, of 2 between them.",
        "Serve 1 outcome(s) in common, of 2 between them.",
    )


def test_the_text_is_reported_as_scored_however_small() -> None:
    """Only "coventry" in common (idf 1); 7 and 5 other terms in one text each (idf 1 + ln(3/2)):
    cosine = 1 / √((7·idf² + 1)(5·idf² + 1)) = 0.078745. One organisation, p, in both: 1/2.
    Score 0.5 · 0.078745 + 0.25 · 0.5 = 0.164372."""
    idf = 1 + log(3 / 2)
    cosine = 1 / sqrt((7 * idf**2 + 1) * (5 * idf**2 + 1))
    found = overlaps(
        [
            activity("a", "Cyber skills hub for Coventry adults", members={"p"}),
            activity("b", "Fibre for Coventry business parks", members={"p"}),
        ],
        CONTAINING,
        0.0,
    )
    assert [(o.text, o.score) for o in found] == [(pytest.approx(cosine), pytest.approx(0.164372, abs=1e-6))]
    assert isclose(cosine, 0.078745, abs_tol=1e-6)
    strangers = [
        activity("a", "Cyber skills hub for Coventry adults"),
        activity("b", "Fibre for Coventry business parks"),
    ]
    assert overlaps(strangers, CONTAINING, 0.0) == []  # text under 0.1 and nobody in both: no common ground


def test_two_skills_bootcamps_in_the_same_place_come_first() -> None:
    found = overlaps(
        [
            activity("a", "Digital skills bootcamps for adults in Coventry", {"skills"}, {"coventry"}),
            activity("b", "Coventry digital skills bootcamp for unemployed adults", {"skills"}, {"coventry"}),
            activity("c", "5G small cells on lamp posts", {"connectivity"}, {"walsall"}),
            activity("d", "Full fibre for business parks", set(), {"leeds"}),
        ],
        CONTAINING,
        min_score=0.2,
    )
    assert [(o.a, o.b) for o in found] == [("a", "b")]
    assert found[0].outcomes == {"skills"} and found[0].area_overlap == 1.0 and found[0].text > 0.5


words = st.lists(
    st.sampled_from(["digital", "skills", "fibre", "5g", "data", "health", "adults"]), max_size=6
)
sets = st.frozensets(st.sampled_from(["o1", "o2", "o3"]))
places = st.frozensets(st.sampled_from(list(CONTAINING)))
people = st.frozensets(st.sampled_from(["p", "q", "r"]))


@given(words, words, sets, sets, places, places, people, people, st.floats(min_value=0, max_value=1))
def test_the_score_is_symmetric(w1, w2, o1, o2, p1, p2, m1, m2, text) -> None:  # type: ignore[no-untyped-def]
    x = Activity("x", " ".join(w1), "", o1, p1, m1)
    y = Activity("y", " ".join(w2), "", o2, p2, m2)
    assert score(x, y, text, CONTAINING, WM) == score(y, x, text, CONTAINING, WM)
    assert overlaps([x, y], CONTAINING, 0.0, WM) == overlaps([y, x], CONTAINING, 0.0, WM)


def test_nothing_pairs_everything_with_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compute, "NEIGHBOURS", 3)
    alike = [activity(str(i), "Cyber skills bootcamp", members={"p"}) for i in range(20)]
    others = [activity(f"o{i}", "".join(chr(97 + int(d)) for d in f"{i:03}")) for i in range(80)]
    made = alike + others
    assert not hubs(made)  # p is in 20 of 100
    pairs = compute.candidates(compute.vectors(made)[0], made, frozenset())
    assert 20 * 3 / 2 <= len(pairs) <= 20 * 3 and all(i < j < 20 for i, j in pairs)  # each its 3 nearest


@given(
    st.lists(st.tuples(words, sets, places, people), min_size=2, max_size=8),
    st.sampled_from([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7]),
)
def test_pairs_left_unscored_could_not_have_reached_the_minimum(activities, min_score) -> None:  # type: ignore[no-untyped-def]
    made = [Activity(str(i), " ".join(w), "", o, p, m) for i, (w, o, p, m) in enumerate(activities)]
    pruned = overlaps(made, CONTAINING, min_score, WM)
    original = compute.may_reach
    compute.may_reach = lambda *args: True  # score every candidate
    try:
        assert overlaps(made, CONTAINING, min_score, WM) == pruned
    finally:
        compute.may_reach = original
