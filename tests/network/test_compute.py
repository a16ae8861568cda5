"""The network measures on graphs small enough to work out by hand."""

import networkx as nx
import pytest

from api.network import compute as network
from api.network.compute import Org, Weighting

#   A - B        E - F
#    \ /          \ /
#     C ---------- D    two triangles joined by one bridge, C-D
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
    "de": ["D", "E"],
}

# A meeting of all five, and three projects along a chain: A-B, B-C, C-D.
MEETING_ORGS = [
    Org("A", "A", "university"),
    Org("B", "B", "business"),
    Org("C", "C", "local_authority"),
    Org("D", "D", "third_sector"),
    Org("E", "E", "public_body"),
]
MEETING = {"m": ["A", "B", "C", "D", "E"], "ab": ["A", "B"], "bc": ["B", "C"], "cd": ["C", "D"]}


def test_each_shared_collaboration_adds_one_over_n_minus_1() -> None:
    graph = network.build(ORGS, MEMBERSHIPS)
    assert graph.number_of_edges() == 7
    ab = graph["A"]["B"]
    # abc (3 participants) adds 1/2, ab (2) adds 1.
    assert (ab["weight"], ab["shared"], ab["collaborations"]) == (1.5, 2, ["ab", "abc"])
    assert (graph["A"]["C"]["weight"], graph["C"]["D"]["weight"], graph["D"]["F"]["weight"]) == (0.5, 1, 0.5)
    assert graph.degree("G") == 0
    # Each organisation's strength is the number of its collaborations: A in abc and ab, D in
    # cd, def and de, F in def.
    assert network.strength(graph) == {"A": 2, "B": 2, "C": 2, "D": 3, "E": 2, "F": 1, "G": 0}


def test_counting_weighs_every_collaboration_as_one() -> None:
    graph = network.build(ORGS, MEMBERSHIPS, Weighting.count)
    assert (graph["A"]["B"]["weight"], graph["A"]["C"]["weight"]) == (2, 1)
    assert network.strength(graph)["C"] == 3  # A-C, B-C (abc) and C-D (cd)


def test_a_collaboration_weighs_by_all_its_participants_even_those_filtered_out() -> None:
    graph = network.build(ORGS[:2], MEMBERSHIPS)  # A and B only: C is out of view
    assert graph["A"]["B"]["weight"] == 1.5  # still 1/2 from abc, not 1


def test_a_meeting_weighs_less_than_a_project_and_paths_run_through_projects() -> None:
    graph = network.build(MEETING_ORGS, MEETING)
    # The meeting adds 1/4 to its 10 pairs; each project 1 to its own.
    assert graph["A"]["B"]["weight"] == 1.25 and graph["A"]["C"]["weight"] == 0.25
    scores, method = network.betweenness(graph)
    # Lengths: 0.8 along the chain, 4 elsewhere. A-C runs through B (1.6 < 4), A-D through B
    # and C (2.4), B-D through C; every pair with E is direct. B lies on 2 paths, C on 2, of
    # the (n-1)(n-2)/2 = 6 pairs not involving each: 1/3.
    assert scores == pytest.approx({"A": 0, "B": 1 / 3, "C": 1 / 3, "D": 0, "E": 0})
    assert method.startswith("exact") and "1/weight" in method
    reference = nx.Graph()
    reference.add_weighted_edges_from((u, v, 1 / d["weight"]) for u, v, d in graph.edges(data=True))
    assert scores == pytest.approx(nx.betweenness_centrality(reference, weight="weight"))


def test_counted_a_meeting_makes_everyone_adjacent_and_no_one_a_broker() -> None:
    graph = network.build(MEETING_ORGS, MEETING, Weighting.count)
    scores, method = network.betweenness(graph)
    assert set(scores.values()) == {0} and "one step" in method  # all five adjacent
    assert network.brokers(graph, {}, scores) == []


def test_brokers_are_only_those_some_shortest_path_runs_through() -> None:
    graph = network.build(MEETING_ORGS, MEETING)
    scores, _ = network.betweenness(graph)
    # Every one has partners in two or more other sectors; only B and C lie on a path.
    found = network.brokers(graph, {}, scores)
    assert [(b.id, b.sectors_bridged) for b in found] == [("B", 3), ("C", 3)]


def test_betweenness_of_the_bridge() -> None:
    for weighting in Weighting:
        scores, method = network.betweenness(network.build(ORGS, MEMBERSHIPS, weighting))
        # C lies on every shortest path between {A, B} and {D, E, F}: 6 of the 21 pairs of 7 nodes;
        # normalised by (n-1)(n-2)/2 = 15 pairs not involving C: 6/15 = 0.4.
        assert scores["C"] == pytest.approx(0.4)
        # D: {A, B, C} x {E, F} = 6 pairs, the same. Shared, links are 2/3 long (A-B, D-E), 1
        # (C-D) or 2: within a triangle the direct link is still the shortest (2 < 2/3 + 2).
        assert scores["D"] == pytest.approx(0.4)
        assert scores["A"] == scores["E"] == scores["G"] == 0
        assert method.startswith("exact")


def test_large_graphs_are_sampled_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network, "EXACT_BETWEENNESS_UP_TO", 3)
    monkeypatch.setattr(network, "SAMPLES", 7)
    scores, method = network.betweenness(network.build(ORGS, MEMBERSHIPS))
    assert method.startswith("approximate") and "7 of 7" in method
    assert scores["C"] == pytest.approx(0.4)  # all sources sampled: the exact answer


def test_the_triangles_are_the_communities_and_their_ends_the_brokers() -> None:
    for weighting in Weighting:
        graph = network.build(ORGS, MEMBERSHIPS, weighting)
        found = network.communities(graph)
        assert [sorted(c) for c in found] == [["A", "B", "C"], ["D", "E", "F"]]
        community_of = {m: i for i, c in enumerate(found) for m in c}
        scores, _ = network.betweenness(graph)
        brokers = network.brokers(graph, community_of, scores)
        assert [b.id for b in brokers] == ["C", "D"]  # A, B, E and F lie on no path
        c = brokers[0]
        assert (c.communities_bridged, c.sectors_bridged) == (2, 2)  # academia (A, B) and public (D)


def test_modularity_of_the_triangles() -> None:
    found = [{"A", "B", "C"}, {"D", "E", "F"}]
    # Q = sum over communities of L/m - (d/2m)^2. Shared: m = 6; inside 2.5 and 2.5; the
    # strengths sum to 6 (A 2, B 2, C 2) and 6 (D 3, E 2, F 1): 2 x (2.5/6 - 1/4) = 1/3.
    shared = network.build(ORGS, MEMBERSHIPS)
    assert network.modularity(shared, found) == pytest.approx(1 / 3)
    # Counted: m = 9; inside 4 and 4; strengths 9 (3 + 3 + 3) and 9 (4 + 3 + 2): 2 x (4/9 - 1/4).
    counted = network.build(ORGS, MEMBERSHIPS, Weighting.count)
    assert network.modularity(counted, found) == pytest.approx(7 / 18)
    assert network.modularity(network.build(ORGS, {}), []) is None


def test_the_method_says_what_was_counted_and_how_links_are_weighted() -> None:
    shared = network.links_method(Weighting.shared, network.GOVERNANCE, drafts=False)
    assert shared.startswith("Published collaborations of every kind but board, event, working_group")
    assert "1/(n-1)" in shared
    counted = network.links_method(Weighting.count, (), drafts=True)
    assert counted.startswith("Published and draft collaborations of every kind are counted")
    assert "adds 1 to each pair" in counted


def test_shares_of_collaborations_that_cross_sectors() -> None:
    kinds = {o.id: o.kind for o in ORGS}
    result = network.cross_sector(MEMBERSHIPS, kinds)
    # abc: academia+business; cd: business+public; def, de: public only; ab: academia only.
    assert result.collaborations == 5
    assert (result.cross_sector, result.business_academia, result.public_private) == (0.4, 0.2, 0.2)
