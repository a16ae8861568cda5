"""A partner proposes a collaboration as a draft; an editor publishes it; the public sees it then."""

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests import checks, factories
from tests.checks import problem

URL = "/api/v1/collaborations"


def test_a_partners_proposal_is_a_draft_it_leads(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    org = factories.stakeholder(client)
    partner = client_as("partner", org["id"])
    made = partner.post(URL, json={"title": "Smart lamp posts", "kind": "project"})
    proposal = checks.created(partner, made)
    assert proposal["publication"] == "draft"
    members = partner.get(f"{URL}/{proposal['id']}/participants").json()["items"]
    assert [(m["stakeholder_id"], m["role"]) for m in members] == [(org["id"], "lead")]
    problem(partner.post(URL, json={"title": "x", "kind": "project", "publication": "published"}), 403)

    # The public does not see a draft, nor its participants; signed-in callers do.
    problem(anon.get(f"{URL}/{proposal['id']}"), 404)
    problem(anon.get(f"{URL}/{proposal['id']}/participants"), 404)
    assert proposal["id"] not in [c["id"] for c in anon.get(URL).json()["items"]]
    assert anon.get(URL, params={"publication": "draft"}).json()["items"] == []
    assert anon.get("/api/v1/stakeholders", params={"collaboration": proposal["id"]}).json()["items"] == []
    reader = client_as("reader")
    assert checks.fetch(reader, f"{URL}/{proposal['id']}")["publication"] == "draft"
    assert [c["id"] for c in reader.get(URL, params={"publication": "draft"}).json()["items"]] == [
        proposal["id"]
    ]

    # The partner edits its draft but cannot publish it; an editor can.
    url = f"{URL}/{proposal['id']}"
    assert checks.patch(partner, url, {"description": "Sensors on lamp posts"}).status_code == 200
    problem(checks.patch(partner, url, {"publication": "published"}, '"2"'), 403)
    published = checks.patch(client_as("editor"), url, {"publication": "published"}, '"2"')
    assert published.status_code == 200 and published.json()["publication"] == "published"
    assert checks.fetch(anon, url)["description"] == "Sensors on lamp posts"
    # Published, it is no longer the partner's to withdraw.
    problem(checks.delete(partner, url), 403)


def test_a_partner_withdraws_its_own_draft(client: TestClient, client_as: Callable[..., TestClient]) -> None:
    org = factories.stakeholder(client)
    partner = client_as("partner", org["id"])
    proposal = partner.post(URL, json={"title": "Idea", "kind": "project"}).json()
    assert checks.delete(partner, f"{URL}/{proposal['id']}").status_code == 204
    problem(client.get(f"{URL}/{proposal['id']}"), 404)


def test_values_measured_on_a_draft_are_not_public(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    org = factories.stakeholder(client)
    proposal = client_as("partner", org["id"]).post(URL, json={"title": "Pilot", "kind": "project"}).json()
    value = factories.observation(client, collaboration_id=proposal["id"])
    public = factories.observation(client, metric_id=value["metric_id"], area_id=value["area_id"])
    listing = f"/api/v1/metrics/{value['metric_id']}/observations"
    assert [v["id"] for v in anon.get(listing).json()["items"]] == [public["id"]]
    problem(anon.get(f"{listing}/{value['id']}"), 404)
    assert len(client.get(listing).json()["items"]) == 2
    assert checks.fetch(client, f"{listing}/{value['id']}")["collaboration_id"] == proposal["id"]
