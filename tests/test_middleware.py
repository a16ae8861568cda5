"""The request guards around every endpoint: hosts, body size, NUL, idempotency, CORS."""

import base64
import json
from typing import Any

import anyio
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, update
from sqlmodel import Session, text

from api.api_keys import service as api_keys
from api.api_keys.schemas import ApiKeyCreate
from api.db import for_writing, make_engine
from api.enums import AccessRole
from api.middleware import ABANDONED, Admission, Idempotency
from api.models import IdempotencyRecord, utcnow

PROBLEM = "application/problem+json"
REGION = {"code": "E12000005", "name": "West Midlands", "kind": "region"}


def cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


def test_a_host_we_do_not_serve_is_refused(client: TestClient) -> None:
    r = client.get("/api/v1/areas", headers={"Host": "evil.example"})
    assert r.status_code == 400
    assert r.headers["content-type"] == PROBLEM
    ok = client.post("/api/v1/areas", json=REGION, headers={"Host": "localhost:8000"})
    assert ok.headers["location"].startswith("http://localhost:8000/api/v1/areas/")


def test_refusals_before_the_app_still_carry_cors_headers(client: TestClient) -> None:
    origin = {"Origin": "http://localhost:5173"}
    big = client.post("/api/v1/areas", content=b"x" * 2_000_000, headers=origin)
    assert big.status_code == 413
    assert big.headers["access-control-allow-origin"] == "http://localhost:5173"


def test_a_refused_post_is_not_replayed(client: TestClient) -> None:
    key = {"Idempotency-Key": "retry-after-fixing"}
    body = {"name": "Coventry", "kind": "local_authority", "parent_ids": ["E12000005"]}
    first = client.post("/api/v1/areas", json=body, headers=key)
    assert first.status_code == 422  # the parent does not exist yet
    client.post("/api/v1/areas", json=REGION)
    retry = client.post("/api/v1/areas", json=body, headers=key)
    assert retry.status_code == 201
    assert "idempotent-replayed" not in retry.headers
    again = client.post("/api/v1/areas", json=body, headers=key)
    assert again.json()["id"] == retry.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"


def test_idempotency_key_on_a_very_long_path_is_no_server_error(client: TestClient) -> None:
    r = client.post("/api/v1/" + "a" * 600, json={}, headers={"Idempotency-Key": "k"})
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    "token",
    [
        base64.urlsafe_b64encode(b"[" * 3000).decode(),  # nests deeper than json can parse
        cursor({"s": "created_at", "v": ["9999-12-31T23:59:59-23:59", "x"]}),  # overflows UTC
        cursor({"s": "created_at", "v": ["2020-01-01T00:00:00", "x"]}),  # no zone
    ],
)
def test_forged_cursors_are_422(client: TestClient, token: str) -> None:
    r = client.get("/api/v1/areas", params={"sort": "created_at", "cursor": token})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "query.cursor"


def test_sqlite_write_transactions_take_the_lock_at_begin(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    begins: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: begins.append(a[2]) if "BEGIN" in a[2] else None)
    with Session(engine) as reading:
        reading.execute(text("SELECT 1"))
    with for_writing(Session(engine)) as writing:
        writing.execute(text("SELECT 1"))
    assert begins == ["BEGIN", "BEGIN IMMEDIATE"]


def test_idempotency_keys_belong_to_their_caller(client: TestClient, session_factory) -> None:
    """Two systems that happen to choose the same key each get their own answer."""
    with session_factory() as session:
        secrets = [
            api_keys.create(
                session, ApiKeyCreate(name=n, role=AccessRole.editor), AccessRole.admin, None, "t"
            ).key
            for n in ("system a", "system b")
        ]
        session.commit()
    ward = {"name": "Ward", "kind": "ward"}
    a, b = ({"Idempotency-Key": "1", "X-API-Key": secret} for secret in secrets)
    first = client.post("/api/v1/areas", json=ward, headers=a)
    other = client.post("/api/v1/areas", json=ward, headers=b)
    retry = client.post("/api/v1/areas", json=ward, headers=a)
    assert first.status_code == other.status_code == 201
    assert other.json()["id"] != first.json()["id"] and "idempotent-replayed" not in other.headers
    assert retry.json()["id"] == first.json()["id"] and retry.headers["idempotent-replayed"] == "true"


def _a_minute_later(session_factory: Any) -> None:
    """Past which a claim without an answer counts as abandoned."""
    with session_factory() as session:
        session.execute(update(IdempotencyRecord).values(created_at=utcnow() - 2 * ABANDONED))
        session.commit()


def test_a_retry_of_a_write_whose_answer_was_lost_is_not_carried_out_again(
    client: TestClient, session_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = {"Idempotency-Key": "lost-answer"}
    with monkeypatch.context() as stopped:  # the server stops after the commit, before keeping the answer
        stopped.setattr(Idempotency, "_finish", lambda *_: None)
        assert client.post("/api/v1/areas", json=REGION, headers=key).status_code == 201
    _a_minute_later(session_factory)
    retry = client.post("/api/v1/areas", json=REGION, headers=key)
    assert retry.status_code == 409 and "carried out" in retry.json()["detail"]
    codes = [a["code"] for a in client.get("/api/v1/areas?limit=500").json()["items"]]
    assert codes.count(REGION["code"]) == 1


def test_a_retry_of_a_write_that_never_committed_is_carried_out(
    client: TestClient, session_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = {"Idempotency-Key": "died-before-commit"}
    body = {"name": "Coventry", "kind": "local_authority", "parent_ids": ["E12000005"]}
    with monkeypatch.context() as stopped:
        stopped.setattr(Idempotency, "_finish", lambda *_: None)
        assert client.post("/api/v1/areas", json=body, headers=key).status_code == 422  # rolled back
    _a_minute_later(session_factory)
    client.post("/api/v1/areas", json=REGION)
    assert client.post("/api/v1/areas", json=body, headers=key).status_code == 201


async def _admission_run(queue: int, wait: float, hold: float) -> list[tuple[int, dict[str, str]]]:
    """Three requests at once through Admission(limit=1): each holds its slot until released."""
    release = anyio.Event()

    async def app(scope: dict[str, str], receive: object, send: object) -> None:
        if scope["path"] != "/healthz":
            await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]

    guarded = Admission(app, limit=1, queue=queue, wait=wait, exempt=("/healthz",), downloads=1)
    answers: list[tuple[int, dict[str, str]]] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=guarded), base_url="http://t") as c:

        async def call(path: str) -> None:
            r = await c.get(path)
            answers.append((r.status_code, dict(r.headers)))

        async with anyio.create_task_group() as tg:
            tg.start_soon(call, "/first")
            await anyio.sleep(0.05)
            tg.start_soon(call, "/second")
            tg.start_soon(call, "/third")
            await anyio.sleep(0.05)
            health = await c.get("/healthz")  # never queued: answered while the slot is held
            assert health.status_code == 200 and not release.is_set()
            await anyio.sleep(hold)
            release.set()
    return answers


def test_requests_beyond_the_queue_are_shed_at_once_with_retry_after() -> None:
    answers = anyio.run(_admission_run, 1, 5.0, 0.1)
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200, 200, 503]  # one ran, one waited its turn, one found the queue full
    shed = next(headers for status, headers in answers if status == 503)
    assert shed["retry-after"] == "1" and shed["content-type"] == PROBLEM


def test_a_request_that_waits_too_long_is_shed() -> None:
    answers = anyio.run(_admission_run, 10, 0.2, 1.0)
    assert sorted(status for status, _ in answers) == [200, 503, 503]


async def _leaving_run() -> list[str]:
    """Admission(limit=1): one request holds the slot; a second waits and its client leaves."""
    release, served = anyio.Event(), []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        served.append(scope["path"])
        if scope["path"] == "/first":
            await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guarded = Admission(app, limit=1, queue=10, wait=5.0, exempt=(), downloads=1)

    async def request(path: str) -> None:
        scope = {"type": "http", "method": "GET", "path": path, "headers": []}
        messages = [{"type": "http.request", "body": b"", "more_body": False}]

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop(0)
            # Asked only by the waiting request, once it listens (after the short wait).
            await anyio.sleep(0.1)
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            pass

        await guarded(scope, receive, send)

    async with anyio.create_task_group() as tg:
        tg.start_soon(request, "/first")
        await anyio.sleep(0.05)
        tg.start_soon(request, "/second")
        await anyio.sleep(Admission.QUICK + 0.6)  # the second client has left by now
        release.set()
    return served


def test_a_waiting_request_whose_client_leaves_is_dropped() -> None:
    assert anyio.run(_leaving_run) == ["/first"]
