"""The network endpoints over data made through the API."""

import json
from collections.abc import Callable
from itertools import combinations
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.seed import loader
from tests import checks, factories
from tests.checks import problem

API = "/api/v1"


def _two_triangles(client: TestClient) -> dict[str, Any]:
    """Two groups joined by one bridge (C-D), A-B and D-E also in projects of their own, plus
    an organisation in nothing yet."""
    kinds = {"A": "university", "B": "university", "C": "business", "D": "local_authority"}
    kinds |= {"E": "public_body", "F": "lep"}
    orgs = {name: factories.stakeholder(client, name=name, kind=kind) for name, kind in kinds.items()}
    orgs["G"] = factories.stakeholder(client, name="G", kind="business", new_to_innovation=True)
    mission = factories.mission(client)
    outcome = factories.outcome(client, mission["id"])
    for members, outcome_ids in (("ABC", [outcome["id"]]), ("CD", []), ("DEF", []), ("AB", []), ("DE", [])):
        collaboration = factories.collaboration(client, outcome_ids=outcome_ids)
        for name in members:
            factories.participant(client, collaboration["id"], orgs[name]["id"])
    return {"orgs": orgs, "mission": mission}


def test_the_graph_and_its_measures(client: TestClient) -> None:
    world = _two_triangles(client)
    ids = {name: org["id"] for name, org in world["orgs"].items()}
    graph = client.get(f"{API}/network").json()
    assert len(graph["nodes"]) == 7 and len(graph["edges"]) == 7
    bridge = next(e for e in graph["edges"] if {e["source"], e["target"]} == {ids["C"], ids["D"]})
    assert bridge["weight"] == bridge["strength"] == 1 and len(bridge["collaboration_ids"]) == 1
    side = next(e for e in graph["edges"] if {e["source"], e["target"]} == {ids["A"], ids["B"]})
    assert (side["weight"], side["strength"]) == (2, 1.5)  # 1/2 from ABC, 1 from AB
    # Strength: each organisation's collaborations with partners.
    strength = {n["name"]: n["strength"] for n in graph["nodes"]}
    assert strength == {"A": 2, "B": 2, "C": 2, "D": 3, "E": 2, "F": 1, "G": 0}
    assert (graph["weighting"], graph["excluded_kinds"]) == ("shared", [])  # every kind, by default
    assert "1/(n-1)" in graph["method"]

    body = client.get(f"{API}/network/metrics", params={"limit": 3}).json()
    assert (body["nodes"], body["edges"]) == (7, 7)
    assert body["methods"]["betweenness"].startswith("exact") and "1/weight" in body["methods"]["betweenness"]
    assert body["methods"]["links"] == graph["method"]
    # Links are 2/3 long (A-B, D-E), 1 (C-D) or 2. C lies on the 6 shortest paths between
    # {A, B} and {D, E, F}, D on the 6 between {A, B, C} and {E, F}, of the 15 pairs not
    # involving each.
    top = body["top_betweenness"]
    assert {top[0]["id"], top[1]["id"]} == {ids["C"], ids["D"]} and top[0]["value"] == pytest.approx(0.4)
    # The triangles: m = 6, inside 2.5 each, strengths 6 each: 2 x (2.5/6 - (6/12)^2).
    assert [c["size"] for c in body["communities"]] == [3, 3]
    assert body["modularity"] == pytest.approx(1 / 3)
    brokers = {b["id"]: (b["communities_bridged"], b["sectors_bridged"]) for b in body["brokers"]}
    assert brokers == {ids["C"]: (2, 2), ids["D"]: (2, 1)}  # the only ones on a path
    assert [r["value"] for r in body["top_strength"]] == [3, 2, 2]
    assert body["cross_sector"] == {
        "collaborations": 5,
        "cross_sector": 0.4,  # ABC and CD
        "business_academia": 0.2,
        "public_private": 0.2,
    }
    invite = body["to_invite"]
    assert (invite["without_collaboration"], invite["new_to_innovation"]) == (1, 1)
    assert invite["first"][0]["id"] == ids["G"]

    # Counted: m = 9, inside 4 each, degrees summing to 9 each: 2 x (4/9 - 1/4).
    counted = client.get(f"{API}/network/metrics", params={"weighting": "count"}).json()
    assert [c["size"] for c in counted["communities"]] == [3, 3]
    assert counted["modularity"] == pytest.approx(7 / 18)
    assert {b["id"] for b in counted["brokers"]} == {ids["C"], ids["D"]}


def test_filters_narrow_the_graph(client: TestClient) -> None:
    world = _two_triangles(client)
    by_mission = client.get(f"{API}/network", params={"mission": world["mission"]["id"]}).json()
    assert len(by_mission["edges"]) == 3  # only A-B-C serves the mission
    universities = client.get(f"{API}/network", params={"kind": "university"}).json()
    assert len(universities["nodes"]) == 2 and len(universities["edges"]) == 1
    problem(client.get(f"{API}/network", params={"kind": "castle"}), 422)
    problem(client.get(f"{API}/network", params={"to": "0"}), 422, "query.to")  # not a Unix time
    problem(client.get(f"{API}/network", params={"from": "20210101"}), 422, "query.from")
    problem(client.get(f"{API}/network", params={"area": "E99999999"}), 404)


def test_answers_are_cached_until_the_data_changes(client: TestClient) -> None:
    world = _two_triangles(client)
    first = client.get(f"{API}/network/metrics").json()
    again = client.get(f"{API}/network/metrics").json()
    assert (first["cached"], again["cached"]) == (False, True)
    assert {**again, "cached": False} == first
    checks.patch(client, f"{API}/stakeholders/{world['orgs']['G']['id']}", {"name": "G Ltd"})
    after = client.get(f"{API}/network/metrics").json()
    assert after["cached"] is False and after["data_version"] > first["data_version"]


def _a_draft_edge(client: TestClient, client_as: Callable[..., TestClient]) -> None:
    """Two organisations joined only by a partner's proposal (a draft collaboration)."""
    a, b = factories.stakeholder(client), factories.stakeholder(client)
    proposal = client_as("partner", a["id"]).post(
        f"{API}/collaborations", json={"title": "P", "kind": "project"}
    )
    factories.participant(client, proposal.json()["id"], b["id"])


def test_drafts_are_not_in_the_public_network(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    _a_draft_edge(client, client_as)
    assert anon.get(f"{API}/network").json()["edges"] == []
    assert len(client.get(f"{API}/network").json()["edges"]) == 1


def _meeting_and_projects(client: TestClient, meeting: str = "working_group") -> list[str]:
    """A meeting of all five (A-E), and three projects along a chain: A-B, B-C, C-D."""
    kinds = ["university", "business", "local_authority", "third_sector", "public_body"]
    ids = [factories.stakeholder(client, name=n, kind=k)["id"] for n, k in zip("ABCDE", kinds, strict=True)]
    for kind, members in ((meeting, ids), *(("project", ids[i : i + 2]) for i in range(3))):
        collaboration = factories.collaboration(client, kind=kind)
        for member in members:
            factories.participant(client, collaboration["id"], member)
    return ids


def _measures(client: TestClient, ids: list[str], **params: str | list[str]) -> dict[str, Any]:
    graph = client.get(f"{API}/network", params=params).json()
    body = client.get(f"{API}/network/metrics", params=params).json()
    name = dict(zip(ids, "ABCDE", strict=True))
    return {
        "edges": len(graph["edges"]),
        "strength": {name[n["id"]]: n["strength"] for n in graph["nodes"]},
        "betweenness": {name[r["id"]]: r["value"] for r in body["top_betweenness"] if r["value"]},
        "brokers": sorted(name[b["id"]] for b in body["brokers"]),
        "modularity": body["modularity"],
        "excluded": body["excluded_kinds"],
        "weighting": body["weighting"],
        "method": body["methods"]["links"],
    }


def test_governance_and_events_are_left_out_when_asked(client: TestClient) -> None:
    ids = _meeting_and_projects(client)
    governance = ["board", "event", "working_group"]
    # The projects alone: a path A-B-C-D (each link 1), E alone. B lies on A-C and A-D, C on
    # A-D and B-D: 2 of the 6 pairs not involving each. Communities {A, B} and {C, D}: m = 3,
    # inside 2, strengths 3 and 3: 2/3 - 2 x (3/6)^2 = 1/6.
    found = _measures(client, ids, exclude=governance)
    assert found == {
        "edges": 3,
        "strength": {"A": 1, "B": 2, "C": 2, "D": 1, "E": 0},
        "betweenness": pytest.approx({"B": 1 / 3, "C": 1 / 3}),
        "brokers": ["B", "C"],
        "modularity": pytest.approx(1 / 6),
        "excluded": ["board", "event", "working_group"],
        "weighting": "shared",
        "method": found["method"],
    }
    assert "of every kind but board, event, working_group are counted" in found["method"]
    # Named in another order, the same answer: one cache entry for both.
    again = client.get(f"{API}/network/metrics", params={"exclude": ["working_group", "board", "event"]})
    assert again.json()["cached"] is True


def test_a_meeting_counts_a_quarter_per_pair_when_included(client: TestClient) -> None:
    ids = _meeting_and_projects(client)
    # Every pair meets (1/4 each, of 5); the chain's pairs add 1: lengths 0.8 along it, 4 across.
    # Paths run as before along the chain; E's are all direct. Strength = collaborations.
    for exclude in ("", "board"):  # by default ("") every kind counts
        found = _measures(client, ids, **({"exclude": exclude} if exclude else {}))
        assert found["edges"] == 10 and found["excluded"] == (["board"] if exclude == "board" else [])
        assert found["strength"] == {"A": 2, "B": 3, "C": 3, "D": 2, "E": 1}
        assert found["betweenness"] == pytest.approx({"B": 1 / 3, "C": 1 / 3})
        assert found["brokers"] == ["B", "C"]
    graph = client.get(f"{API}/network").json()
    ab = next(e for e in graph["edges"] if {e["source"], e["target"]} == set(ids[:2]))
    assert (ab["weight"], ab["strength"]) == (2, 1.25)
    assert "of every kind are counted" in graph["method"]


def test_counted_the_meeting_hides_the_projects_as_before_weighting(client: TestClient) -> None:
    ids = _meeting_and_projects(client, meeting="event")
    found = _measures(client, ids, weighting="count")
    # All five adjacent: no path runs through anyone, so no brokers. Strength sums the counts:
    # A: 2 with B, 1 each with C, D, E.
    assert (found["edges"], found["betweenness"], found["brokers"]) == (10, {}, [])
    assert found["strength"] == {"A": 5, "B": 6, "C": 6, "D": 5, "E": 4}
    assert found["weighting"] == "count" and "adds 1 to each pair" in found["method"]


def test_exclusions_and_weightings_are_checked(client: TestClient) -> None:
    ids = _meeting_and_projects(client, meeting="board")
    assert _measures(client, ids)["edges"] == 10
    assert _measures(client, ids, exclude=["board", "board"])["excluded"] == ["board"]  # once each
    problem(client.get(f"{API}/network", params={"exclude": "castle"}), 422, "query.exclude.0")
    problem(client.get(f"{API}/network/metrics", params={"weighting": "heavy"}), 422, "query.weighting")


def _seed_pairs(skip: set[str]) -> set[frozenset[str]]:
    """Pairs of organisations sharing a collaboration in the roadmap's own file, by key."""
    seed = json.loads(loader.WEST_MIDLANDS.read_text())
    return {
        frozenset(pair)
        for c in seed["collaborations"]
        if c["kind"] not in skip
        for pair in combinations(sorted({p["stakeholder"] for p in c["participants"]}), 2)
    }


def test_the_roadmaps_network(client: TestClient, session_factory: Any) -> None:
    with session_factory() as session:
        loader.load(session)
        session.commit()
    body = client.get(f"{API}/network/metrics").json()
    assert body["nodes"] == 49 and body["edges"] == len(_seed_pairs(set()))
    governance = {"exclude": ["board", "event", "working_group"]}
    without = client.get(f"{API}/network/metrics", params=governance).json()
    assert without["edges"] == len(_seed_pairs({"board", "event", "working_group"}))
    assert body["communities"] and all(b["betweenness"] > 0 for b in body["brokers"])
    everything = client.get(f"{API}/network").json()
    assert len(everything["edges"]) == len(_seed_pairs(set()))
    # The steering group of 16: a pair of its members sharing nothing else is linked by 1/15.
    assert min(e["strength"] for e in everything["edges"]) == pytest.approx(1 / 15)
    reference = nx.Graph()
    reference.add_weighted_edges_from((e["source"], e["target"], e["strength"]) for e in everything["edges"])
    communities: dict[int, set[str]] = {}
    for n in everything["nodes"]:
        if n["community"] is not None:
            communities.setdefault(n["community"], set()).add(n["id"])
    measured = client.get(f"{API}/network/metrics").json()["modularity"]
    assert measured == pytest.approx(nx.community.modularity(reference, communities.values()))


def test_a_network_kept_for_the_signed_in_is_not_given_to_the_public(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    _a_draft_edge(client, client_as)
    reader = client_as("reader")
    assert len(reader.get(f"{API}/network").json()["edges"]) == 1  # first, with the draft
    assert reader.get(f"{API}/network/metrics").json()["edges"] == 1
    assert anon.get(f"{API}/network").json()["edges"] == []
    public = anon.get(f"{API}/network/metrics").json()
    assert (public["edges"], public["cached"]) == (0, False)
