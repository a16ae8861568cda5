"""Two partners, each bound to its own organisation, cannot touch each other's records."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests import checks, factories
from tests.checks import problem

API = "/api/v1"


@pytest.fixture
def two(client: TestClient, client_as: Callable[..., TestClient]) -> dict[str, Any]:
    """Organisations A and B, each leading a collaboration with an observation on it."""
    out: dict[str, Any] = {"metric": factories.metric(client), "area": factories.area(client)}
    for name in ("a", "b"):
        org = factories.stakeholder(client, name=f"Org {name.upper()}")
        collaboration = factories.collaboration(client)
        lead = factories.participant(client, collaboration["id"], org["id"], role="lead")
        value = factories.observation(
            client, out["metric"]["id"], out["area"]["id"], collaboration_id=collaboration["id"]
        )
        out[name] = {
            "org": org,
            "collaboration": collaboration,
            "lead": lead,
            "observation": value,
            "client": client_as("partner", org["id"]),
        }
    return out


def test_a_partner_updates_its_own_organisation_and_not_another(two: dict[str, Any]) -> None:
    a, b = two["a"], two["b"]
    own = checks.patch(a["client"], f"{API}/stakeholders/{a['org']['id']}", {"website": "https://a.example/"})
    assert own.status_code == 200 and own.json()["website"] == "https://a.example/"
    other = f"{API}/stakeholders/{b['org']['id']}"
    problem(checks.patch(a["client"], other, {"name": "Hijacked"}), 403)
    problem(checks.patch(a["client"], other, {"name": "Hijacked"}, "*"), 403)
    assert checks.fetch(b["client"], other)["name"] == "Org B"


def test_every_write_route_refuses_the_other_partner(two: dict[str, Any]) -> None:
    a, b = two["a"], two["b"]
    metric = two["metric"]["id"]
    collab_b = f"{API}/collaborations/{b['collaboration']['id']}"
    values = f"{API}/metrics/{metric}/observations"
    new_value = {"area_id": two["area"]["id"], "value": "1", "date": "2030-01-01"}
    attempts = [
        ("PATCH", f"{API}/stakeholders/{b['org']['id']}", {"description": "x"}),
        ("DELETE", f"{API}/stakeholders/{b['org']['id']}", None),
        ("PATCH", collab_b, {"title": "x"}),
        ("DELETE", collab_b, None),
        ("POST", f"{collab_b}/participants", {"stakeholder_id": a["org"]["id"], "role": "partner"}),
        ("PATCH", f"{collab_b}/participants/{b['lead']['id']}", {"role": "member"}),
        ("DELETE", f"{collab_b}/participants/{b['lead']['id']}", None),
        ("POST", values, {**new_value, "collaboration_id": b["collaboration"]["id"]}),
        ("PATCH", f"{values}/{b['observation']['id']}", {"value": "99"}),
        ("DELETE", f"{values}/{b['observation']['id']}", None),
        # Moving its own observation onto B's collaboration is writing to B's, too.
        ("PATCH", f"{values}/{a['observation']['id']}", {"collaboration_id": b["collaboration"]["id"]}),
        # An observation on no collaboration belongs to no partner.
        ("POST", values, new_value),
        ("POST", f"{API}/stakeholders/{b['org']['id']}/erasure", None),
    ]
    for method, url, body in attempts:
        response = a["client"].request(method, url, json=body, headers={"If-Match": "*"})
        assert response.status_code == 403, (method, url, response.text)
    # Nothing changed, and nothing was recorded as changed.
    for url in (
        f"{API}/stakeholders/{b['org']['id']}",
        collab_b,
        f"{collab_b}/participants/{b['lead']['id']}",
        f"{values}/{b['observation']['id']}",
        f"{values}/{a['observation']['id']}",
    ):
        assert checks.fetch(b["client"], url)["version"] == 1, url
    history = b["client"].get(f"{collab_b}/history").json()["items"]
    assert [c["action"] for c in history] == ["create"]


def test_each_partner_reports_on_its_own_collaboration(two: dict[str, Any]) -> None:
    a = two["a"]
    url = f"{API}/metrics/{two['metric']['id']}/observations"
    body = {"area_id": two["area"]["id"], "value": "12.5", "date": "2031-01-01"}
    made = a["client"].post(url, json={**body, "collaboration_id": a["collaboration"]["id"]})
    checks.created(a["client"], made)
    change = a["client"].get(f"{url}/{made.json()['id']}/history").json()["items"][0]
    assert change["actor"]["name"] == "test partner"
