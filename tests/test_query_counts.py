"""A request costs the same handful of queries whatever the number of records it covers (no N+1).

Each check counts on a database that holds records, then doubles them and counts again:
an N+1 anywhere (per organisation, collaboration, area, metric value, scheme...) shows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests import factories

N = 60
RECORDS = 3  # then twice as many


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


@dataclass
class World:
    """A mission with an outcome, a metric and a collaboration; `grow` adds organisations."""

    client: TestClient
    ids: dict[str, str] = field(default_factory=dict)
    orgs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        c = self.client
        region = factories.area(c, kind="region")
        mission = factories.mission(c)
        outcome = factories.outcome(c, mission["id"])
        metric = factories.metric(c, outcome_ids=[outcome["id"]])
        hub = factories.collaboration(c, title="Hub", outcome_ids=[outcome["id"]])
        self.ids = {"region": region["id"], "mission": mission["id"], "outcome": outcome["id"]}
        self.ids |= {"metric": metric["id"], "collaboration": hub["id"]}

    def grow(self, count: int) -> None:
        """Each organisation brings its own area, an outcome of the mission with its own metric
        (which measures the first outcome too), values for both metrics in its area, a
        collaboration it leads (the previous one a partner) serving both outcomes, with its own
        baseline, a place in the hub, and a support scheme for its area."""
        c, ids = self.client, self.ids
        for _ in range(count):
            area = factories.area(c, parent_ids=[ids["region"]])
            org = factories.stakeholder(c, area_ids=[area["id"]], sectors=["digital"], size="small")
            outcome = factories.outcome(c, ids["mission"])
            own = factories.metric(c, outcome_ids=[outcome["id"], ids["outcome"]])
            project = factories.collaboration(
                c,
                title=f"Digital skills bootcamp {len(self.orgs)}",
                description="Digital skills for adults.",
                outcome_ids=[ids["outcome"], outcome["id"]],
                area_ids=[area["id"]],
                funding_status="funded",
                funding_amount_pence=100,
            )
            factories.participant(c, project["id"], org["id"], role="lead")
            factories.participant(c, ids["collaboration"], org["id"])
            if self.orgs:
                factories.participant(c, project["id"], self.orgs[-1])
            for metric in (ids["metric"], own["id"]):
                factories.baseline(c, metric, area["id"], value="10", date="2020-01-01")
                factories.target(c, metric, area["id"], value="50", date="2030-01-01")
                factories.observation(c, metric, area["id"], value="20", date="2023-01-01")
                factories.observation(c, metric, area["id"], value="30", date="2024-01-01")
            factories.baseline(
                c, ids["metric"], area["id"], value="1", date="2021-01-01", collaboration_id=project["id"]
            )
            factories.post(
                c,
                "/support-schemes",
                {"name": factories.unique("Scheme "), "offer": "Help.", "area_ids": [area["id"]]},
            )
            self.orgs.append(org["id"])


@pytest.fixture
def world(client: TestClient) -> World:
    return World(client)


INSIGHTS = [
    "/api/v1/missions/{mission}/progress?as_of=2025-01-01",
    "/api/v1/outcomes/{outcome}/progress?as_of=2025-01-01",
    "/api/v1/metrics/{metric}/progress?as_of=2025-01-01",
    "/api/v1/missions/{mission}/contributors",
    "/api/v1/metrics/{metric}/comparison?level=local_authority",
    "/api/v1/support-schemes/match?stakeholder={org}&include_ineligible=true",
    "/api/v1/network",
    "/api/v1/network/metrics",
    "/api/v1/insights/overlaps?min_score=0.1",
]
LISTS = [
    "/api/v1/stakeholders?limit=50",
    "/api/v1/collaborations?limit=50",
    "/api/v1/areas?limit=50",
    "/api/v1/outcomes?limit=50",
    "/api/v1/metrics?limit=50",
    "/api/v1/metrics/{metric}/observations?limit=50",
    "/api/v1/metrics/{metric}/baselines?limit=50",
    "/api/v1/support-schemes?limit=50",
    "/api/v1/collaborations/{collaboration}/participants?limit=50",
]


def _count(anon: TestClient, count_queries: Callable[[], Any], url: str) -> tuple[int, Any, list[str]]:
    counter = count_queries()
    response = anon.get(url)
    assert response.status_code == 200, response.text
    return counter.count, response.json(), counter.statements


@pytest.mark.parametrize("path", LISTS + INSIGHTS)
def test_twice_the_records_cost_no_more_queries(
    world: World, anon: TestClient, count_queries: Callable[[], Any], path: str
) -> None:
    world.grow(RECORDS)
    url = path.format(**world.ids, org=world.orgs[1])
    before, first, _ = _count(anon, count_queries, url)
    world.grow(RECORDS)
    after, second, statements = _count(anon, count_queries, url)
    print(f"{url}: {before} queries for {RECORDS} organisations, {after} for {2 * RECORDS}")
    assert first != second, "the second answer covers the new records"
    assert after == before, statements


@pytest.mark.parametrize("path", INSIGHTS)
def test_a_repeated_insight_is_answered_from_the_cache(
    world: World, anon: TestClient, count_queries: Callable[[], Any], path: str
) -> None:
    world.grow(RECORDS)
    url = path.format(**world.ids, org=world.orgs[1])
    _, first, _ = _count(anon, count_queries, url)
    queries, again, statements = _count(anon, count_queries, url)
    assert again == {**first, "cached": True} if "cached" in first else again == first
    assert queries == 1, statements  # the data version, and nothing else
