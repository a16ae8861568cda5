"""/api/v1/collaborations/{id}/participants: who takes part, in which role, when."""

import uuid

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests import checks, factories
from tests.checks import problem
from tests.factories import API

ROLES = ["lead", "partner", "funder", "member", "chair", "coordinator", "ambassador"]


def _url(collaboration: dict) -> str:
    return f"{API}/collaborations/{collaboration['id']}/participants"


def _roles(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [p["role"] for p in response.json()["items"]]


@pytest.fixture
def project(client: TestClient) -> dict:
    return factories.collaboration(client, title="WM5G", kind="programme")


@pytest.fixture
def university(client: TestClient) -> dict:
    return factories.stakeholder(client, name="Coventry University", kind="university")


@pytest.fixture
def lead(client: TestClient, project: dict, university: dict) -> dict:
    return factories.participant(
        client, project["id"], university["id"], role="lead", start_date="2021-01-15", end_date="2023-12-31"
    )


# --- happy path ---------------------------------------------------------------------------


def test_create_returns_201_with_location_and_etag(client, project, university):
    response = client.post(
        _url(project), json={"stakeholder_id": university["id"], "role": "lead", "start_date": "2021-01-15"}
    )
    created = checks.created(client, response)
    assert response.headers["location"].endswith(f"{_url(project)}/{created['id']}")
    assert created["collaboration_id"] == project["id"]
    assert created["stakeholder_id"] == university["id"]
    assert created["role"] == "lead"
    assert created["start_date"] == "2021-01-15"
    assert created["end_date"] is None


def test_get_and_list(client, project, university, lead):
    assert checks.fetch(client, f"{_url(project)}/{lead['id']}") == lead
    funder = factories.participant(client, project["id"], university["id"], role="funder")
    factories.participant(client, factories.collaboration(client)["id"], university["id"])
    page = client.get(_url(project), params={"sort": "role"}).json()
    assert page == {"items": [funder, lead], "next_cursor": None}
    assert _roles(client.get(_url(project), params={"role": "lead"})) == ["lead"]
    problem(client.get(_url(project), params={"role": "boss"}), 422, "query.role")


def test_patch_bumps_the_version_once(client, project, lead):
    after = checks.check_patch_versions(
        client, f"{_url(project)}/{lead['id']}", {"role": "coordinator", "end_date": None}
    )
    assert after["role"] == "coordinator"
    assert after["end_date"] is None
    assert after["start_date"] == "2021-01-15"
    assert after["stakeholder_id"] == lead["stakeholder_id"]


def test_if_match_is_required_and_checked(client, project, lead):
    checks.check_preconditions(client, f"{_url(project)}/{lead['id']}", {"role": "chair"})


def test_delete_then_404(client, project, university, lead):
    checks.check_delete(client, f"{_url(project)}/{lead['id']}")
    assert client.get(_url(project)).json()["items"] == []
    # The collaboration stays; the stakeholder no longer participates and can go.
    checks.fetch(client, f"{API}/collaborations/{project['id']}")
    assert checks.delete(client, f"{API}/stakeholders/{university['id']}").status_code == 204


# --- errors -------------------------------------------------------------------------------


def test_unknown_participant_is_404(client, project):
    checks.check_not_found(client, f"{_url(project)}/{uuid.uuid4()}")


def test_unknown_collaboration_is_404(client, university):
    url = f"{API}/collaborations/{uuid.uuid4()}/participants"
    problem(client.get(url), 404)
    problem(client.post(url, json={"stakeholder_id": university["id"], "role": "lead"}), 404)


def test_a_participant_is_reached_only_through_its_own_collaboration(client, project, lead):
    other = factories.collaboration(client)
    wrong = f"{_url(other)}/{lead['id']}"
    problem(client.get(wrong), 404)
    problem(checks.patch(client, wrong, {"role": "chair"}, "*"), 404)
    problem(checks.delete(client, wrong, "*"), 404)
    assert checks.fetch(client, f"{_url(project)}/{lead['id']}") == lead
    assert client.get(_url(other)).json()["items"] == []


def test_create_rejects_invalid_bodies(client, project, university):
    ok = {"stakeholder_id": university["id"], "role": "lead"}
    cases = [
        ({"role": "lead"}, "body.stakeholder_id"),
        ({"stakeholder_id": university["id"]}, "body.role"),
        ({**ok, "role": "boss"}, "body.role"),
        ({**ok, "role": None}, "body.role"),
        ({**ok, "stakeholder_id": str(uuid.uuid4())}, "body.stakeholder_id"),
        ({**ok, "start_date": "soon"}, "body.start_date"),
        ({**ok, "start_date": "2021-01-15T09:00:00"}, "body.start_date"),
        ({**ok, "collaboration_id": project["id"]}, "body.collaboration_id"),
        ({**ok, "hours": 3}, "body.hours"),
    ]
    for body, field in cases:
        problem(client.post(_url(project), json=body), 422, field)
    backwards = {**ok, "start_date": "2024-02-01", "end_date": "2024-01-31"}
    problem(client.post(_url(project), json=backwards), 422, "body.end_date")
    assert client.get(_url(project)).json()["items"] == []


def test_patch_rejects_invalid_bodies_and_changes_nothing(client, project, lead):
    url = f"{_url(project)}/{lead['id']}"
    cases = [
        ({"role": None}, "body.role"),
        ({"role": "boss"}, "body.role"),
        # A participant stays the same stakeholder in the same collaboration.
        ({"stakeholder_id": str(uuid.uuid4())}, "body.stakeholder_id"),
        ({"collaboration_id": str(uuid.uuid4())}, "body.collaboration_id"),
        # It runs 2021-01-15 to 2023-12-31.
        ({"end_date": "2020-01-01"}, "body.end_date"),
        ({"start_date": "2024-01-01"}, "body.end_date"),
    ]
    for body, field in cases:
        problem(checks.patch(client, url, body), 422, field)
    assert checks.fetch(client, url) == lead


def test_the_same_stakeholder_in_the_same_role_is_409(client, project, university, lead):
    again = {"stakeholder_id": university["id"], "role": "lead"}
    problem(client.post(_url(project), json=again), 409)
    # Another role, or the same role elsewhere, is fine.
    funder = factories.participant(client, project["id"], university["id"], role="funder")
    factories.participant(client, factories.collaboration(client)["id"], university["id"], role="lead")
    url = f"{_url(project)}/{funder['id']}"
    problem(checks.patch(client, url, {"role": "lead"}), 409)
    assert checks.fetch(client, url) == funder
    assert sorted(_roles(client.get(_url(project)))) == ["funder", "lead"]


# --- pagination -------------------------------------------------------------------------


def test_pagination_by_role_walks_every_participant_once(client, project, university):
    for role in ROLES:
        factories.participant(client, project["id"], university["id"], role=role)
    factories.participant(client, factories.collaboration(client)["id"], university["id"])
    checks.check_pagination(client, _url(project), "role", sorted(ROLES), default_sort=False)
    checks.check_pagination_errors(client, _url(project), "role")


def test_pagination_in_the_default_order(client, project):
    made = [factories.participant(client, project["id"], role=role) for role in ROLES]
    items = checks.walk(client, _url(project), {"limit": 3}, via="link")
    assert [p["id"] for p in items] == [p["id"] for p in made]


# --- Idempotency-Key -------------------------------------------------------------------


def test_idempotency_key_replays_the_first_answer(client, project, university):
    def count() -> int:
        return len(client.get(_url(project)).json()["items"])

    body = {"stakeholder_id": university["id"], "role": "member"}
    checks.check_idempotent_post(client, _url(project), body, {**body, "role": "chair"}, count)
