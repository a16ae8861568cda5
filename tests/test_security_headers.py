"""Every answer is safe to meet in a browser; what is read with credentials is never stored."""

from collections.abc import Callable
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from api.config import Settings
from api.main import create_app
from api.middleware import SecurityHeaders
from tests.conftest import make_key

SAFE = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}
PROBLEM = "application/problem+json"
ORIGIN = "http://localhost:5173"


def assert_safe(r: httpx.Response) -> None:
    for name, value in SAFE.items():
        assert r.headers.get_list(name) == [value], (r.status_code, name)


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/api/v1/areas", {}, 200),
        ("GET", "/api/v1/nowhere", {}, 404),
        ("PUT", "/api/v1/areas", {"json": {}}, 405),
        ("POST", "/api/v1/areas", {"content": b"x" * 2_000_000}, 413),
        ("GET", "/api/v1/areas", {"params": {"limit": 0}}, 422),
        ("GET", "/api/v1/areas", {"params": {"q": "\x00"}}, 422),  # refused by the guard
        ("GET", "/api/v1/areas", {"headers": {"Host": "evil.example"}}, 400),
        ("POST", "/api/v1/auth/token", {"data": {"username": "a@b.org", "password": "x"}}, 401),
        (
            "OPTIONS",
            "/api/v1/areas",
            {"headers": {"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}},
            200,
        ),
    ],
)
def test_every_answer_is_browser_safe(
    anon: TestClient, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    r = anon.request(method, path, **kwargs)
    assert r.status_code == status, r.text
    assert_safe(r)


def test_public_reads_may_be_cached_as_before(anon: TestClient) -> None:
    r = anon.get("/api/v1/areas")
    assert r.status_code == 200 and "cache-control" not in r.headers


def test_sign_in_answers_are_never_stored(anon: TestClient) -> None:
    """They carry tokens (RFC 6749, 5.1), though the request has no credential header."""
    r = anon.post("/api/v1/auth/token", data={"username": "a@b.org", "password": "wrong"})
    assert r.status_code == 401 and r.headers["cache-control"] == "no-store"


@pytest.fixture(params=["bearer", "api key"])
def credentials(request: pytest.FixtureRequest, session_factory: Callable[[], Session]) -> dict[str, str]:
    secret = make_key(session_factory, "reader")
    return {"Authorization": f"Bearer {secret}"} if request.param == "bearer" else {"X-API-Key": secret}


@pytest.mark.parametrize(("path", "status"), [("/api/v1/areas", 200), ("/api/v1/areas/nowhere", 404)])
def test_whatever_is_read_with_credentials_is_never_stored(
    anon: TestClient, credentials: dict[str, str], path: str, status: int
) -> None:
    r = anon.get(path, headers=credentials)
    assert r.status_code == status
    assert r.headers.get_list("cache-control") == ["no-store"]
    assert_safe(r)


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
def test_refused_credentials_are_not_stored_either(anon: TestClient, header: str) -> None:
    value = "Bearer not-a-token" if header == "Authorization" else "not-a-key"
    r = anon.get("/api/v1/accounts", headers={header: value})
    assert r.status_code == 401 and r.headers["content-type"] == PROBLEM
    assert r.headers.get_list("cache-control") == ["no-store"]
    assert_safe(r)


async def _own_headers(scope: Any, receive: Any, send: Any) -> None:
    """A route that says its answer may be cached publicly and brings its own policy."""
    response = Response(
        "{}",
        headers={
            "Cache-Control": "public, max-age=60",
            "Content-Security-Policy": "default-src 'self'",
            "X-Content-Type-Options": "nosniff",
        },
    )
    await response(scope, receive, send)


@pytest.mark.parametrize(
    ("credential", "cached"), [({}, "public, max-age=60"), ({"X-API-Key": "k"}, "no-store")]
)
def test_a_routes_own_headers_stand_unless_credentials_say_otherwise(
    credential: dict[str, str], cached: str
) -> None:
    r = TestClient(SecurityHeaders(_own_headers)).get("/", headers=credential)
    assert r.headers.get_list("cache-control") == [cached]
    assert r.headers.get_list("content-security-policy") == ["default-src 'self'"]
    assert r.headers.get_list("x-content-type-options") == ["nosniff"]
    assert r.headers["referrer-policy"] == "no-referrer"


@pytest.fixture(scope="module")
def one_at_a_time(engine: Engine, database_url: str) -> Any:
    """The app admitting one request at a time and queueing none, with a route that holds its slot
    until released, and one that fails."""
    app = create_app(Settings(database_url=database_url, max_in_flight=1, max_waiting=0), engine=engine)

    async def hold(request: Request) -> Response:
        await request.app.state.held.wait()
        return Response("done")

    async def fail(request: Request) -> Response:
        raise RuntimeError("a bug")

    app.add_route("/hold", hold)
    app.add_route("/fail", fail)
    return app


def test_a_shed_request_is_browser_safe(one_at_a_time: Any) -> None:
    async def run() -> httpx.Response:
        one_at_a_time.state.held = anyio.Event()
        transport = httpx.ASGITransport(app=one_at_a_time)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as c,
            anyio.create_task_group() as tasks,
        ):
            tasks.start_soon(c.get, "/hold")
            await anyio.sleep(0.05)
            shed = await c.get("/api/v1/areas", headers={"X-API-Key": "k"})
            one_at_a_time.state.held.set()
        return shed

    shed = anyio.run(run)
    assert shed.status_code == 503 and shed.headers["retry-after"] == "1"
    assert shed.headers["cache-control"] == "no-store"
    assert_safe(shed)


def test_a_server_error_is_browser_safe_and_never_stored(one_at_a_time: Any) -> None:
    """A 500 is answered outside every middleware: it brings the headers itself."""
    r = TestClient(one_at_a_time, raise_server_exceptions=False).get("/fail")
    assert r.status_code == 500 and r.headers["content-type"] == PROBLEM
    assert r.headers["cache-control"] == "no-store"
    assert_safe(r)
