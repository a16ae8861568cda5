"""Duplicated effort among collaborations, through the API."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests import factories
from tests.checks import problem

URL = "/api/v1/insights/overlaps"


def test_likely_duplicates_are_paired_with_reasons(client: TestClient, session_factory: Any) -> None:
    region = factories.area(client, kind="region")
    coventry = factories.area(client, name="Coventry", parent_ids=[region["id"]])
    outcome = factories.outcome(client)
    org = factories.stakeholder(client)
    first = factories.collaboration(
        client,
        title="Digital skills bootcamps for adults",
        description="Free digital skills bootcamps for unemployed adults.",
        outcome_ids=[outcome["id"]],
        area_ids=[coventry["id"]],
    )
    second = factories.collaboration(
        client,
        title="Adult digital skills bootcamp",
        description="Bootcamps teaching digital skills to unemployed adults.",
        outcome_ids=[outcome["id"]],
        area_ids=[region["id"]],
    )
    factories.collaboration(client, title="5G small cells", description="Street furniture for 5G.")
    for collaboration in (first, second):
        factories.participant(client, collaboration["id"], org["id"])
    body = client.get(URL).json()
    assert len(body["items"]) == 1
    pair = body["items"][0]
    assert {pair["a"]["id"], pair["b"]["id"]} == {first["id"], second["id"]}
    assert pair["shared_outcome_ids"] == [outcome["id"]] and pair["area_overlap"] == 1.0
    assert pair["shared_stakeholder_ids"] == [org["id"]]
    assert len(pair["reasons"]) == 4 and pair["score"] > 0.6
    assert client.get(URL, params={"min_score": 0.99}).json()["items"] == []
    problem(client.get(URL, params={"min_score": 2}), 422, "query.min_score")


def test_the_roadmap_has_overlaps_to_show(client: TestClient, session_factory: Any) -> None:
    from api.seed import loader

    with session_factory() as session:
        loader.load(session)
        session.commit()
    body = client.get(URL, params={"limit": 5}).json()
    assert body["items"], "the loaded roadmap has collaborations serving the same outcomes"
    scores = [p["score"] for p in body["items"]]
    assert scores == sorted(scores, reverse=True)


def test_pairs_kept_for_the_signed_in_are_not_given_to_the_public(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    outcome = factories.outcome(client)
    org = factories.stakeholder(client)
    factories.collaboration(client, title="Digital skills bootcamps", outcome_ids=[outcome["id"]])
    draft = client_as("partner", org["id"]).post(
        "/api/v1/collaborations",
        json={"title": "Digital skills bootcamp", "kind": "project", "outcome_ids": [outcome["id"]]},
    )
    assert draft.status_code == 201
    assert len(client_as("reader").get(URL).json()["items"]) == 1  # first, with the draft
    assert anon.get(URL).json()["items"] == []
