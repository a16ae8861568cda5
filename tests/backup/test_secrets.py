"""No secret leaves the database: not a password hash, an API key's, a token's or a kept answer."""

import zipfile
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlmodel import Session

from api.auth.service import token_hash
from api.backup.exclusions import LEFT_OUT_TABLES
from api.backup.service import export
from api.models import AuthToken, IdempotencyRecord
from tests.backup.helpers import PASSWORD, populate


def test_the_archive_holds_no_secret(client: TestClient, session: Session, tmp_path: Path) -> None:
    secrets = populate(client, session)
    # They are all in the database, the key's secret in the answer kept for an idempotent retry.
    assert session.get(AuthToken, token_hash(secrets.refresh_token)) is not None
    kept = session.scalars(select(IdempotencyRecord.body)).all()
    assert any(secrets.api_key.encode() in (body or b"") for body in kept)
    assert session.scalar(select(func.count()).select_from(AuthToken)) > 0

    path = tmp_path / "backup.zip"
    manifest = export(session, path)
    with zipfile.ZipFile(path) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    everything = path.read_bytes() + b"".join(entries.values())
    needles = [*secrets.all(), PASSWORD, token_hash(secrets.access_token), token_hash(secrets.refresh_token)]
    for needle in needles:
        assert needle.encode() not in everything
    # The search finds what is there: the account and the key are, without their secrets.
    assert b"CRM sync" in entries["tables/api_key.jsonl"]
    assert b"@example.org" in entries["tables/account.jsonl"]
    assert b"password_hash" not in entries["tables/account.jsonl"]
    assert b"secret_hash" not in entries["tables/api_key.jsonl"]
    assert {f"tables/{name}.jsonl" for name in LEFT_OUT_TABLES}.isdisjoint(entries)
    assert {*LEFT_OUT_TABLES, "account.password_hash", "api_key.secret_hash"} == set(manifest.left_out)
