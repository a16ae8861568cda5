"""/api/v1/roadmaps: a region's roadmap for a period; the parent of missions."""

import uuid

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests import checks, factories
from tests.checks import problem
from tests.factories import API

URL = f"{API}/roadmaps"


def _titles(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["title"] for r in response.json()["items"]]


@pytest.fixture
def region(client: TestClient) -> dict:
    return factories.area(client, code="E12000005", name="West Midlands", kind="region")


@pytest.fixture
def roadmap(client: TestClient, region: dict) -> dict:
    return factories.roadmap(
        client,
        key="wm-digital-roadmap",
        title="West Midlands Digital Roadmap",
        summary="Five missions.",
        area_id="E12000005",
        period_start="2021-01-01",
        period_end="2026-03-31",
    )


# --- happy path ---------------------------------------------------------------------------


def test_create_returns_201_with_location_and_etag(client, region):
    response = client.post(
        URL,
        json={
            "key": "wm-digital-roadmap",
            "title": "West Midlands Digital Roadmap",
            "summary": "Five missions.",
            "area_id": "E12000005",
            "period_start": "2021-01-01",
            "period_end": "2026-03-31",
        },
    )
    roadmap = checks.created(client, response)
    assert roadmap["key"] == "wm-digital-roadmap"
    assert roadmap["area_id"] == region["id"]
    assert roadmap["period_start"] == "2021-01-01"
    assert roadmap["period_end"] == "2026-03-31"


def test_get_and_list(client, roadmap):
    assert checks.fetch(client, f"{URL}/{roadmap['id']}") == roadmap
    other = factories.roadmap(client, title="Another Roadmap")
    assert client.get(URL).json() == {"items": [other, roadmap], "next_cursor": None}


def test_patch_bumps_the_version_once(client, roadmap):
    after = checks.check_patch_versions(
        client,
        f"{URL}/{roadmap['id']}",
        {"title": "WM Digital Roadmap 2", "area_id": None, "period_end": "2027-03-31"},
    )
    assert after["title"] == "WM Digital Roadmap 2"
    assert after["area_id"] is None
    assert after["period_end"] == "2027-03-31"
    assert after["key"] == roadmap["key"]


def test_if_match_is_required_and_checked(client, roadmap):
    checks.check_preconditions(client, f"{URL}/{roadmap['id']}", {"title": "Changed"})


def test_delete_then_404(client, roadmap):
    checks.check_delete(client, f"{URL}/{roadmap['id']}")
    assert client.get(URL).json()["items"] == []
    # The area it covered is free to go.
    assert checks.delete(client, f"{API}/areas/E12000005").status_code == 204


# --- errors -------------------------------------------------------------------------------


def test_unknown_roadmap_is_404(client):
    checks.check_not_found(client, f"{URL}/{uuid.uuid4()}")


def test_create_rejects_invalid_bodies(client, region):
    cases = [
        ({"title": "T"}, "body.key"),
        ({"key": "k"}, "body.title"),
        ({"key": "Not A Slug", "title": "T"}, "body.key"),
        ({"key": "k", "title": ""}, "body.title"),
        ({"key": "k", "title": "T", "period_start": "someday"}, "body.period_start"),
        ({"key": "k", "title": "T", "period_start": 20210101}, "body.period_start"),
        ({"key": "k", "title": "T", "owner": "me"}, "body.owner"),
        ({"key": "k", "title": "T", "area_id": "E99999999"}, "body.area_id"),
        ({"key": "k", "title": "T", "area_id": str(uuid.uuid4())}, "body.area_id"),
    ]
    for body, field in cases:
        problem(client.post(URL, json=body), 422, field)
    backwards = {"key": "k", "title": "T", "period_start": "2026-01-01", "period_end": "2021-01-01"}
    problem(client.post(URL, json=backwards), 422, "body.period_end")
    assert client.get(URL).json()["items"] == []


def test_patch_rejects_invalid_bodies_and_changes_nothing(client, roadmap):
    url = f"{URL}/{roadmap['id']}"
    cases = [
        ({"title": None}, "body.title"),
        ({"key": None}, "body.key"),
        ({"key": "Not A Slug"}, "body.key"),
        ({"owner": "me"}, "body.owner"),
        ({"version": 3}, "body.version"),
        ({"area_id": "E99999999"}, "body.area_id"),
        ({"period_end": "2020-12-31"}, "body.period_end"),
        ({"period_start": "2030-01-01"}, "body.period_end"),
    ]
    for body, field in cases:
        problem(checks.patch(client, url, body), 422, field)
    assert checks.fetch(client, url) == roadmap


def test_duplicate_key_is_409(client, roadmap):
    problem(client.post(URL, json={"key": "wm-digital-roadmap", "title": "Copy"}), 409)
    other = factories.roadmap(client, key="other")
    problem(checks.patch(client, f"{URL}/{other['id']}", {"key": "wm-digital-roadmap"}), 409)
    assert checks.fetch(client, f"{URL}/{other['id']}") == other
    assert len(client.get(URL).json()["items"]) == 2


def test_delete_of_a_roadmap_with_missions_is_409(client, roadmap):
    mission = factories.mission(client, roadmap["id"])
    checks.check_delete_conflict(client, f"{URL}/{roadmap['id']}")
    assert checks.delete(client, f"{API}/missions/{mission['id']}").status_code == 204
    assert checks.delete(client, f"{URL}/{roadmap['id']}").status_code == 204


# --- lists: filters and pagination -------------------------------------------------------


def test_filter_by_area_and_text(client, roadmap):
    factories.roadmap(client, title="Black Country plan", summary="Fibre first")
    assert _titles(client.get(URL, params={"area": "E12000005"})) == ["West Midlands Digital Roadmap"]
    assert _titles(client.get(URL, params={"q": "digital ROADMAP"})) == ["West Midlands Digital Roadmap"]
    assert _titles(client.get(URL, params={"q": "fibre"})) == ["Black Country plan"]
    assert _titles(client.get(URL, params={"q": "%"})) == []
    problem(client.get(URL, params={"area": "E99999999"}), 404)


def test_pagination_walks_every_roadmap_once_in_order(client):
    titles = [f"Plan {letter}" for letter in "DGABFCE"]
    for title in titles:
        factories.roadmap(client, title=title)
    checks.check_pagination(client, URL, "title", sorted(titles))
    checks.check_pagination(
        client, URL, "key", sorted(r["key"] for r in client.get(URL).json()["items"]), default_sort=False
    )
    checks.check_pagination_errors(client, URL, "title")


# --- Idempotency-Key -------------------------------------------------------------------


def test_idempotency_key_replays_the_first_answer(client):
    def count() -> int:
        return len(client.get(URL, params={"q": "Idempotent"}).json()["items"])

    checks.check_idempotent_post(
        client,
        URL,
        {"key": "idem", "title": "Idempotent plan"},
        {"key": "idem", "title": "Idempotent plan v2"},
        count,
    )
