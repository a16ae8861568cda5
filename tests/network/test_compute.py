"""The network measures on graphs small enough to work out by hand."""

import pytest

from api.network import compute as network
from api.network.compute import Org

#   A - B        D - E
#    \ /          \ /
#     C ---------- D'   two triangles joined by one bridge, C-D
ORGS = [
    Org("A", "A", "university"),
    Org("B", "B", "university"),
    Org("C", "C", "business"),
    Org("D", "D", "local_authority"),
    Org("E", "E", "public_body"),
    Org("F", "F", "lep"),
    Org("G", "G", "business", new_to_innovation=True),  # in nothing yet
]
MEMBERSHIPS = {
    "abc": ["A", "B", "C"],
    "cd": ["C", "D"],
    "def": ["D", "E", "F"],
    "ab": ["A", "B"],
}


def test_edges_count_the_collaborations_two_organisations_share() -> None:
    graph = network.build(ORGS, MEMBERSHIPS)
    assert graph.number_of_edges() == 7
    assert graph["A"]["B"]["weight"] == 2 and graph["A"]["B"]["collaborations"] == ["ab", "abc"]
    assert graph.degree("G") == 0


def test_betweenness_of_the_bridge() -> None:
    scores, method = network.betweenness(network.build(ORGS, MEMBERSHIPS))
    # C lies on every shortest path between {A, B} and {D, E, F}: 6 of the 21 pairs of 7 nodes;
    # normalised by (n-1)(n-2)/2 = 15 pairs not involving C: 6/15 = 0.4.
    assert abs(scores["C"] - 0.4) < 1e-12
    # D: {A, B, C} x {E, F} = 6 pairs, the same.
    assert abs(scores["D"] - 0.4) < 1e-12
    assert scores["A"] == scores["E"] == scores["G"] == 0
    assert method.startswith("exact")


def test_large_graphs_are_sampled_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network, "EXACT_BETWEENNESS_UP_TO", 3)
    monkeypatch.setattr(network, "SAMPLES", 7)
    scores, method = network.betweenness(network.build(ORGS, MEMBERSHIPS))
    assert method.startswith("approximate") and "7 of 7" in method
    assert abs(scores["C"] - 0.4) < 1e-12  # all sources sampled: the exact answer


def test_the_triangles_are_the_communities_and_their_ends_the_brokers() -> None:
    graph = network.build(ORGS, MEMBERSHIPS)
    found = network.communities(graph)
    assert [sorted(c) for c in found] == [["A", "B", "C"], ["D", "E", "F"]]
    community_of = {m: i for i, c in enumerate(found) for m in c}
    scores, _ = network.betweenness(graph)
    brokers = network.brokers(graph, community_of, scores)
    assert [b.id for b in brokers][:2] == ["C", "D"]
    c = brokers[0]
    assert (c.communities_bridged, c.sectors_bridged) == (2, 2)  # academia (A, B) and public (D)


def test_shares_of_collaborations_that_cross_sectors() -> None:
    kinds = {o.id: o.kind for o in ORGS}
    result = network.cross_sector(MEMBERSHIPS, kinds)
    # abc: academia+business; cd: business+public; def: public only; ab: academia only.
    assert result.collaborations == 4
    assert (result.cross_sector, result.business_academia, result.public_private) == (0.5, 0.25, 0.25)
