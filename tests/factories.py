"""Create resources through the API and return their JSON; every default is unique per call."""

import itertools
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1"
_numbers = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_numbers)}"


def gss(letter: str = "E") -> str:
    """A well-formed GSS code no real area uses (E99…)."""
    return f"{letter}99{next(_numbers):06d}"


def post(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"{API}{path}", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def area(client: TestClient, **fields: Any) -> dict[str, Any]:
    return post(client, "/areas", {"name": unique("Area "), "kind": "local_authority", **fields})


def roadmap(client: TestClient, **fields: Any) -> dict[str, Any]:
    return post(client, "/roadmaps", {"key": unique("roadmap-"), "title": unique("Roadmap "), **fields})


def mission(client: TestClient, roadmap_id: str | None = None, **fields: Any) -> dict[str, Any]:
    roadmap_id = roadmap_id or roadmap(client)["id"]
    return post(
        client,
        "/missions",
        {
            "roadmap_id": roadmap_id,
            "code": unique("M"),
            "title": unique("Mission "),
            "foundation": "access",
            **fields,
        },
    )


def outcome(client: TestClient, mission_id: str | None = None, **fields: Any) -> dict[str, Any]:
    mission_id = mission_id or mission(client)["id"]
    return post(
        client,
        "/outcomes",
        {"mission_id": mission_id, "code": unique("O"), "title": unique("Outcome "), **fields},
    )


def stakeholder(client: TestClient, **fields: Any) -> dict[str, Any]:
    return post(client, "/stakeholders", {"name": unique("Stakeholder "), "kind": "business", **fields})


def collaboration(client: TestClient, **fields: Any) -> dict[str, Any]:
    return post(client, "/collaborations", {"title": unique("Collaboration "), "kind": "project", **fields})


def participant(
    client: TestClient, collaboration_id: str, stakeholder_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    stakeholder_id = stakeholder_id or stakeholder(client)["id"]
    return post(
        client,
        f"/collaborations/{collaboration_id}/participants",
        {"stakeholder_id": stakeholder_id, "role": "partner", **fields},
    )


def metric(client: TestClient, **fields: Any) -> dict[str, Any]:
    return post(
        client,
        "/metrics",
        {
            "code": unique("metric-"),
            "name": unique("Metric "),
            "unit": "percent",
            "direction": "higher_is_better",
            **fields,
        },
    )


def day() -> str:
    """A date (ISO) no other call returns."""
    return (date(2000, 1, 1) + timedelta(days=next(_numbers))).isoformat()


def metric_value(
    client: TestClient, kind: str, metric_id: str | None = None, area_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    """A baseline, target or observation (`kind` is the plural: "baselines", …)."""
    metric_id = metric_id or metric(client)["id"]
    area_id = area_id or area(client)["id"]
    return post(
        client, f"/metrics/{metric_id}/{kind}", {"area_id": area_id, "value": "1", "date": day(), **fields}
    )


def baseline(
    client: TestClient, metric_id: str | None = None, area_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    return metric_value(client, "baselines", metric_id, area_id, **fields)


def target(
    client: TestClient, metric_id: str | None = None, area_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    return metric_value(client, "targets", metric_id, area_id, **fields)


def observation(
    client: TestClient, metric_id: str | None = None, area_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    return metric_value(client, "observations", metric_id, area_id, **fields)
