"""/api/v1/outcomes: what a mission wants to change."""

import uuid

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests import checks, factories
from tests.checks import problem
from tests.factories import API

URL = f"{API}/outcomes"


def _codes(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [o["code"] for o in response.json()["items"]]


@pytest.fixture
def mission(client: TestClient) -> dict:
    return factories.mission(client, code="M3")


@pytest.fixture
def outcome(client: TestClient, mission: dict) -> dict:
    return factories.outcome(
        client,
        mission["id"],
        code="M3.2",
        title="Full fibre rollout accelerated",
        description="Above all in the Black Country.",
    )


# --- happy path ---------------------------------------------------------------------------


def test_create_returns_201_with_location_and_etag(client, mission):
    response = client.post(
        URL,
        json={
            "mission_id": mission["id"],
            "code": "M3.2",
            "title": "Full fibre",
            "description": "More of it.",
        },
    )
    outcome = checks.created(client, response)
    assert outcome["mission_id"] == mission["id"]
    assert outcome["code"] == "M3.2"
    assert outcome["title"] == "Full fibre"
    assert outcome["description"] == "More of it."
    assert outcome["metric_ids"] == []


def test_get_and_list(client, mission, outcome):
    assert checks.fetch(client, f"{URL}/{outcome['id']}") == outcome
    first = factories.outcome(client, mission["id"], code="M3.1")
    assert client.get(URL).json() == {"items": [first, outcome], "next_cursor": None}


def test_patch_bumps_the_version_once(client, outcome):
    after = checks.check_patch_versions(
        client, f"{URL}/{outcome['id']}", {"title": "Gigabit everywhere", "description": None}
    )
    assert after["title"] == "Gigabit everywhere"
    assert after["description"] is None
    assert after["code"] == "M3.2"


def test_an_outcome_can_move_to_another_mission(client, outcome):
    other = factories.mission(client)
    response = checks.patch(client, f"{URL}/{outcome['id']}", {"mission_id": other["id"]})
    assert response.status_code == 200
    assert response.json()["mission_id"] == other["id"]
    assert _codes(client.get(URL, params={"mission": other["id"]})) == ["M3.2"]
    assert _codes(client.get(URL, params={"mission": outcome["mission_id"]})) == []


def test_if_match_is_required_and_checked(client, outcome):
    checks.check_preconditions(client, f"{URL}/{outcome['id']}", {"title": "Changed"})


def test_delete_then_404(client, outcome):
    checks.check_delete(client, f"{URL}/{outcome['id']}")
    assert client.get(URL).json()["items"] == []


# --- errors -------------------------------------------------------------------------------


def test_unknown_outcome_is_404(client):
    checks.check_not_found(client, f"{URL}/{uuid.uuid4()}")


def test_code_defaults_to_the_missions_next_number(client, mission, outcome):
    # DESIGN.md fixes mission_id, title and description; the code is ours to number.
    body = {"mission_id": mission["id"], "title": "4G not-spots closed"}
    created = client.post(URL, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["code"] == "M3.3"  # after the fixture's M3.2


def test_create_rejects_invalid_bodies(client, mission):
    ok = {"mission_id": mission["id"], "code": "O1", "title": "T"}
    cases = [
        ({k: v for k, v in ok.items() if k != "mission_id"}, "body.mission_id"),
        ({k: v for k, v in ok.items() if k != "title"}, "body.title"),
        ({**ok, "mission_id": str(uuid.uuid4())}, "body.mission_id"),
        ({**ok, "code": "O 1"}, "body.code"),
        ({**ok, "title": ""}, "body.title"),
        ({**ok, "status": "on_track"}, "body.status"),
        ({**ok, "metric_ids": []}, "body.metric_ids"),
    ]
    for body, field in cases:
        problem(client.post(URL, json=body), 422, field)
    assert client.get(URL).json()["items"] == []


def test_patch_rejects_invalid_bodies_and_changes_nothing(client, outcome):
    url = f"{URL}/{outcome['id']}"
    cases = [
        ({"mission_id": None}, "body.mission_id"),
        ({"code": None}, "body.code"),
        ({"title": None}, "body.title"),
        ({"title": ""}, "body.title"),
        ({"code": "O 1"}, "body.code"),
        ({"mission_id": str(uuid.uuid4())}, "body.mission_id"),
        ({"status": "on_track"}, "body.status"),
    ]
    for body, field in cases:
        problem(checks.patch(client, url, body), 422, field)
    assert checks.fetch(client, url) == outcome


def test_duplicate_code_within_a_mission_is_409(client, mission, outcome):
    problem(client.post(URL, json={"mission_id": mission["id"], "code": "M3.2", "title": "Copy"}), 409)
    sibling = factories.outcome(client, mission["id"], code="M3.3")
    problem(checks.patch(client, f"{URL}/{sibling['id']}", {"code": "M3.2"}), 409)
    assert checks.fetch(client, f"{URL}/{sibling['id']}") == sibling
    # Moving an outcome into a mission that already has its code conflicts too.
    other = factories.mission(client)
    stranger = factories.outcome(client, other["id"], code="M3.2")
    problem(checks.patch(client, f"{URL}/{stranger['id']}", {"mission_id": mission["id"]}), 409)
    assert checks.fetch(client, f"{URL}/{stranger['id']}") == stranger
    assert _codes(client.get(URL, params={"mission": mission["id"]})) == ["M3.2", "M3.3"]


def test_delete_of_an_outcome_a_collaboration_serves_is_409(client, outcome):
    collaboration = factories.collaboration(client, outcome_ids=[outcome["id"]])
    checks.check_delete_conflict(client, f"{URL}/{outcome['id']}")
    url = f"{API}/collaborations/{collaboration['id']}"
    assert checks.patch(client, url, {"outcome_ids": []}).status_code == 200
    assert checks.delete(client, f"{URL}/{outcome['id']}").status_code == 204


# --- lists: filters and pagination -------------------------------------------------------


def test_filter_by_mission_and_text(client, mission, outcome):
    factories.outcome(
        client, mission["id"], code="M3.1", title="5G coverage", description="100% of urban areas"
    )
    other = factories.outcome(client, code="M1.1", title="Digital skills")
    assert _codes(client.get(URL, params={"mission": mission["id"]})) == ["M3.1", "M3.2"]
    assert _codes(client.get(URL, params={"mission": other["mission_id"]})) == ["M1.1"]
    assert _codes(client.get(URL, params={"mission": str(uuid.uuid4())})) == []
    assert _codes(client.get(URL, params={"q": "FIBRE"})) == ["M3.2"]
    assert _codes(client.get(URL, params={"q": "black country"})) == ["M3.2"]
    assert _codes(client.get(URL, params={"q": "m1."})) == ["M1.1"]
    assert _codes(client.get(URL, params={"q": "100%"})) == ["M3.1"]
    assert _codes(client.get(URL, params={"q": "%", "mission": other["mission_id"]})) == []
    assert _codes(client.get(URL, params={"metric": str(uuid.uuid4())})) == []


def test_pagination_walks_every_outcome_once_in_order(client, mission):
    codes = [f"O{n}" for n in (4, 7, 1, 3, 6, 2, 5)]
    for code in codes:
        factories.outcome(client, mission["id"], code=code, title=f"Outcome {code}")
    factories.outcome(client)  # of another mission: filtered out
    params = {"mission": mission["id"]}
    checks.check_pagination(client, URL, "code", sorted(codes), params)
    checks.check_pagination(
        client, URL, "title", [f"Outcome {c}" for c in sorted(codes)], params, default_sort=False
    )
    checks.check_pagination_errors(client, URL, "code", params)


# --- Idempotency-Key -------------------------------------------------------------------


def test_idempotency_key_replays_the_first_answer(client, mission):
    def count() -> int:
        return len(client.get(URL, params={"mission": mission["id"]}).json()["items"])

    body = {"mission_id": mission["id"], "code": "O1", "title": "T"}
    checks.check_idempotent_post(client, URL, body, {**body, "code": "O2"}, count)
