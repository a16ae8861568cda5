"""The network endpoints over data made through the API."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests import checks, factories
from tests.checks import problem

API = "/api/v1"


def _two_triangles(client: TestClient) -> dict[str, Any]:
    """Two groups joined by one bridge (C-D), plus an organisation in nothing yet."""
    kinds = {"A": "university", "B": "university", "C": "business", "D": "local_authority"}
    kinds |= {"E": "public_body", "F": "lep"}
    orgs = {name: factories.stakeholder(client, name=name, kind=kind) for name, kind in kinds.items()}
    orgs["G"] = factories.stakeholder(client, name="G", kind="business", new_to_innovation=True)
    mission = factories.mission(client)
    outcome = factories.outcome(client, mission["id"])
    for members, outcome_ids in ((["A", "B", "C"], [outcome["id"]]), (["C", "D"], []), (["D", "E", "F"], [])):
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
    assert bridge["weight"] == 1 and len(bridge["collaboration_ids"]) == 1

    body = client.get(f"{API}/network/metrics", params={"limit": 3}).json()
    assert (body["nodes"], body["edges"]) == (7, 7)
    assert body["methods"]["betweenness"].startswith("exact")
    top = body["top_betweenness"]
    assert {top[0]["id"], top[1]["id"]} == {ids["C"], ids["D"]} and abs(top[0]["value"] - 0.4) < 1e-9
    assert [c["size"] for c in body["communities"]] == [3, 3]
    assert {b["id"] for b in body["brokers"][:2]} == {ids["C"], ids["D"]}
    assert body["cross_sector"] == {
        "collaborations": 3,
        "cross_sector": 2 / 3,
        "business_academia": 1 / 3,
        "public_private": 1 / 3,
    }
    invite = body["to_invite"]
    assert (invite["without_collaboration"], invite["new_to_innovation"]) == (1, 1)
    assert invite["first"][0]["id"] == ids["G"]


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


def test_the_roadmaps_network(client: TestClient, session_factory: Any) -> None:
    from api.seed import loader

    with session_factory() as session:
        loader.load(session)
        session.commit()
    body = client.get(f"{API}/network/metrics").json()
    assert body["nodes"] == 49 and body["edges"] > 40
    assert body["communities"] and body["brokers"]


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
