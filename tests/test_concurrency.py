"""Two editors on committed data, in separate transactions: the later write never wins silently."""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from api import crud, migrate, models
from api.config import Settings
from api.db import make_engine
from api.main import create_app
from tests.conftest import make_key


@pytest.fixture
def committed_area(engine: Engine) -> Iterator[str]:
    with Session(engine, expire_on_commit=False) as session:
        area = models.Area(name="Coventry", kind="local_authority")
        session.add(area)
        session.commit()
    yield area.id
    with Session(engine) as session:
        session.execute(delete(models.Area).where(models.Area.id == area.id))  # type: ignore[arg-type]
        session.commit()


def test_the_second_of_two_concurrent_edits_is_refused(engine: Engine, committed_area: str) -> None:
    with Session(engine) as first, Session(engine) as second:
        mine, theirs = first.get(models.Area, committed_area), second.get(models.Area, committed_area)
        assert mine and theirs and mine.version == theirs.version == 1  # both pass If-Match "1"
        crud.apply_changes(mine, {"name": "first editor"})
        first.commit()
        crud.apply_changes(theirs, {"name": "second editor"})
        # PostgreSQL: the UPDATE's `WHERE version = 1` matches nothing (answered as 412).
        # SQLite: the stale snapshot may not write at all (answered as 503, retry).
        with pytest.raises((StaleDataError, OperationalError)):
            second.commit()
    with Session(engine) as session:
        stored = session.get(models.Area, committed_area)
        assert stored is not None and (stored.name, stored.version) == ("first editor", 2)


def test_simultaneous_writes_all_succeed(tmp_path: Path, database_url: str) -> None:
    """Forty clients at once, each reading then writing: none is refused for being second.

    Runs against a database of its own (committed writes, not the per-test rollback), on
    SQLite unless the suite runs on PostgreSQL.
    """
    url = f"sqlite:///{tmp_path / 'busy.db'}" if database_url.startswith("sqlite") else database_url
    if not url.startswith("sqlite"):
        pytest.skip("PostgreSQL's row locks are covered by the two-editor test")
    migrate.upgrade(url)
    engine = make_engine(url)
    app = create_app(Settings(database_url=url), engine=engine)
    editor = {"Authorization": f"Bearer {make_key(lambda: Session(engine), 'editor')}"}

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://localhost", headers=editor
        ) as client:
            region = await client.post("/api/v1/areas", json={"name": "Region", "kind": "region"})
            parent = region.json()["id"]
            posts = [
                client.post(
                    "/api/v1/areas", json={"name": f"Ward {i}", "kind": "ward", "parent_ids": [parent]}
                )
                for i in range(40)
            ]
            return [r.status_code for r in await asyncio.gather(*posts)]

    statuses = asyncio.run(run())
    engine.dispose()
    assert statuses == [201] * 40
