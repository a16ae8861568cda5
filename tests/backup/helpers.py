"""A database with something of every kind in it, a whole-database snapshot, and archive surgery."""

import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Connection, select
from sqlmodel import Session, SQLModel, col

from api import models
from api.backup.exclusions import LEFT_OUT_TABLES, SECRET_COLUMNS, UNUSABLE_PASSWORD
from api.db import make_engine
from api.seed import loader
from tests import factories

API = "/api/v1"
PASSWORD = "a long passphrase for backups"


@dataclass(frozen=True)
class Secrets:
    """What was in the database that no archive may hold."""

    password_hash: str
    api_key: str
    api_key_hash: str
    access_token: str
    refresh_token: str

    def all(self) -> list[str]:
        return [self.password_hash, self.api_key, self.api_key_hash, self.access_token, self.refresh_token]


def populate(client: TestClient, session: Session) -> Secrets:
    """The roadmap seed, then edits through the API: every column type, the audit trail, secrets."""
    loader.load(session)
    session.commit()
    factories.stakeholder(client, kind="person", email="someone@example.org", phone="0121 000 0000")
    org = factories.stakeholder(client)
    changed = client.patch(
        f"{API}/stakeholders/{org['id']}",
        json={"description": "Ünïcode ✓ — edited"},
        headers={"If-Match": "*"},
    )
    assert changed.status_code == 200, changed.text
    project = factories.collaboration(
        client, funding_amount_pence=12_345_678_901, lighthouse=True, start_date="2024-02-29"
    )
    factories.participant(client, project["id"], org["id"], role="lead")
    metric = factories.metric(client)
    factories.observation(
        client, metric["id"], value="12.345678", breakdown={"age": "65+"}, flags=["provisional"]
    )
    factories.baseline(client, metric["id"], value="-0.000001")
    gone = factories.collaboration(client)
    deleted = client.delete(f"{API}/collaborations/{gone['id']}", headers={"If-Match": "*"})
    assert deleted.status_code == 204, deleted.text
    email = factories.unique("editor") + "@example.org"
    factories.post(client, "/accounts", {"email": email, "password": PASSWORD, "role": "editor"})
    signed_in = client.post(f"{API}/auth/token", data={"username": email, "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    # With an Idempotency-Key, the answer (holding the key's secret) is kept for replay.
    made = client.post(
        f"{API}/api-keys",
        json={"name": "CRM sync", "role": "reader"},
        headers={"Idempotency-Key": "backup-1"},
    )
    assert made.status_code == 201, made.text
    key = made.json()["key"]
    account = session.scalars(select(models.Account).where(col(models.Account.email) == email)).one()
    api_key = session.get(models.ApiKey, made.json()["id"])
    assert api_key is not None
    return Secrets(
        password_hash=account.password_hash,
        api_key=key,
        api_key_hash=api_key.secret_hash,
        access_token=signed_in.json()["access_token"],
        refresh_token=signed_in.json()["refresh_token"],
    )


Snapshot = dict[str, list[dict[str, Any]]]


def snapshot(source: Connection | str) -> Snapshot:
    """Every row of every table, typed as the models read them, in primary-key order."""
    if isinstance(source, str):
        engine = make_engine(source, pool_size=1)
        try:
            with engine.connect() as conn:
                return snapshot(conn)
        finally:
            engine.dispose()
    return {
        table.name: [
            dict(row._mapping) for row in source.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in SQLModel.metadata.sorted_tables
    }


def without_secrets(snap: Snapshot) -> Snapshot:
    """What a restore must give back exactly: all but the left-out tables, columns and fields."""
    return {
        name: [_without_secrets(name, row) for row in rows]
        for name, rows in snap.items()
        if name not in LEFT_OUT_TABLES
    }


def _without_secrets(table: str, row: dict[str, Any]) -> dict[str, Any]:
    row = {c: v for c, v in row.items() if (table, c) not in SECRET_COLUMNS}
    if table == "change" and row["resource"] == "api-keys":
        # A new key's secret, which the audit trail recorded with its state.
        state = row["state"] and {k: v for k, v in row["state"].items() if k != "key"}
        row = {**row, "state": state, "changes": [c for c in row["changes"] if c["field"] != "key"]}
    return row


def assert_restored(source: Snapshot, restored: Snapshot, at_least: int = 500) -> None:
    """Every record back, value for value; nothing of the secrets."""
    expected, got = without_secrets(source), without_secrets(restored)
    assert got.keys() == expected.keys()
    for name in expected:
        assert got[name] == expected[name], name
    assert sum(len(rows) for rows in expected.values()) >= at_least, "something to compare"
    for name in LEFT_OUT_TABLES:
        assert restored[name] == [], name
    for change in (c for c in restored["change"] if c["resource"] == "api-keys"):
        assert "key" not in (change["state"] or {}) and "key" not in {c["field"] for c in change["changes"]}
    # No restored account or key can sign in with anything the source held.
    assert {row["password_hash"] for row in restored["account"]} <= {UNUSABLE_PASSWORD}
    stand_ins = [row["secret_hash"] for row in restored["api_key"]]
    assert all(h.startswith("restored-") for h in stand_ins) and len(set(stand_ins)) == len(stand_ins)


def rewrite(
    archive: Path,
    out: Path,
    manifest: Callable[[dict[str, Any]], None] | None = None,
    member: tuple[str, Callable[[bytes], bytes]] | None = None,
) -> Path:
    """A copy of an archive with its manifest, or one member, changed."""
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "manifest.json" and manifest is not None:
                changed = json.loads(data)
                manifest(changed)
                data = json.dumps(changed).encode()
            if member is not None and name == member[0]:
                data = member[1](data)
            target.writestr(name, data)
    return out


def feed(client: TestClient) -> list[dict[str, Any]]:
    """The whole change feed, in its order."""
    items: list[dict[str, Any]] = []
    after = "0"
    while True:
        page = client.get(f"{API}/changes", params={"after": after, "limit": 500})
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        after = page.json()["next_cursor"]
        if not page.json()["more"]:
            return items
