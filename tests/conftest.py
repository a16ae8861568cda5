"""Real databases, one per run; every test runs in a transaction that is rolled back.

SQLite by default; PostgreSQL when TEST_DATABASE_URL is set (`make test` runs both).
"""

import os
import uuid
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from sqlalchemy import Connection, Engine, event, make_url, text
from sqlmodel import Session

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient  # noqa: E402

from api import migrate  # noqa: E402
from api.api_keys.service import KEY_PREFIX  # noqa: E402
from api.auth.service import token_hash  # noqa: E402
from api.config import Settings  # noqa: E402
from api.db import make_engine  # noqa: E402
from api.imports import runner  # noqa: E402
from api.main import create_app  # noqa: E402
from api.models import ApiKey  # noqa: E402

# A property holds or not however long an example takes: Hypothesis's per-example deadline
# (200 ms) fails tests on a busy machine, so it is off for every property test.
settings.register_profile("roadmap", deadline=None)
settings.load_profile("roadmap")


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
    # Without rate limits: one session's tests are thousands of requests a minute from one
    # address. The limits are tested on apps of their own (test_rate_limits.py).
    unlimited = Settings(
        database_url=database_url,
        rate_limit_anonymous=0,
        rate_limit_per_credential=0,
        rate_limit_per_address=0,
    )
    return create_app(unlimited, engine=engine)


@pytest.fixture
def app(shared_app: Any, session_factory: Callable[[], Session]) -> Any:
    shared_app.state.session_factory = session_factory
    return shared_app


def make_key(session_factory: Callable[[], Session], role: str, stakeholder_id: str | None = None) -> str:
    """An API key straight into the database (as an admin would create one); returns the secret."""
    secret = f"{KEY_PREFIX}{role}-{uuid.uuid4().hex}"
    with session_factory() as s:
        s.add(
            ApiKey(
                name=f"test {role}",
                role=role,
                stakeholder_id=stakeholder_id,
                prefix=secret[:11],
                secret_hash=token_hash(secret),
            )
        )
        s.commit()
    return secret


ClientAs = Callable[..., TestClient]


@pytest.fixture
def client_as(app: Any, session_factory: Callable[[], Session]) -> Iterator[ClientAs]:
    """`client_as("partner", stakeholder_id)`: a client carrying a key with that role."""
    opened: list[TestClient] = []

    def make(role: str, stakeholder_id: str | None = None) -> TestClient:
        secret = make_key(session_factory, role, stakeholder_id)
        c = TestClient(app, headers={"Authorization": f"Bearer {secret}"})
        opened.append(c.__enter__())
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)


@pytest.fixture
def client(client_as: ClientAs) -> TestClient:
    """An administrator's client: most tests are about what the API does, not who may ask."""
    return client_as("admin")


@pytest.fixture
def anon(app: Any) -> Iterator[TestClient]:
    """A client without credentials: the public."""
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


@pytest.fixture
def scratch_database(database_url: str, tmp_path: Any) -> Iterator[str]:
    """An empty, migrated database of the suite's kind, for tests that must really commit."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'scratch.db'}"
        migrate.upgrade(url)
        yield url
        return
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    admin = make_engine(database_url, pool_size=1).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = str(make_url(database_url).set(database=name).render_as_string(hide_password=False))
    migrate.upgrade(url)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


class Deferred:
    """Runs each import when the test drains the queue, in the test's thread: the test
    database is one connection, which the request and the import cannot share at once."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        self.jobs.append((future, fn, args))
        return future

    def __init__(self) -> None:
        self.jobs: list[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = []


@pytest.fixture(autouse=True)
def deferred_imports(monkeypatch: pytest.MonkeyPatch) -> Iterator[Deferred]:
    deferred = Deferred()
    monkeypatch.setattr(runner, "_pool", deferred)
    monkeypatch.setattr(runner, "_running", [])  # not another test's, never to finish
    original = runner.drain

    def drain() -> None:
        while deferred.jobs:
            future, fn, args = deferred.jobs.pop(0)
            future.set_result(fn(*args))
        original()

    monkeypatch.setattr(runner, "drain", drain)
    yield deferred
    for _, _, args in deferred.jobs:  # never run: their uploads go
        Path(args[2]).unlink(missing_ok=True)
