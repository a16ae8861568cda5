"""The Innovation Tracker: stories are drafts until an editor publishes them."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests import checks, factories
from tests.checks import problem

URL = "/api/v1/stories"


def test_a_story_links_what_it_is_about(client: TestClient) -> None:
    org, mission, metric = factories.stakeholder(client), factories.mission(client), factories.metric(client)
    collaboration = factories.collaboration(client)
    body = {
        "title": "Devices on loan",
        "kind": "success",
        "summary": "2,000 adults online.",
        "stakeholder_ids": [org["id"], org["id"]],
        "collaboration_ids": [collaboration["id"]],
        "mission_ids": [mission["id"]],
        "metric_id": metric["id"],
    }
    story = checks.created(client, client.post(URL, json=body))
    assert story["publication"] == "draft"
    assert story["stakeholder_ids"] == [org["id"]] and story["mission_ids"] == [mission["id"]]
    listed = client.get(URL, params={"stakeholder": org["id"]}).json()["items"]
    assert [s["id"] for s in listed] == [story["id"]]
    assert client.get(URL, params={"mission": factories.mission(client)["id"]}).json()["items"] == []
    problem(client.post(URL, json={**body, "mission_ids": ["nope"]}), 422, "body.mission_ids")
    problem(client.post(URL, json={**body, "metric_id": "nope"}), 422, "body.metric_id")
    problem(client.post(URL, json={**body, "kind": "triumph"}), 422, "body.kind")


def test_only_published_stories_are_public(client: TestClient, anon: TestClient) -> None:
    body = {"title": "Lesson", "kind": "lesson", "summary": "Start with the users."}
    story = client.post(URL, json=body).json()
    problem(anon.get(f"{URL}/{story['id']}"), 404)
    assert anon.get(URL).json()["items"] == []
    checks.patch(client, f"{URL}/{story['id']}", {"publication": "published"})
    assert checks.fetch(anon, f"{URL}/{story['id']}")["publication"] == "published"
    assert [s["id"] for s in anon.get(URL).json()["items"]] == [story["id"]]


def test_partners_write_drafts_about_themselves(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    mine, theirs = factories.stakeholder(client), factories.stakeholder(client)
    partner = client_as("partner", mine["id"])
    body = {"title": "Our pilot", "kind": "lesson", "summary": "Too ambitious."}
    problem(partner.post(URL, json=body), 403)  # about no one
    problem(partner.post(URL, json={**body, "stakeholder_ids": [theirs["id"]]}), 403)
    problem(
        partner.post(URL, json={**body, "stakeholder_ids": [mine["id"]], "publication": "published"}), 403
    )
    story = checks.created(partner, partner.post(URL, json={**body, "stakeholder_ids": [mine["id"]]}))
    url = f"{URL}/{story['id']}"
    assert checks.patch(partner, url, {"summary": "Smaller next time."}).status_code == 200
    problem(checks.patch(partner, url, {"stakeholder_ids": [theirs["id"]]}, '"2"'), 403)  # giving it away
    problem(checks.patch(partner, url, {"publication": "published"}, '"2"'), 403)
    problem(checks.delete(client_as("partner", theirs["id"]), url), 403)
    assert checks.delete(partner, url).status_code == 204
