"""Listing a page costs the same handful of queries whatever its size (no N+1)."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

N = 60


@pytest.fixture
def populated(client: TestClient) -> dict[str, str]:
    def post(path: str, body: dict) -> dict:
        r = client.post(path, json=body)
        assert r.status_code == 201, r.text
        return r.json()

    region = post("/api/v1/areas", {"code": "E12000005", "name": "West Midlands", "kind": "region"})
    roadmap = post("/api/v1/roadmaps", {"key": "r", "title": "Roadmap"})
    mission = post(
        "/api/v1/missions", {"roadmap_id": roadmap["id"], "code": "M1", "title": "M", "foundation": "access"}
    )
    outcome = post("/api/v1/outcomes", {"mission_id": mission["id"], "code": "M1.1", "title": "O"})
    metric = post(
        "/api/v1/metrics",
        {
            "code": "m",
            "name": "M",
            "unit": "percent",
            "direction": "higher_is_better",
            "outcome_ids": [outcome["id"]],
        },
    )
    for i in range(N):
        org = post(
            "/api/v1/stakeholders",
            {
                "name": f"Org {i:03}",
                "kind": "business",
                "sectors": ["digital", f"s{i}"],
                "area_ids": [region["id"]],
            },
        )
        collab = post(
            "/api/v1/collaborations",
            {
                "title": f"Project {i:03}",
                "kind": "project",
                "outcome_ids": [outcome["id"]],
                "area_ids": [region["id"]],
            },
        )
        post(
            f"/api/v1/collaborations/{collab['id']}/participants",
            {"stakeholder_id": org["id"], "role": "lead"},
        )
        post(
            f"/api/v1/metrics/{metric['id']}/observations",
            {"area_id": "E12000005", "value": str(i), "date": str(date(2020, 1, 1) + timedelta(days=i))},
        )
    return {"metric": metric["id"]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/stakeholders",
        "/api/v1/collaborations",
        "/api/v1/metrics/{metric}/observations",
        "/api/v1/areas",
        "/api/v1/outcomes",
        "/api/v1/metrics",
    ],
)
def test_page_of_50_costs_what_a_page_of_5_costs(
    populated: dict[str, str],
    anon: TestClient,
    count_queries: Callable[[], Any],
    path: str,
) -> None:
    # Anonymous: these are the list's own queries, not the ones that check a key.
    url = path.format(**populated)
    counts = {}
    for limit in (5, 50):
        counter = count_queries()
        page = anon.get(url, params={"limit": limit})
        assert page.status_code == 200
        assert len(page.json()["items"]) == min(limit, len(page.json()["items"]))
        counts[limit] = counter.count
    print(f"{url}: {counts[5]} queries for 5 items, {counts[50]} for 50")
    assert counts[50] == counts[5]
    assert counts[50] <= 3, counter.statements
