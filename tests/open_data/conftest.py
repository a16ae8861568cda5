"""A roadmap to export from (the test's database), and another to import into: a database of
its own, loaded with as much of the roadmap as the format needs to refer to."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from api import listing
from api.config import Settings
from api.db import make_engine
from api.main import create_app
from api.models import DataImport
from api.seed import loader
from api.seed.schemas import SeedFile
from tests.conftest import make_key
from tests.imports import running

API = "/api/v1"
OPEN = f"{API}/open-data"


@dataclass
class Elsewhere:
    """Another roadmap's database: its import, and its API as an administrator sees it."""

    factory: Callable[[], Session]
    client: TestClient

    def load(self, kind: str, data: str | bytes, **options: Any) -> DataImport:
        done = running.run(self.factory, kind, data, **options)
        assert done.status == "succeeded", (done.problems, done.error, done.notes)
        return done


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files read two records a page: every file in these tests spans many pages."""
    monkeypatch.setattr(listing, "FILE_PAGE", 2)


@pytest.fixture
def roadmap(session_factory: Callable[[], Session]) -> SeedFile:
    """The West Midlands roadmap, in the database exports are read from."""
    seed = loader.read()
    with session_factory() as session:
        loader.load(session, seed)
        session.commit()
    return seed


@pytest.fixture
def elsewhere(scratch_database: str) -> Iterator[Callable[[SeedFile], Elsewhere]]:
    """`elsewhere(seed)`: a fresh database with that much of a roadmap loaded."""
    engine = make_engine(scratch_database, pool_size=2)
    factory = sessionmaker(engine, class_=Session, expire_on_commit=False)
    opened: list[TestClient] = []

    def make(seed: SeedFile) -> Elsewhere:
        with factory() as session:
            loader.load(session, seed)
            session.commit()
        app = create_app(Settings(database_url=scratch_database), engine=engine)
        client = TestClient(app, headers={"Authorization": f"Bearer {make_key(factory, 'admin')}"})
        opened.append(client.__enter__())
        return Elsewhere(factory, client)

    yield make
    for client in opened:
        client.__exit__(None, None, None)
    engine.dispose()


def every(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list, page after page."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = client.get(f"{API}{path}", params={**params, "limit": 500, "cursor": cursor})
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def codes(client: TestClient, path: str) -> dict[str, str]:
    """Ids to the code a file names them by (areas by GSS code, else by name), missions, outcomes."""
    return {item["id"]: item["code"] or item["name"] for item in every(client, path)}


def names(client: TestClient) -> dict[str, str]:
    return {s["id"]: s["name"] for s in every(client, "/stakeholders")}
