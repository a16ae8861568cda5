"""The audit trail: every write leaves a change; history per record; the feed in order."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests import checks, factories
from tests.checks import problem

API = "/api/v1"
FEED = f"{API}/changes"


def test_every_write_is_recorded_with_who_when_and_what(client_as: Callable[..., TestClient]) -> None:
    editor = client_as("editor")
    made = editor.post(
        f"{API}/stakeholders", json={"name": "Acme", "kind": "business"}, headers={"X-Request-ID": "req-1"}
    )
    url = f"{API}/stakeholders/{made.json()['id']}"
    assert made.headers["x-request-id"] == "req-1"
    assert checks.patch(editor, url, {"name": "Acme Ltd", "sectors": ["digital"]}).status_code == 200
    assert checks.delete(editor, url).status_code == 204

    history = editor.get(f"{url}/history").json()["items"]
    assert [c["action"] for c in history] == ["delete", "update", "create"]  # newest first
    assert [c["version"] for c in history] == [None, 2, 1]
    assert all(c["actor"] == {"kind": "key", "id": c["actor"]["id"], "name": "test editor"} for c in history)
    assert history[2]["request_id"] == "req-1"
    assert history[0]["request_id"] not in (None, "req-1")  # generated for each request
    assert sorted((c["field"], c["before"], c["after"]) for c in history[1]["changes"]) == [
        ("name", "Acme", "Acme Ltd"),
        ("sectors", [], ["digital"]),
    ]
    assert history[1]["state"]["name"] == "Acme Ltd"
    assert history[0]["state"] is None
    assert history[0]["sequence"] > history[1]["sequence"] > history[2]["sequence"]


def test_a_patch_that_changes_nothing_records_nothing(client: TestClient) -> None:
    area = factories.area(client, name="Same")
    url = f"{API}/areas/{area['id']}"
    assert checks.patch(client, url, {"name": "Same"}).status_code == 200
    assert len(client.get(f"{url}/history").json()["items"]) == 1


def test_history_needs_a_key_and_a_record_that_is_or_was(client: TestClient, anon: TestClient) -> None:
    area = factories.area(client)
    problem(anon.get(f"{API}/areas/{area['id']}/history"), 401)
    problem(client.get(f"{API}/areas/no-such-area/history"), 404)
    problem(client.get(f"{API}/areas/{area['id']}/history", params={"cursor": "x1"}), 422, "query.cursor")


def test_history_pages_follow_the_cursor(client: TestClient) -> None:
    area = factories.area(client, name="v1")
    url = f"{API}/areas/{area['id']}"
    for version in range(1, 5):
        checks.patch(client, url, {"name": f"v{version + 1}"}, f'"{version}"')
    first = client.get(f"{url}/history", params={"limit": 3})
    assert [c["version"] for c in first.json()["items"]] == [5, 4, 3]
    assert 'rel="next"' in first.headers["link"]
    rest = client.get(f"{url}/history", params={"limit": 3, "cursor": first.json()["next_cursor"]}).json()
    assert [c["version"] for c in rest["items"]] == [2, 1]
    assert rest["next_cursor"] is None


def test_sub_resources_have_history_too(client: TestClient) -> None:
    collaboration = factories.collaboration(client)
    member = factories.participant(client, collaboration["id"])
    url = f"{API}/collaborations/{collaboration['id']}/participants/{member['id']}"
    checks.patch(client, url, {"role": "funder"})
    changes = client.get(f"{url}/history").json()["items"]
    parent = collaboration["id"]
    assert [(c["action"], c["parent_id"]) for c in changes] == [("update", parent), ("create", parent)]
    value = factories.observation(client)
    history = client.get(f"{API}/metrics/{value['metric_id']}/observations/{value['id']}/history").json()
    assert [c["action"] for c in history["items"]] == ["create"]


def test_deleting_a_collaboration_records_its_participants_leaving(client: TestClient) -> None:
    collaboration = factories.collaboration(client)
    member = factories.participant(client, collaboration["id"])
    checks.delete(client, f"{API}/collaborations/{collaboration['id']}")
    url = f"{API}/collaborations/{collaboration['id']}/participants/{member['id']}/history"
    assert [c["action"] for c in client.get(url).json()["items"]] == ["delete", "create"]


def test_the_feed_starts_where_you_left_off(client: TestClient, anon: TestClient) -> None:
    problem(anon.get(FEED), 401)
    start = client.get(FEED, params={"limit": 500})
    while start.json()["more"]:
        start = client.get(FEED, params={"after": start.json()["next_cursor"], "limit": 500})
    cursor = start.json()["next_cursor"]
    nothing = client.get(FEED, params={"after": cursor}).json()
    assert nothing == {"items": [], "next_cursor": cursor, "more": False}

    area = factories.area(client)
    org = factories.stakeholder(client)
    page = client.get(FEED, params={"after": cursor, "limit": 1}).json()
    assert [(c["resource"], c["resource_id"]) for c in page["items"]] == [("areas", area["id"])]
    assert page["more"] is True
    page = client.get(FEED, params={"after": page["next_cursor"]}).json()
    assert [(c["resource"], c["resource_id"]) for c in page["items"]] == [("stakeholders", org["id"])]
    only = client.get(FEED, params={"after": cursor, "resource": "stakeholders"}).json()
    assert [c["resource_id"] for c in only["items"]] == [org["id"]]
    problem(client.get(FEED, params={"after": "-1"}), 422, "query.after")
    problem(client.get(FEED, params={"resource": "accounts"}), 422)


def test_the_feed_never_carries_personal_data(client: TestClient) -> None:
    # A phone number no id or timestamp can contain by chance (ids are hex, times digits).
    phone = "+44 121 496 0000"
    person = factories.stakeholder(client, kind="person", name="Ada", email="ada@example.org", phone=phone)
    checks.patch(client, f"{API}/stakeholders/{person['id']}", {"email": "lovelace@example.org"})
    feed = client.get(FEED, params={"resource": "stakeholders", "limit": 500}).json()
    mine = [c for c in feed["items"] if c["resource_id"] == person["id"]]
    assert len(mine) == 2
    text = str(mine)
    assert "example.org" not in text and phone not in text
    assert {"field": "email", "before": None, "after": None, "redacted": True} in mine[1]["changes"]


def test_erasure_removes_a_person_from_the_record_and_the_trail(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    person = factories.stakeholder(
        client, kind="person", name="Ada Lovelace", description="Ada's notes", email="ada@example.org"
    )
    url = f"{API}/stakeholders/{person['id']}"
    checks.patch(client, url, {"description": "Ada Lovelace, ambassador"})
    collaboration = factories.collaboration(client)
    factories.participant(client, collaboration["id"], person["id"], role="ambassador")
    org = factories.stakeholder(client)
    problem(client_as("partner", org["id"]).post(f"{url}/erasure"), 403)
    problem(client.post(f"{API}/stakeholders/{org['id']}/erasure"), 409)

    erased = client.post(f"{url}/erasure")
    assert erased.status_code == 200, erased.text
    body = erased.json()
    assert (body["name"], body["description"], body["email"], body["phone"]) == (
        "Erased person",
        None,
        None,
        None,
    )
    assert erased.headers["etag"] == f'"{body["version"]}"'
    history = client.get(f"{url}/history").json()["items"]
    assert history[0]["action"] == "erase"
    assert all(c["after"] is None and c["before"] is None for c in history[0]["changes"])
    feed = client.get(FEED, params={"resource": "stakeholders", "limit": 500}).json()
    assert "Ada" not in str(history) and "Ada" not in str(feed)
    # The person still takes part, now anonymously.
    listed = client.get(f"{API}/stakeholders", params={"collaboration": collaboration["id"]}).json()
    assert [s["name"] for s in listed["items"]] == ["Erased person"]


def _states(feed: list[dict[str, Any]]) -> dict[tuple[str, str], Any]:
    mirror: dict[tuple[str, str], Any] = {}
    for change in feed:
        key = (change["resource"], change["resource_id"])
        if change["action"] == "delete":
            mirror.pop(key, None)
        else:
            mirror[key] = change["state"]
    return mirror


def test_the_feed_is_every_record_in_the_loaded_roadmap(
    client: TestClient, client_as: Callable[..., TestClient], session_factory: Any
) -> None:
    from api.seed import loader

    with session_factory() as session:
        loader.load(session)
        session.commit()
    items, after = [], None
    while True:
        page = client.get(FEED, params={"after": after, "limit": 500} if after else {"limit": 500}).json()
        items += page["items"]
        after = page["next_cursor"]
        if not page["more"]:
            break
    mirror = _states(items)
    reader = client_as("reader")  # sees what the feed carries: no personal data
    actual: dict[tuple[str, str], Any] = {}
    for resource in (
        "areas",
        "roadmaps",
        "missions",
        "outcomes",
        "metrics",
        "stakeholders",
        "collaborations",
        "support-schemes",
    ):
        for item in reader.get(f"{API}/{resource}", params={"limit": 500}).json()["items"]:
            actual[(resource, item["id"])] = item
    for resource, id_ in list(actual):
        if resource == "metrics":
            for value in reader.get(f"{API}/metrics/{id_}/baselines").json()["items"]:
                actual[("baselines", value["id"])] = value
        if resource == "collaborations":
            for member in reader.get(f"{API}/collaborations/{id_}/participants").json()["items"]:
                actual[("participants", member["id"])] = member
    assert sum(1 for resource, _ in actual if resource == "collaborations") == 41
    assert mirror == actual


def test_recent_changes_are_newest_first_across_records(client: TestClient, anon: TestClient) -> None:
    first = factories.area(client, name="First")
    second = factories.stakeholder(client, name="Second")
    checks.patch(client, f"{API}/areas/{first['id']}", {"name": "First, renamed"})

    recent = client.get(f"{FEED}/recent", params={"limit": 2})
    assert recent.status_code == 200
    items = recent.json()["items"]
    assert [(c["resource"], c["resource_id"], c["action"]) for c in items] == [
        ("areas", first["id"], "update"),
        ("stakeholders", second["id"], "create"),
    ]
    older = client.get(f"{FEED}/recent", params={"limit": 2, "cursor": recent.json()["next_cursor"]})
    assert older.json()["items"][0]["sequence"] < items[1]["sequence"]

    only = client.get(f"{FEED}/recent", params={"resource": "stakeholders", "limit": 1}).json()["items"]
    assert [c["resource_id"] for c in only] == [second["id"]]
    problem(anon.get(f"{FEED}/recent"), 401)
    problem(client.get(f"{FEED}/recent", params={"cursor": "x"}), 422, "query.cursor")
