"""Duplicate-effort detection on hand-made collaborations."""

from hypothesis import given
from hypothesis import strategies as st

from api.overlaps.compute import Activity, area_overlap, jaccard, overlaps, score

CONTAINING = {
    "coventry": frozenset({"coventry", "wm"}),
    "walsall": frozenset({"walsall", "wm"}),
    "wm": frozenset({"wm"}),
    "leeds": frozenset({"leeds"}),
}


def activity(id_: str, text: str, outcomes: set[str] = set(), areas: set[str] = set()) -> Activity:  # noqa: B006
    return Activity(id_, text, frozenset(outcomes), frozenset(areas), frozenset())


def test_the_parts_of_the_score() -> None:
    assert jaccard(frozenset({"o1", "o2"}), frozenset({"o2", "o3"})) == 1 / 3
    assert area_overlap(frozenset({"coventry"}), frozenset({"wm"}), CONTAINING) == 1.0  # inside it
    assert area_overlap(frozenset({"coventry"}), frozenset({"walsall"}), CONTAINING) == 0.0
    assert area_overlap(frozenset({"coventry", "leeds"}), frozenset({"wm"}), CONTAINING) == 2 / 3
    same = score(
        activity("a", "x", {"o1"}, {"coventry"}), activity("b", "y", {"o1"}, {"wm"}), 1.0, CONTAINING
    )
    assert same.score == 1.0 and len(same.reasons) == 3


def test_two_digital_skills_programmes_in_the_same_place_are_flagged() -> None:
    found = overlaps(
        [
            activity("a", "Digital skills bootcamps for adults in Coventry", {"skills"}, {"coventry"}),
            activity("b", "Coventry digital skills bootcamp for unemployed adults", {"skills"}, {"wm"}),
            activity("c", "5G small cells on lamp posts", {"connectivity"}, {"walsall"}),
            activity("d", "Full fibre for business parks", set(), {"leeds"}),
        ],
        CONTAINING,
        min_score=0.4,
    )
    assert [(o.a, o.b) for o in found] == [("a", "b")]
    assert found[0].score > 0.6 and found[0].outcomes == {"skills"} and found[0].text > 0.3


def test_sharing_an_outcome_alone_makes_a_candidate() -> None:
    found = overlaps([activity("a", "alpha", {"o"}), activity("b", "beta", {"o"})], {}, min_score=0.3)
    assert [(o.a, o.b, o.score) for o in found] == [("a", "b", 0.3)]


words = st.lists(
    st.sampled_from(["digital", "skills", "fibre", "5g", "data", "health", "adults"]), max_size=6
)
sets = st.frozensets(st.sampled_from(["o1", "o2", "o3"]))
places = st.frozensets(st.sampled_from(list(CONTAINING)))


@given(words, words, sets, sets, places, places, st.floats(min_value=0, max_value=1))
def test_the_score_is_symmetric(w1, w2, o1, o2, p1, p2, text) -> None:  # type: ignore[no-untyped-def]
    x = Activity("x", " ".join(w1), o1, p1, frozenset())
    y = Activity("y", " ".join(w2), o2, p2, frozenset())
    assert score(x, y, text, CONTAINING) == score(y, x, text, CONTAINING)
    forward = overlaps([x, y], CONTAINING, 0.0)
    backward = overlaps([y, x], CONTAINING, 0.0)
    assert forward == backward


def test_boilerplate_cannot_pair_everything_with_everything(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from api.overlaps import compute as module

    monkeypatch.setattr(module, "NEIGHBOURS", 3)
    same = [activity(str(i), "digital skills bootcamp for adults") for i in range(20)]
    pairs = module.text_candidates([a.text for a in same])
    assert len(pairs) <= 20 * 3 and all(i < j for i, j in pairs)


@given(
    st.lists(st.tuples(words, sets, places), min_size=2, max_size=8),
    st.sampled_from([0.0, 0.2, 0.3, 0.4, 0.5, 0.7]),
)
def test_pairs_left_unscored_could_not_have_reached_the_minimum(activities, min_score) -> None:  # type: ignore[no-untyped-def]
    from api.overlaps import compute as module

    made = [Activity(str(i), " ".join(w), o, p, frozenset()) for i, (w, o, p) in enumerate(activities)]
    pruned = overlaps(made, CONTAINING, min_score)
    original = module.may_reach
    module.may_reach = lambda *args: True  # score every candidate
    try:
        assert overlaps(made, CONTAINING, min_score) == pruned
    finally:
        module.may_reach = original
