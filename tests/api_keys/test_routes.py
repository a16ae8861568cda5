"""API keys: shown once, stored as a hash, managed by admins or a partner for its own org."""

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlmodel import Session, col

from api import migrate, models
from api.accounts import service as accounts
from api.db import make_engine
from api.enums import AccessRole

URL = "/api/v1/api-keys"
ME = "/api/v1/auth/me"
PASSWORD = "correct horse battery"


@pytest.fixture
def client(anon: TestClient) -> TestClient:
    """Anonymous: these tests send their own credentials on every call."""
    return anon


@pytest.fixture
def orgs(client_as: Callable[..., TestClient]) -> tuple[str, str]:
    admin = client_as("admin")
    a = admin.post("/api/v1/stakeholders", json={"name": "Org A", "kind": "business"}).json()
    b = admin.post("/api/v1/stakeholders", json={"name": "Org B", "kind": "business"}).json()
    return a["id"], b["id"]


@pytest.fixture
def tokens(
    client: TestClient, session_factory: Callable[[], Session], orgs: tuple[str, str]
) -> dict[str, Any]:
    people = {
        "admin": (AccessRole.admin, None),
        "editor": (AccessRole.editor, None),
        "partner_a": (AccessRole.partner, orgs[0]),
    }
    with session_factory() as session:
        for name, (role, org) in people.items():
            accounts.create(session, f"{name}@example.org", PASSWORD, role, org)
        session.commit()
    signed_in = {}
    for name in people:
        pair = client.post(
            "/api/v1/auth/token", data={"username": f"{name}@example.org", "password": PASSWORD}
        )
        signed_in[name] = {"Authorization": f"Bearer {pair.json()['access_token']}"}
    return signed_in


def make_key(client: TestClient, who: dict[str, str], **body: Any) -> Any:
    return client.post(URL, json={"name": "sync", "role": "reader", **body}, headers=who)


def test_the_secret_is_shown_once_and_works_in_either_header(client: TestClient, tokens: dict) -> None:
    made = make_key(client, tokens["admin"])
    assert made.status_code == 201, made.text
    key = made.json()
    assert key["key"].startswith("rk_") and key["prefix"] == key["key"][:11]
    fetched = client.get(made.headers["location"], headers=tokens["admin"]).json()
    assert "key" not in fetched and fetched["prefix"] == key["prefix"]
    assert all("key" not in k for k in client.get(URL, headers=tokens["admin"]).json()["items"])
    for headers in ({"X-API-Key": key["key"]}, {"Authorization": f"Bearer {key['key']}"}):
        me = client.get(ME, headers=headers).json()
        assert (me["kind"], me["name"], me["role"]) == ("key", "sync", "reader")


def test_use_is_noted(client: TestClient, tokens: dict, session: Session) -> None:
    key = make_key(client, tokens["admin"]).json()
    client.get(ME, headers={"X-API-Key": key["key"]})
    stored = session.get(models.ApiKey, key["id"])
    assert stored is not None
    session.refresh(stored)
    assert stored.last_used_at is not None


def test_a_wrong_key_is_401(client: TestClient) -> None:
    r = client.get(ME, headers={"X-API-Key": "rk_not-a-key"})
    assert r.status_code == 401 and "www-authenticate" in r.headers


def test_rotation_replaces_the_secret(client: TestClient, tokens: dict) -> None:
    key = make_key(client, tokens["admin"]).json()
    rotated = client.post(f"{URL}/{key['id']}/rotate", headers=tokens["admin"])
    assert rotated.status_code == 200
    assert client.get(ME, headers={"X-API-Key": key["key"]}).status_code == 401
    assert client.get(ME, headers={"X-API-Key": rotated.json()["key"]}).status_code == 200


def test_revoking_needs_if_match_and_stops_the_key(client: TestClient, tokens: dict) -> None:
    key = make_key(client, tokens["admin"]).json()
    assert client.delete(f"{URL}/{key['id']}", headers=tokens["admin"]).status_code == 428
    gone = client.delete(f"{URL}/{key['id']}", headers={**tokens["admin"], "If-Match": '"1"'})
    assert gone.status_code == 204
    assert client.get(ME, headers={"X-API-Key": key["key"]}).status_code == 401
    assert client.get(f"{URL}/{key['id']}", headers=tokens["admin"]).json()["revoked_at"] is not None


def test_an_expired_key_stops_working(client: TestClient, tokens: dict, session: Session) -> None:
    past = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert make_key(client, tokens["admin"], expires_at=past).status_code == 422
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    key = make_key(client, tokens["admin"], expires_at=soon).json()
    stored = session.get(models.ApiKey, key["id"])
    assert stored is not None
    stored.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    assert client.get(ME, headers={"X-API-Key": key["key"]}).status_code == 401


def test_only_admins_and_partners_manage_keys(client: TestClient, tokens: dict) -> None:
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=tokens["editor"]).status_code == 403
    assert make_key(client, tokens["editor"]).status_code == 403


def test_a_partner_manages_only_its_own_organisations_partner_keys(
    client: TestClient, tokens: dict, orgs: tuple[str, str]
) -> None:
    own = make_key(client, tokens["partner_a"], role="partner")
    assert own.status_code == 201
    assert own.json()["stakeholder_id"] == orgs[0]  # defaults to the partner's organisation
    assert make_key(client, tokens["partner_a"], role="reader").status_code == 403
    assert make_key(client, tokens["partner_a"], role="partner", stakeholder_id=orgs[1]).status_code == 403
    admins = make_key(client, tokens["admin"]).json()
    assert client.get(f"{URL}/{admins['id']}", headers=tokens["partner_a"]).status_code == 404
    listed = client.get(URL, headers=tokens["partner_a"]).json()["items"]
    assert [k["id"] for k in listed] == [own.json()["id"]]


def test_an_organisation_with_keys_cannot_be_deleted(
    client: TestClient, tokens: dict, orgs: tuple[str, str]
) -> None:
    make_key(client, tokens["admin"], role="partner", stakeholder_id=orgs[1])
    refused = client.delete(f"/api/v1/stakeholders/{orgs[1]}", headers={**tokens["admin"], "If-Match": "*"})
    assert refused.status_code == 409 and "API keys" in refused.json()["detail"]


def test_no_secret_is_kept_in_the_audit_trail(client: TestClient, tokens: dict, session: Session) -> None:
    key = make_key(client, tokens["admin"]).json()
    rotated = client.post(f"{URL}/{key['id']}/rotate", headers=tokens["admin"]).json()
    history = client.get(f"{URL}/{key['id']}/history", headers=tokens["admin"])
    changes = session.scalars(select(models.Change).where(col(models.Change.resource_id) == key["id"])).all()
    assert len(changes) == 2
    stored = json.dumps([[c.changes, c.state] for c in changes]) + history.text
    assert key["key"] not in stored and rotated["key"] not in stored
    assert key["prefix"] in stored  # the change is there, only the secret is not


def test_a_migration_removes_secrets_already_recorded(scratch_database: str) -> None:
    engine = make_engine(scratch_database, pool_size=1)
    migrate.downgrade(scratch_database, "0011")
    secret = "rk_leakedsecret"
    leaked = {"id": "k1", "prefix": "rk_leakedse", "key": secret}
    rows = [
        {
            "resource": "api-keys",
            "state": leaked,
            "changes": [{"field": "key", "before": None, "after": secret}],
        },
        {"resource": "stakeholders", "state": {"key": "a stakeholder's own field"}, "changes": []},
    ]
    with engine.begin() as conn:
        for n, row in enumerate(rows):
            conn.execute(
                insert(models.Change).values(
                    id=n + 1, actor_kind="system", actor_name="test", resource_id="k1", action="create", **row
                )
            )
    migrate.upgrade(scratch_database)
    with engine.connect() as conn:
        kept = {r.resource: r for r in conn.execute(select(models.Change))}
    engine.dispose()
    assert kept["api-keys"].state == {"id": "k1", "prefix": "rk_leakedse"} and kept["api-keys"].changes == []
    assert kept["stakeholders"].state == {"key": "a stakeholder's own field"}
