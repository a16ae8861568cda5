"""Real databases, one per run; every test runs in a transaction that is rolled back.

SQLite by default; PostgreSQL when TEST_DATABASE_URL is set (`make test` runs both).
"""

import os
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, text
from sqlmodel import Session

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient  # noqa: E402

from api import migrate  # noqa: E402
from api.config import Settings  # noqa: E402
from api.db import make_engine  # noqa: E402
from api.main import create_app  # noqa: E402


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _reset(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, pool_size=2)
    _reset(engine)
    migrate.upgrade(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> Callable[[], Session]:
    # Each "commit" by the app releases a savepoint; the test's outer transaction undoes all.
    def factory() -> Session:
        return Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)

    return factory


@pytest.fixture
def session(session_factory: Callable[[], Session]) -> Iterator[Session]:
    with session_factory() as s:
        yield s


@pytest.fixture(scope="session")
def shared_app(engine: Engine, database_url: str) -> Any:
    # Built once: FastAPI's first request to a new app costs ~200 ms of route setup.
    return create_app(Settings(database_url=database_url), engine=engine)


@pytest.fixture
def app(shared_app: Any, session_factory: Callable[[], Session]) -> Any:
    shared_app.state.session_factory = session_factory
    return shared_app


@pytest.fixture
def client(app: Any) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, *args: Any) -> None:
        statement: str = args[2]
        # Savepoints are the test harness's per-request "commit", not the app's queries.
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(connection: Connection) -> Iterator[Callable[[], QueryCounter]]:
    """Count the SQL statements the app sends while the returned counter is active."""
    counters: list[QueryCounter] = []

    def start() -> QueryCounter:
        counter = QueryCounter()
        event.listen(connection, "before_cursor_execute", counter)
        counters.append(counter)
        return counter

    yield start
    for counter in counters:
        event.remove(connection, "before_cursor_execute", counter)
