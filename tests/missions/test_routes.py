"""/api/v1/missions: the top-level aims of a roadmap (M1…M5)."""

import uuid

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests import checks, factories
from tests.checks import problem
from tests.factories import API

URL = f"{API}/missions"


def _codes(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [m["code"] for m in response.json()["items"]]


@pytest.fixture
def roadmap(client: TestClient) -> dict:
    return factories.roadmap(client, key="wm-digital-roadmap")


@pytest.fixture
def mission(client: TestClient, roadmap: dict) -> dict:
    return factories.mission(
        client,
        roadmap["id"],
        code="M3",
        title="Becoming the UK's best-connected region",
        summary="5G and full fibre.",
        foundation="infrastructure",
    )


# --- happy path ---------------------------------------------------------------------------


def test_create_returns_201_with_location_and_etag(client, roadmap):
    response = client.post(
        URL,
        json={
            "roadmap_id": roadmap["id"],
            "code": "M3",
            "title": "Best-connected region",
            "summary": "5G and full fibre.",
            "foundation": "infrastructure",
        },
    )
    mission = checks.created(client, response)
    assert mission["roadmap_id"] == roadmap["id"]
    assert mission["code"] == "M3"
    assert mission["foundation"] == "infrastructure"
    assert mission["summary"] == "5G and full fibre."


def test_get_and_list(client, roadmap, mission):
    assert checks.fetch(client, f"{URL}/{mission['id']}") == mission
    first = factories.mission(client, roadmap["id"], code="M1")
    assert client.get(URL).json() == {"items": [first, mission], "next_cursor": None}


def test_patch_bumps_the_version_once(client, mission):
    after = checks.check_patch_versions(
        client, f"{URL}/{mission['id']}", {"title": "Best connected", "foundation": "access", "summary": None}
    )
    assert after["title"] == "Best connected"
    assert after["foundation"] == "access"
    assert after["summary"] is None
    assert after["code"] == "M3"


def test_if_match_is_required_and_checked(client, mission):
    checks.check_preconditions(client, f"{URL}/{mission['id']}", {"title": "Changed"})


def test_delete_then_404(client, mission):
    checks.check_delete(client, f"{URL}/{mission['id']}")
    assert client.get(URL).json()["items"] == []


# --- errors -------------------------------------------------------------------------------


def test_unknown_mission_is_404(client):
    checks.check_not_found(client, f"{URL}/{uuid.uuid4()}")


def test_create_rejects_invalid_bodies(client, roadmap):
    ok = {"roadmap_id": roadmap["id"], "code": "M1", "title": "T", "foundation": "data"}
    cases = [
        ({**ok, "foundation": "culture"}, "body.foundation"),
        ({k: v for k, v in ok.items() if k != "foundation"}, "body.foundation"),
        ({k: v for k, v in ok.items() if k != "roadmap_id"}, "body.roadmap_id"),
        ({k: v for k, v in ok.items() if k != "code"}, "body.code"),
        ({k: v for k, v in ok.items() if k != "title"}, "body.title"),
        ({**ok, "code": "M 1"}, "body.code"),
        ({**ok, "title": ""}, "body.title"),
        ({**ok, "priority": 1}, "body.priority"),
        ({**ok, "roadmap_id": str(uuid.uuid4())}, "body.roadmap_id"),
    ]
    for body, field in cases:
        problem(client.post(URL, json=body), 422, field)
    assert client.get(URL).json()["items"] == []


def test_patch_rejects_invalid_bodies_and_changes_nothing(client, mission):
    url = f"{URL}/{mission['id']}"
    cases = [
        ({"code": None}, "body.code"),
        ({"title": None}, "body.title"),
        ({"foundation": None}, "body.foundation"),
        ({"foundation": "culture"}, "body.foundation"),
        ({"code": "M 1"}, "body.code"),
        # A mission stays in its roadmap.
        ({"roadmap_id": str(uuid.uuid4())}, "body.roadmap_id"),
        ({"priority": 1}, "body.priority"),
    ]
    for body, field in cases:
        problem(checks.patch(client, url, body), 422, field)
    assert checks.fetch(client, url) == mission


def test_duplicate_code_within_a_roadmap_is_409(client, roadmap, mission):
    duplicate = {"roadmap_id": roadmap["id"], "code": "M3", "title": "Copy", "foundation": "data"}
    problem(client.post(URL, json=duplicate), 409)
    other = factories.mission(client, roadmap["id"], code="M4")
    problem(checks.patch(client, f"{URL}/{other['id']}", {"code": "M3"}), 409)
    assert checks.fetch(client, f"{URL}/{other['id']}") == other
    # The same code in another roadmap is fine.
    elsewhere = factories.roadmap(client)
    factories.mission(client, elsewhere["id"], code="M3")
    assert _codes(client.get(URL, params={"roadmap": roadmap["id"]})) == ["M3", "M4"]


def test_delete_of_a_mission_with_outcomes_is_409(client, mission):
    outcome = factories.outcome(client, mission["id"])
    checks.check_delete_conflict(client, f"{URL}/{mission['id']}")
    assert checks.delete(client, f"{API}/outcomes/{outcome['id']}").status_code == 204
    assert checks.delete(client, f"{URL}/{mission['id']}").status_code == 204


# --- lists: filters and pagination -------------------------------------------------------


def test_filter_by_roadmap_foundation_and_text(client, roadmap, mission):
    factories.mission(client, roadmap["id"], code="M1", title="Access for all", foundation="access")
    other = factories.roadmap(client)
    factories.mission(
        client, other["id"], code="X1", title="Open data", summary="Data for the 100%", foundation="data"
    )
    assert _codes(client.get(URL, params={"roadmap": roadmap["id"]})) == ["M1", "M3"]
    assert _codes(client.get(URL, params={"roadmap": other["id"]})) == ["X1"]
    assert _codes(client.get(URL, params={"roadmap": str(uuid.uuid4())})) == []
    assert _codes(client.get(URL, params={"foundation": "infrastructure"})) == ["M3"]
    assert _codes(client.get(URL, params={"foundation": "access", "roadmap": other["id"]})) == []
    assert _codes(client.get(URL, params={"q": "CONNECTED"})) == ["M3"]
    assert _codes(client.get(URL, params={"q": "fibre"})) == ["M3"]
    assert _codes(client.get(URL, params={"q": "x1"})) == ["X1"]
    assert _codes(client.get(URL, params={"q": "100%"})) == ["X1"]
    assert _codes(client.get(URL, params={"q": "_"})) == []
    problem(client.get(URL, params={"foundation": "culture"}), 422, "query.foundation")


def test_pagination_walks_every_mission_once_in_order(client, roadmap):
    codes = ["M5", "M2", "M7", "M1", "M6", "M3", "M4"]
    for code in codes:
        factories.mission(client, roadmap["id"], code=code, title=f"Mission {code}")
    factories.mission(client)  # in another roadmap: filtered out
    params = {"roadmap": roadmap["id"]}
    checks.check_pagination(client, URL, "code", sorted(codes), params)
    checks.check_pagination(
        client, URL, "title", [f"Mission {c}" for c in sorted(codes)], params, default_sort=False
    )
    checks.check_pagination_errors(client, URL, "code", params)


# --- Idempotency-Key -------------------------------------------------------------------


def test_idempotency_key_replays_the_first_answer(client, roadmap):
    def count() -> int:
        return len(client.get(URL, params={"roadmap": roadmap["id"]}).json()["items"])

    body = {"roadmap_id": roadmap["id"], "code": "M1", "title": "T", "foundation": "data"}
    checks.check_idempotent_post(client, URL, body, {**body, "title": "Other"}, count)
