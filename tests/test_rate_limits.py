"""Rate limits: per credential, per address, shared by every replica on PostgreSQL."""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

from api import rate_limits
from api.accounts import service as accounts
from api.config import Settings
from api.enums import AccessRole
from api.main import create_app
from api.monitoring import RATE_LIMITED
from tests.conftest import make_key

AREAS, ME = "/api/v1/areas", "/api/v1/auth/me"
WINDOW = 60
PROBLEM = "application/problem+json"


class Clock:
    """A window of its own per test (counts on PostgreSQL outlive the test's transaction)."""

    def __init__(self) -> None:
        self.now = float((10**10 + uuid.uuid4().int % 10**9) * WINDOW + 18)  # 42 s left in its window

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(rate_limits, "clock", clock)
    return clock


LimitedApp = Callable[..., Any]


@pytest.fixture
def limited_app(engine: Engine, database_url: str, session_factory: Callable[[], Session]) -> LimitedApp:
    """An app with these limits (0: none), over the test's transaction, flushing its counts at once."""

    def make(anonymous: int = 0, credential: int = 0, address: int = 0) -> Any:
        settings = Settings(
            database_url=database_url,
            rate_limit_anonymous=anonymous,
            rate_limit_per_credential=credential,
            rate_limit_per_address=address,
            rate_limit_flush_seconds=0,  # every request flushes: counts as exact as one shared row
        )
        app = create_app(settings, engine=engine)
        app.state.session_factory = session_factory
        return app

    return make


Caller = Callable[..., TestClient]


@pytest.fixture
def caller() -> Iterator[Caller]:
    """A client for `app` from an address of its own (or the one given), with these headers."""
    opened: list[TestClient] = []

    def make(app: Any, address: str | None = None, **headers: str) -> TestClient:
        where = address or f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
        c = TestClient(app, client=(where, 50000), headers=headers)
        opened.append(c.__enter__())
        return c

    yield make
    for c in opened:
        c.__exit__(None, None, None)


def test_every_answer_says_where_its_caller_stands(
    limited_app: LimitedApp, caller: Caller, clock: Clock
) -> None:
    anon = caller(limited_app(anonymous=3))
    first, second = anon.get(AREAS), anon.get(AREAS)
    assert first.status_code == second.status_code == 200
    assert first.headers["ratelimit-policy"] == '"anonymous";q=3;w=60'
    assert first.headers["ratelimit"] == '"anonymous";r=2;t=42'
    assert second.headers["ratelimit"] == '"anonymous";r=1;t=42'
    missing = anon.get(AREAS + "/E99999999")  # errors are counted and say so too
    assert missing.status_code == 404
    assert missing.headers["ratelimit"] == '"anonymous";r=0;t=42'


def test_past_the_limit_a_429_problem_with_retry_after(
    limited_app: LimitedApp, caller: Caller, clock: Clock
) -> None:
    anon = caller(limited_app(anonymous=2))
    before = RATE_LIMITED.labels("requests")._value.get()
    assert [anon.get(AREAS).status_code for _ in range(2)] == [200, 200]
    refused = anon.get(AREAS, headers={"X-Request-ID": "over-the-limit"})
    assert refused.status_code == 429
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["type"].endswith("/rate-limited")
    assert refused.headers["retry-after"] == "42"
    assert refused.headers["ratelimit"] == '"anonymous";r=0;t=42'
    assert refused.headers["x-request-id"] == "over-the-limit"
    assert RATE_LIMITED.labels("requests")._value.get() == before + 1


def test_the_window_resets(limited_app: LimitedApp, caller: Caller, clock: Clock) -> None:
    anon = caller(limited_app(anonymous=1))
    assert [anon.get(AREAS).status_code for _ in range(2)] == [200, 429]
    clock.now += 42
    again = anon.get(AREAS)
    assert again.status_code == 200
    assert again.headers["ratelimit"] == '"anonymous";r=0;t=60'


def test_each_key_account_and_address_has_a_bucket_of_its_own(
    limited_app: LimitedApp, caller: Caller, clock: Clock, session_factory: Callable[[], Session]
) -> None:
    app = limited_app(anonymous=1, credential=2, address=100)
    with session_factory() as session:
        accounts.create(session, "reader@example.org", "correct horse battery", AccessRole.reader)
        session.commit()
    signed_in = caller(app).post(
        "/api/v1/auth/token", data={"username": "reader@example.org", "password": "correct horse battery"}
    )
    token = signed_in.json()["access_token"]
    address = "192.0.2.7"
    one = caller(app, address, **{"X-API-Key": make_key(session_factory, "reader")})
    other = caller(app, address, **{"X-API-Key": make_key(session_factory, "reader")})
    account = caller(app, address, Authorization=f"Bearer {token}")
    assert [one.get(AREAS).status_code for _ in range(3)] == [200, 200, 429]
    ok = other.get(AREAS)
    assert ok.status_code == 200
    assert ok.headers["ratelimit-policy"] == '"credential";q=2;w=60, "address";q=100;w=60'
    assert ok.headers["ratelimit"] == '"credential";r=1;t=42, "address";r=96;t=42'
    assert account.get(ME).status_code == 200
    assert account.get(ME).status_code == 200
    assert account.get(ME).status_code == 429
    assert [caller(app).get(AREAS).status_code for _ in range(2)] == [200, 200]  # two addresses
    here = caller(app, "198.51.100.1")
    assert [here.get(AREAS).status_code for _ in range(2)] == [200, 429]


def test_invented_credentials_do_not_escape_the_address_limit(
    limited_app: LimitedApp, caller: Caller, clock: Clock
) -> None:
    app = limited_app(anonymous=100, credential=100, address=3)
    address = "203.0.113.9"
    answers = [caller(app, address, **{"X-API-Key": f"rk_{uuid.uuid4().hex}"}).get(ME) for _ in range(4)]
    assert [r.status_code for r in answers] == [401, 401, 401, 429]
    assert answers[-1].headers["ratelimit"].endswith('"address";r=0;t=42')


def test_probes_metrics_and_docs_are_not_counted(
    limited_app: LimitedApp, caller: Caller, clock: Clock
) -> None:
    anon = caller(limited_app(anonymous=1))
    for path in ["/healthz", "/readyz", "/metrics", "/docs", "/redoc"] * 2:
        r = anon.get(path)
        assert r.status_code == 200, path
        assert "ratelimit" not in r.headers
    assert anon.get(AREAS).status_code == 200


def test_zero_is_no_limit(limited_app: LimitedApp, caller: Caller, clock: Clock) -> None:
    anon = caller(limited_app())
    answers = [anon.get(AREAS) for _ in range(5)]
    assert all(r.status_code == 200 and "ratelimit" not in r.headers for r in answers)
    keyed = caller(limited_app(credential=0, address=2), **{"X-API-Key": "rk_unchecked"})
    assert keyed.get(AREAS).headers["ratelimit-policy"] == '"address";q=2;w=60'
    assert caller(limited_app(credential=5), **{"X-API-Key": "rk_x"}).get(ME).status_code == 401
    assert "ratelimit" not in caller(limited_app(credential=5)).get(AREAS).headers  # anonymous: no limit


def test_replicas_share_one_count(
    limited_app: LimitedApp, caller: Caller, clock: Clock, engine: Engine
) -> None:
    """Two apps over one PostgreSQL database count one caller's requests together."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite is one host: its counts are in memory")
    address = "198.51.100.77"
    first, second = caller(limited_app(anonymous=3), address), caller(limited_app(anonymous=3), address)
    assert [c.get(AREAS).status_code for c in (first, second, first, second)] == [200, 200, 200, 429]


class Ticks:
    """The stores' monotonic clock, standing still unless moved: flushes come when a test says."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _writes(store: rate_limits.DatabaseStore) -> list[str]:
    """The statements the store sends from now on."""
    sent: list[str] = []
    event.listen(
        store.engine, "before_cursor_execute", lambda _c, _cur, statement, *_: sent.append(statement)
    )
    return sent


def _postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("DatabaseStore is PostgreSQL's")


def test_a_process_counts_locally_between_flushes(engine: Engine, clock: Clock) -> None:
    """Many hits, one write per interval; the count stays exact here, so a quota still refuses."""
    _postgresql(engine)
    ticks, bucket, period = Ticks(), uuid.uuid4().hex, int(clock() // WINDOW)
    store = rate_limits.DatabaseStore(engine, flush_seconds=10, monotonic=ticks)
    sent = _writes(store)

    async def hits(n: int) -> list[int]:
        return [(await store.hit([bucket], period) or [-1])[0] for _ in range(n)]

    assert anyio.run(hits, 5) == [1, 2, 3, 4, 5]  # against a quota of 3, the last two are refused
    assert sent == []
    ticks.now += 10
    assert anyio.run(hits, 5) == [6, 7, 8, 9, 10]  # the first flushes, with the 5 before it
    assert len([s for s in sent if s.startswith("INSERT")]) == 1
    assert len(sent) <= 2  # the upsert, and pruning the windows over (once per window)
    anyio.run(store.flush)
    assert store._shared == {(bucket, period): 10}


def test_replicas_see_each_other_after_a_flush(engine: Engine, clock: Clock) -> None:
    _postgresql(engine)
    ticks, bucket, period = Ticks(), uuid.uuid4().hex, int(clock() // WINDOW)
    one = rate_limits.DatabaseStore(engine, flush_seconds=10, monotonic=ticks)
    other = rate_limits.DatabaseStore(engine, flush_seconds=10, monotonic=ticks)

    async def scenario() -> list[list[int] | None]:
        seen = [await one.hit([bucket], period), await one.hit([bucket], period)]
        seen += [await other.hit([bucket], period) for _ in range(3)]  # neither knows of the other yet
        await one.flush()
        await other.flush()  # learns the 2 from one
        seen.append(await other.hit([bucket], period))
        await one.flush()  # nothing of its own to add: learns nothing new
        seen.append(await one.hit([bucket], period))
        await one.flush()  # with its own hit, learns other's flushed 3 (not its 6th, still unflushed)
        seen.append(await one.hit([bucket], period))
        return seen

    assert anyio.run(scenario) == [[1], [2], [1], [2], [3], [6], [3], [7]]


def test_a_count_the_database_cannot_keep_lets_the_request_through(caplog: pytest.LogCaptureFixture) -> None:
    """Down or overloaded, the database answers for itself (503); the limit is not enforced meanwhile.

    The hits wait for the next flush, but only their window's: memory holds one window."""
    down = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    store = rate_limits.DatabaseStore(down, flush_seconds=0)
    for period in (1, 2, 3):
        for n in range(50):
            assert anyio.run(store.hit, [f"bucket{n % 5}"], period) is None
    assert store._pending == {(f"bucket{n}", 3): 10 for n in range(5)}
    assert store._shared == store._sending == {}
    assert [r.message for r in caplog.records] == ["rate limits not counted: OperationalError"]


def test_the_memory_store_forgets_windows_that_are_over() -> None:
    store = rate_limits.MemoryStore()
    assert anyio.run(store.hit, ["a", "b"], 7) == [1, 1]
    assert anyio.run(store.hit, ["a"], 7) == [2]
    assert anyio.run(store.hit, ["a"], 8) == [1]
    assert store._hits == {"a": 1}
