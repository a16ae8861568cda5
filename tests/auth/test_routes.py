"""Signing in: tokens, refresh rotation, sign-out, and rate limits held in the database."""

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from api import models
from api.accounts import service as accounts
from api.enums import AccessRole
from api.models import IdempotencyRecord

TOKEN = "/api/v1/auth/token"
ME = "/api/v1/auth/me"
PASSWORD = "correct horse battery"


@pytest.fixture
def client(anon: TestClient) -> TestClient:
    """Anonymous: these tests send their own credentials on every call."""
    return anon


@pytest.fixture
def editor(session_factory: Callable[[], Session]) -> str:
    with session_factory() as session:
        accounts.create(session, "editor@example.org", PASSWORD, AccessRole.editor)
        session.commit()
    return "editor@example.org"


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post(TOKEN, data={"username": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_sign_in_then_ask_who_i_am(client: TestClient, editor: str) -> None:
    pair = sign_in(client, editor)
    assert pair.status_code == 200, pair.text
    body = pair.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 15 * 60
    me = client.get(ME, headers=bearer(body["access_token"]))
    assert me.json()["name"] == editor and me.json()["role"] == "editor"
    assert me.json()["kind"] == "account"


def test_wrong_password_and_unknown_email_look_the_same(client: TestClient, editor: str) -> None:
    wrong = sign_in(client, editor, "not the password")
    unknown = sign_in(client, "nobody@example.org")
    for r in (wrong, unknown):
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert wrong.json() == unknown.json()


def test_a_disabled_account_cannot_sign_in(client: TestClient, editor: str, session: Session) -> None:
    account = accounts.find(session, editor)
    assert account is not None
    account.disabled = True
    session.commit()
    assert sign_in(client, editor).status_code == 401


def test_missing_or_bad_credentials_are_401_with_a_challenge(client: TestClient) -> None:
    for headers in ({}, bearer("at_not-a-token")):
        r = client.get(ME, headers=headers)
        assert r.status_code == 401
        assert "Bearer" in r.headers["www-authenticate"]


def test_refresh_rotates_and_a_reused_refresh_token_ends_the_family(client: TestClient, editor: str) -> None:
    first = sign_in(client, editor).json()
    second = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    newer = second.json()
    assert newer["refresh_token"] != first["refresh_token"]
    assert client.get(ME, headers=bearer(newer["access_token"])).status_code == 200
    # The spent token comes back (a thief, or a replay): every token of the sign-in stops.
    reused = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert client.get(ME, headers=bearer(newer["access_token"])).status_code == 401


def test_sign_out_revokes_the_access_token_too(client: TestClient, editor: str) -> None:
    pair = sign_in(client, editor).json()
    assert client.post("/api/v1/auth/revoke", data={"token": pair["refresh_token"]}).status_code == 204
    assert client.get(ME, headers=bearer(pair["access_token"])).status_code == 401
    again = client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": pair["refresh_token"]})
    assert again.status_code == 401


def test_an_expired_access_token_is_refused(
    client: TestClient, editor: str, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "access_token_minutes", 0)
    pair = sign_in(client, editor).json()
    assert client.get(ME, headers=bearer(pair["access_token"])).status_code == 401


def test_failed_sign_ins_are_limited_per_account(client: TestClient, editor: str) -> None:
    for _ in range(5):
        assert sign_in(client, editor, "guess").status_code == 401
    limited = sign_in(client, editor)  # even the right password waits now
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert sign_in(client, "EDITOR@example.org").status_code == 429  # e-mail case does not help


def test_a_success_resets_the_accounts_count(client: TestClient, editor: str) -> None:
    for _ in range(4):
        sign_in(client, editor, "guess")
    assert sign_in(client, editor).status_code == 200
    for _ in range(4):
        assert sign_in(client, editor, "guess").status_code == 401
    assert sign_in(client, editor).status_code == 200


def test_failed_sign_ins_are_limited_per_client(
    client: TestClient, editor: str, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "sign_in_failures_per_client", 3)
    for i in range(3):
        assert sign_in(client, f"someone{i}@example.org", "guess").status_code == 401
    assert sign_in(client, editor).status_code == 429  # another account, the same client


def test_sign_in_needs_both_fields(client: TestClient) -> None:
    r = client.post(TOKEN, data={"username": "a@example.org"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.password"


def test_tokens_are_never_kept_for_idempotent_replay(
    client: TestClient, editor: str, session: Session
) -> None:
    key = {"Idempotency-Key": "sign-in-1"}
    first = client.post(TOKEN, data={"username": editor, "password": PASSWORD}, headers=key)
    second = client.post(TOKEN, data={"username": editor, "password": PASSWORD}, headers=key)
    assert first.status_code == second.status_code == 200
    assert "idempotent-replayed" not in second.headers
    assert first.json()["access_token"] != second.json()["access_token"]
    stored = session.get(IdempotencyRecord, ("sign-in-1", hashlib.sha256(TOKEN.encode()).hexdigest()))
    assert stored is None


def test_old_failures_and_expired_tokens_are_pruned(
    client: TestClient, editor: str, session: Session, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app.state.settings, "sign_in_window_minutes", 0)  # every failure is old at once
    monkeypatch.setattr(app.state.settings, "access_token_minutes", 0)
    sign_in(client, editor)
    for _ in range(3):
        sign_in(client, "someone@example.org", "guess")
    sign_in(client, editor)
    failures = session.scalar(select(func.count()).select_from(models.SignInFailure))
    assert failures == 2  # only the last failure's two subjects remain
    expired = select(func.count()).select_from(models.AuthToken).where(models.AuthToken.kind == "access")
    assert session.scalar(expired) == 1  # the first sign-in's expired access token is gone
