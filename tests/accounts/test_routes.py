"""Administrators manage accounts; disabling one ends its sign-ins at once."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.accounts import service as accounts
from api.enums import AccessRole

URL = "/api/v1/accounts"
PASSWORD = "correct horse battery"


@pytest.fixture
def client(anon: TestClient) -> TestClient:
    """Anonymous: these tests send their own credentials on every call."""
    return anon


@pytest.fixture
def people(client: TestClient, session_factory: Callable[[], Session]) -> dict[str, Any]:
    with session_factory() as session:
        ids = {
            name: accounts.create(session, f"{name}@example.org", PASSWORD, role).id
            for name, role in (("admin", AccessRole.admin), ("editor", AccessRole.editor))
        }
        session.commit()
    signed_in = {}
    for name in ids:
        form = {"username": f"{name}@example.org", "password": PASSWORD}
        token = client.post("/api/v1/auth/token", data=form).json()["access_token"]
        signed_in[name] = {"Authorization": f"Bearer {token}"}
    return {"ids": ids, "headers": signed_in}


def test_only_administrators_list_and_create(client: TestClient, people: dict) -> None:
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=people["headers"]["editor"]).status_code == 403
    listed = client.get(URL, headers=people["headers"]["admin"])
    assert [a["email"] for a in listed.json()["items"]] == ["admin@example.org", "editor@example.org"]
    assert all("password" not in str(a) for a in listed.json()["items"])
    body = {"email": "new@example.org", "password": PASSWORD, "role": "reader"}
    assert client.post(URL, json=body, headers=people["headers"]["editor"]).status_code == 403
    made = client.post(URL, json=body, headers=people["headers"]["admin"])
    assert made.status_code == 201 and made.json()["role"] == "reader"
    assert client.post(URL, json=body, headers=people["headers"]["admin"]).status_code == 409
    partner = {**body, "email": "p@example.org", "role": "partner"}
    refused = client.post(URL, json=partner, headers=people["headers"]["admin"])
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "body.stakeholder_id"


def test_people_see_their_own_account_only(client: TestClient, people: dict) -> None:
    own = client.get(f"{URL}/{people['ids']['editor']}", headers=people["headers"]["editor"])
    assert own.status_code == 200 and own.json()["email"] == "editor@example.org"
    other = client.get(f"{URL}/{people['ids']['admin']}", headers=people["headers"]["editor"])
    assert other.status_code == 403


def test_disabling_an_account_ends_its_sign_ins(client: TestClient, people: dict) -> None:
    url, admin = f"{URL}/{people['ids']['editor']}", people["headers"]["admin"]
    assert client.patch(url, json={"disabled": True}, headers=admin).status_code == 428
    done = client.patch(url, json={"disabled": True}, headers={**admin, "If-Match": '"1"'})
    assert done.status_code == 200 and done.json()["disabled"] is True
    assert client.get("/api/v1/auth/me", headers=people["headers"]["editor"]).status_code == 401
    form = {"username": "editor@example.org", "password": PASSWORD}
    assert client.post("/api/v1/auth/token", data=form).status_code == 401


def test_a_change_of_role_takes_effect_at_once(client: TestClient, people: dict) -> None:
    url, admin = f"{URL}/{people['ids']['editor']}", people["headers"]["admin"]
    changed = client.patch(url, json={"role": "reader"}, headers={**admin, "If-Match": "*"})
    assert changed.status_code == 200
    assert client.get("/api/v1/auth/me", headers=people["headers"]["editor"]).status_code == 401
