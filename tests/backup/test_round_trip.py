"""A whole database exported, restored into the other engine and back: every record, the same."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from api.accounts import service as accounts
from api.backup.service import export, restore
from api.config import Settings
from api.db import make_engine
from api.main import create_app
from api.models import Account, ApiKey, Change
from tests.backup.helpers import API, PASSWORD, assert_restored, feed, populate, snapshot
from tests.conftest import make_key


@pytest.fixture
def engines() -> Iterator[list[Engine]]:
    made: list[Engine] = []
    yield made
    for engine in made:
        engine.dispose()


def test_a_database_survives_the_other_engine_and_back(
    client: TestClient, session: Session, scratch_database: str, tmp_path: Path, engines: list[Engine]
) -> None:
    populate(client, session)
    source = snapshot(session.connection())
    first = export(session, tmp_path / "first.zip")
    assert first.engine == session.get_bind().dialect.name

    # A SQLite file is always at hand: on a PostgreSQL run this is the other engine, on a
    # SQLite run another file. A new file: the restore creates every table.
    other = f"sqlite:///{tmp_path / 'other' / 'restored.db'}"
    assert restore(other, tmp_path / "first.zip").revision == first.revision
    assert_restored(source, snapshot(other))

    engines.append(make_engine(other, pool_size=1))
    second = export(engines[-1], tmp_path / "second.zip")
    assert second.engine == "sqlite"
    assert [(t.name, t.rows) for t in second.tables] == [(t.name, t.rows) for t in first.tables]
    # Back into the suite's engine, this time a database already migrated, and empty.
    restore(scratch_database, tmp_path / "second.zip")
    assert_restored(source, snapshot(scratch_database))


def test_after_a_restore_the_api_works_on_where_it_left_off(
    client: TestClient, session: Session, scratch_database: str, tmp_path: Path, engines: list[Engine]
) -> None:
    secrets = populate(client, session)
    before = feed(client)
    export(session, tmp_path / "backup.zip")
    restore(scratch_database, tmp_path / "backup.zip")

    engines.append(engine := make_engine(scratch_database, pool_size=2))
    app = create_app(Settings(database_url=scratch_database), engine=engine)
    admin = TestClient(app, headers={"Authorization": f"Bearer {make_key(lambda: Session(engine), 'admin')}"})
    assert feed(admin) == before, "the change feed, in the same order"

    # New rows take ids after the restored ones (PostgreSQL's sequences were moved past them).
    with Session(engine) as s:
        last, count = s.execute(select(func.max(Change.id), func.count()).select_from(Change)).one()
    made = admin.post(f"{API}/stakeholders", json={"name": "After the restore", "kind": "business"})
    assert made.status_code == 201, made.text
    with Session(engine) as s:
        newest = s.scalars(select(Change).order_by(col(Change.id).desc()).limit(1)).one()
        assert (newest.id, newest.resource_id) == (last + 1, made.json()["id"])
        assert s.scalar(select(func.count()).select_from(Change)) == count + 1

    # The old key's secret no longer works; rotated, the restored key works again.
    old = TestClient(app, headers={"Authorization": f"Bearer {secrets.api_key}"})
    assert old.get(f"{API}/changes").status_code == 401
    with Session(engine) as s:
        key_id = s.scalars(select(col(ApiKey.id)).where(col(ApiKey.name) == "CRM sync")).one()
    rotated = admin.post(f"{API}/api-keys/{key_id}/rotate")
    assert rotated.status_code == 200, rotated.text
    renewed = TestClient(app, headers={"Authorization": f"Bearer {rotated.json()['key']}"})
    assert renewed.get(f"{API}/changes").status_code == 200

    # The account cannot sign in with its old password; once given a new one, it can.
    with Session(engine) as s:
        email = s.scalars(select(col(Account.email)).where(col(Account.role) == "editor")).one()
    sign_in = {"username": email, "password": PASSWORD}
    assert admin.post(f"{API}/auth/token", data=sign_in).status_code == 401
    with Session(engine) as s:
        account = s.scalars(select(Account).where(col(Account.email) == email)).one()
        accounts.set_password(s, account, PASSWORD)
        s.commit()
    assert admin.post(f"{API}/auth/token", data=sign_in).status_code == 200
