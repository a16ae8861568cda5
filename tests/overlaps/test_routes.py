"""Duplicated effort among collaborations, through the API, with figures worked out by hand."""

from collections.abc import Callable
from math import log, sqrt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests import factories
from tests.checks import problem

URL = "/api/v1/insights/overlaps"


def test_likely_duplicates_are_paired_with_each_part_as_scored(client: TestClient) -> None:
    """Three texts: "cyber", "skill" and "cyber skill" in two (idf 1 + ln(4/3)), "hub" and
    "skill hub" in one (idf 1 + ln(4/2)): cosine = √3·i2 / √(3·i2² + 2·i1²) = 0.681581.
    One organisation, in both: 1 ÷ (1 + 1). The same outcome: 1. Coventry and a ward inside it:
    1, the region beside the ward left out. Score 0.5 · 0.681581 + 0.25 · 0.5 + 0.15 + 0.1."""
    region = factories.area(client, kind="region")
    coventry = factories.area(client, name="Coventry", parent_ids=[region["id"]])
    ward = factories.area(client, kind="ward", parent_ids=[coventry["id"]])
    outcome = factories.outcome(client)
    org = factories.stakeholder(client)
    first = factories.collaboration(
        client, title="Cyber skills", outcome_ids=[outcome["id"]], area_ids=[coventry["id"]]
    )
    second = factories.collaboration(
        client, title="Cyber skills hub", outcome_ids=[outcome["id"]], area_ids=[region["id"], ward["id"]]
    )
    third = factories.collaboration(client, title="Fibre")
    for collaboration in (first, second):
        factories.participant(client, collaboration["id"], org["id"])
    i2, i1 = 1 + log(4 / 3), 1 + log(4 / 2)
    cosine = sqrt(3) * i2 / sqrt(3 * i2**2 + 2 * i1**2)
    assert cosine == pytest.approx(0.681581, abs=1e-6)

    body = client.get(URL).json()
    assert len(body["items"]) == 1
    pair = body["items"][0]
    assert {pair["a"]["id"], pair["b"]["id"]} == {first["id"], second["id"]}
    assert pair["text_similarity"] == pytest.approx(cosine, abs=1e-6)
    assert pair["shared_terms"] == ["cyber skill"]
    assert pair["shared_stakeholder_ids"] == [org["id"]] and pair["member_overlap"] == 0.5
    assert pair["shared_outcome_ids"] == [outcome["id"]] and pair["outcome_overlap"] == 1.0
    assert pair["area_overlap"] == 1.0
    assert pair["score"] == pytest.approx(0.5 * cosine + 0.125 + 0.15 + 0.1, abs=1e-6)  # 0.715791
    assert pair["reasons"] == [
        "Titles and descriptions have 'cyber skill' in common (cosine 0.68).",
        "1 organisation(s) take part in both, of 1 between them.",
        "Serve 1 outcome(s) in common, of 1 between them.",
        "Work in the same or nested places (100% of their areas).",
    ]
    assert client.get(URL, params={"min_score": 0.72}).json()["items"] == []
    problem(client.get(URL, params={"min_score": 2}), 422, "query.min_score")

    # A write shows at once: the organisation joins "Fibre" too, 1 ÷ (1 + 1) with each of them.
    factories.participant(client, third["id"], org["id"])
    pairs = client.get(URL, params={"min_score": 0.1}).json()["items"]
    assert [p["score"] for p in pairs] == [pytest.approx(0.715791, abs=1e-6), 0.125, 0.125]
    assert [p["text_similarity"] for p in pairs[1:]] == [0.0, 0.0]


def test_a_shared_outcome_in_the_same_region_wide_area_is_no_overlap(client: TestClient) -> None:
    """The issue's example: nothing in common to say, one outcome, the combined authority."""
    authority = factories.area(client, kind="combined_authority")
    outcome = factories.outcome(client)
    for title in ("Circular economy platforms", "Congestion and passenger experience"):
        factories.collaboration(client, title=title, outcome_ids=[outcome["id"]], area_ids=[authority["id"]])
    assert client.get(URL, params={"min_score": 0}).json()["items"] == []


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


def test_an_answer_is_kept_per_data_version(
    client: TestClient, anon: TestClient, count_queries: Callable[[], Any]
) -> None:
    for _ in range(2):
        factories.collaboration(client, title="Cyber skills hub")
    first = anon.get(URL).json()
    counter = count_queries()
    assert anon.get(URL).json() == first and len(first["items"]) == 1
    assert counter.count == 1, counter.statements  # the data version, and nothing else
