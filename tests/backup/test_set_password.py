"""A restored account has no password: `roadmap set-password` gives it one, ending its sign-ins."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import Session, col

from api.accounts import service as accounts
from api.errors import ValidationFailed
from api.models import Account
from tests.backup.helpers import API, PASSWORD

NEW = "another long passphrase"


def test_a_new_password_signs_in_and_ends_the_old_sign_ins(
    client: TestClient, anon: TestClient, session: Session
) -> None:
    client.post(f"{API}/accounts", json={"email": "pw@example.org", "password": PASSWORD, "role": "reader"})
    tokens = anon.post(f"{API}/auth/token", data={"username": "pw@example.org", "password": PASSWORD}).json()
    signed_in = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert anon.get(f"{API}/changes", headers=signed_in).status_code == 200

    account = session.scalars(select(Account).where(col(Account.email) == "pw@example.org")).one()
    with pytest.raises(ValidationFailed):
        accounts.set_password(session, account, "too short")
    accounts.set_password(session, account, NEW)
    session.commit()

    assert anon.get(f"{API}/changes", headers=signed_in).status_code == 401
    refreshed = anon.post(
        f"{API}/auth/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401
    for password, status in ((PASSWORD, 401), (NEW, 200)):
        answer = anon.post(f"{API}/auth/token", data={"username": "pw@example.org", "password": password})
        assert answer.status_code == status
