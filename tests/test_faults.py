"""Faults under load, against a real server: the database stops and comes back, SQLite's write
lock is held past the busy timeout, the server is killed mid-write.

Every answer is a success or a `503` problem with Retry-After, given at once: never a 500, a
stack trace or a hang. Service comes back without a restart. What was committed stays, whole.
"""

import asyncio
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, col

from api import migrate, models
from api.config import Settings
from api.db import make_engine
from api.main import create_app
from api.seed import loader
from tests.conftest import make_key
from tests.servers import Server, cluster, serving

CLIENTS = 12
STALLED = 30.0  # far beyond any answer a working server gives
# The load is many requests a second from one address: the limits stay on, out of its way.
GENEROUS = {f"RATE_LIMIT_{name}": "1000000" for name in ("ANONYMOUS", "PER_CREDENTIAL", "PER_ADDRESS")}
PROBLEM = "application/problem+json"
KILL_AFTER = 20  # writes answered before the server is killed, with more on their way


@dataclass
class Roadmap:
    """What the requests need from a loaded roadmap."""

    url: str
    editor: str
    outcomes: list[str]
    areas: list[str]


def load_roadmap(url: str) -> Roadmap:
    engine = make_engine(url, pool_size=1)
    factory = sessionmaker(engine, class_=Session)
    with factory() as session:
        loader.load(session)
        session.commit()
        outcomes = list(session.scalars(select(models.Outcome.id).order_by(col(models.Outcome.id)).limit(2)))
        areas = list(session.scalars(select(models.Area.id).order_by(col(models.Area.id)).limit(2)))
    editor = make_key(factory, "editor")
    engine.dispose()
    return Roadmap(url, editor, outcomes, areas)


@dataclass
class Answer:
    phase: str  # what the database was doing when the request was sent
    until: str  # and when it was answered
    write: bool
    took: float
    outcome: str  # "ok", "unavailable" (a 503 problem with Retry-After), or what went wrong


@dataclass
class Load:
    """CLIENTS clients, each sending its next request as soon as the last is answered:
    reads without credentials, and writes (a collaboration with its links) by an editor."""

    roadmap: Roadmap
    phase: str = "up"
    answers: list[Answer] = field(default_factory=list)
    created: dict[str, str] = field(default_factory=dict)  # title -> id, for each 201
    sent: list[str] = field(default_factory=list)  # every write's title, which is its Idempotency-Key
    running: bool = True
    written: asyncio.Event = field(default_factory=asyncio.Event)  # KILL_AFTER writes answered 201

    def body(self, title: str) -> dict[str, Any]:
        r = self.roadmap
        return {"title": title, "kind": "project", "outcome_ids": r.outcomes, "area_ids": r.areas}

    async def one(self, client: httpx.AsyncClient, n: int, count: int) -> None:
        write = (n + count) % 3 == 0
        phase, started = self.phase, time.monotonic()
        try:
            if write:
                title = f"fault {uuid.uuid4().hex}"
                self.sent.append(title)
                headers = {"X-API-Key": self.roadmap.editor, "Idempotency-Key": title}
                r = await client.post("/api/v1/collaborations", json=self.body(title), headers=headers)
                if r.status_code == 201:
                    self.created[title] = r.json()["id"]
                    if len(self.created) >= KILL_AFTER:
                        self.written.set()
            else:
                r = await client.get(("/api/v1/stakeholders?limit=20", "/api/v1/missions")[count % 2])
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
        else:
            outcome = classify(r)
        self.answers.append(Answer(phase, self.phase, write, time.monotonic() - started, outcome))

    async def run(self, client: httpx.AsyncClient) -> None:
        async def loop(n: int) -> None:
            count = 0
            while self.running:
                count += 1
                await self.one(client, n, count)

        await asyncio.gather(*(loop(n) for n in range(CLIENTS)))

    def outcomes(self, phase: str | None = None, write: bool | None = None) -> set[str]:
        """What the requests sent and answered within `phase` got (all requests: None)."""
        return {
            a.outcome
            for a in self.answers
            if (phase is None or a.phase == a.until == phase) and write in (None, a.write)
        }


def classify(r: httpx.Response) -> str:
    if 200 <= r.status_code < 300:
        return "ok"
    problem = r.headers.get("content-type") == PROBLEM
    if r.status_code == 503 and problem and r.headers.get("retry-after", "").isdigit():
        return "unavailable"
    return f"{r.status_code} {r.text[:300]}"


async def scenario(
    base: str, load: Load, fault: Callable[[], None], repair: Callable[[], None], broken_for: float = 3
) -> float:
    """Serve a while, break the database, hold it broken, repair it, serve again; the seconds
    from the repair to /readyz's 200."""
    async with httpx.AsyncClient(base_url=base, timeout=STALLED) as client:
        running = asyncio.create_task(load.run(client))
        try:
            await asyncio.sleep(1.5)
            load.phase = "breaking"
            await asyncio.to_thread(fault)
            load.phase = "broken"
            await asyncio.sleep(broken_for)
            ready = await client.get("/readyz")
            load.phase = "repairing"
            await asyncio.to_thread(repair)
            repaired = time.monotonic()
            while (await client.get("/readyz")).status_code != 200:
                assert time.monotonic() - repaired < STALLED, "service did not come back"
                await asyncio.sleep(0.2)
            back = time.monotonic() - repaired
            load.phase = "back"
            await asyncio.sleep(1.5)
        finally:
            load.running = False
            await running
    load.answers.append(
        Answer("broken", "broken", False, 0, "ready" if ready.status_code == 200 else classify(ready))
    )
    return back


def committed(url: str) -> dict[str, tuple[str, tuple[int, int, int]]]:
    """Each collaboration the load wrote: its id, and its outcome links, area links and
    creations in the audit trail."""
    C, Change = models.Collaboration, models.Change
    engine = make_engine(url, pool_size=1)
    with Session(engine) as session:
        rows = session.execute(select(C.title, C.id).where(col(C.title).startswith("fault "))).all()
        ids = {title: id_ for title, id_ in rows}
        assert len(ids) == len(rows), "a write was carried out twice"

        def per_collaboration(column: Any, *where: Any) -> dict[str, int]:
            counted = select(column, func.count()).where(col(column).in_(list(ids.values())), *where)
            return {id_: n for id_, n in session.execute(counted.group_by(column))}

        outcomes = per_collaboration(models.CollaborationOutcome.collaboration_id)
        areas = per_collaboration(models.CollaborationArea.collaboration_id)
        creates = per_collaboration(
            Change.resource_id, col(Change.resource) == "collaborations", col(Change.action) == "create"
        )
        if engine.dialect.name == "sqlite":
            assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()
    return {t: (i, (outcomes.get(i, 0), areas.get(i, 0), creates.get(i, 0))) for t, i in ids.items()}


def no_trace(log: Path) -> None:
    text = log.read_text()
    assert "Traceback" not in text and "Exception in ASGI" not in text, text[-5000:]


def needs(database_url: str, engine: str) -> None:
    if make_url(database_url).get_backend_name() != engine:
        pytest.skip(f"a fault of {engine}'s; this run's database is another")


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_postgresql_stopped_and_started_under_load(database_url: str, tmp_path: Path, mode: str) -> None:
    needs(database_url, "postgresql")
    with cluster() as pg:
        migrate.upgrade(pg.url)
        load = Load(load_roadmap(pg.url))
        with serving(pg.url, tmp_path / "server.log", GENEROUS) as server:
            back = asyncio.run(scenario(server.base, load, lambda: pg.stop(mode), pg.start))

    assert load.outcomes() <= {"ok", "unavailable"}
    assert load.outcomes("up") == {"ok"}
    # Down: /readyz and every request a 503 with Retry-After, at once (a refused connection).
    assert load.outcomes("broken") == {"unavailable"}
    assert max(a.took for a in load.answers if a.phase == "broken") < 5
    assert back < 10
    assert load.outcomes("back") == {"ok"}
    no_trace(tmp_path / "server.log")


def test_sqlite_write_lock_held_past_the_busy_timeout_under_load(
    scratch_database: str, tmp_path: Path
) -> None:
    needs(scratch_database, "sqlite")
    load = Load(load_roadmap(scratch_database))
    holder = sqlite3.connect(
        make_url(scratch_database).database or "", isolation_level=None, timeout=30, check_same_thread=False
    )

    def hold() -> None:  # as a long import or a backup by another process does
        holder.execute("BEGIN IMMEDIATE")

    # Short enough for a test, long enough that writers queueing behind each other on a busy
    # machine are not taken for writers locked out.
    busy = 3
    env = {**GENEROUS, "SQLITE_BUSY_TIMEOUT_SECONDS": str(busy)}
    with serving(scratch_database, tmp_path / "server.log", env) as server:
        asyncio.run(scenario(server.base, load, hold, holder.commit, broken_for=busy + 3))
    holder.close()
    assert load.outcomes() <= {"ok", "unavailable", "ready"}
    assert load.outcomes("up") == {"ok"}
    # Reads go on beside a writer (WAL); writes wait the busy timeout, then are told to retry.
    assert load.outcomes("broken", write=False) == {"ok", "ready"}
    assert "unavailable" in load.outcomes("broken", write=True) <= {"ok", "unavailable"}
    assert max(a.took for a in load.answers if a.phase == "broken") < busy + 5
    assert load.outcomes("back") == {"ok"}
    no_trace(tmp_path / "server.log")


def test_a_server_killed_mid_write_loses_nothing_committed_and_leaves_nothing_half_written(
    scratch_database: str, tmp_path: Path
) -> None:
    load = Load(load_roadmap(scratch_database))
    server = Server(scratch_database, tmp_path / "server.log", GENEROUS)

    async def until_killed() -> None:
        async with httpx.AsyncClient(base_url=server.base, timeout=STALLED) as client:
            running = asyncio.create_task(load.run(client))
            await load.written.wait()
            await asyncio.to_thread(server.kill)
            load.running = False
            await running

    try:
        asyncio.run(until_killed())
    finally:
        server.stop()
    lost = [title for title in load.sent if title not in load.created]
    assert lost, "every write was answered before the kill: nothing was cut short"

    saved = committed(scratch_database)
    # Every write answered 201 was committed; nothing else was, except writes whose answer the
    # kill cut off; each one committed is whole: its links and its one entry in the audit trail.
    assert load.created.items() <= {title: id_ for title, (id_, _) in saved.items()}.items()
    assert set(saved) <= set(load.sent)
    whole = (len(load.roadmap.outcomes), len(load.roadmap.areas), 1)
    assert all(counts == whole for _, counts in saved.values()), saved

    # Restarted, the server serves what was committed, and a retry never writes twice.
    with (
        serving(scratch_database, tmp_path / "again.log", GENEROUS) as again,
        httpx.Client(base_url=again.base, timeout=STALLED) as client,
    ):
        for title, id_ in load.created.items():
            got = client.get(f"/api/v1/collaborations/{id_}", headers={"X-API-Key": load.roadmap.editor})
            assert got.status_code == 200 and got.json()["title"] == title
        for title in lost:
            headers = {"X-API-Key": load.roadmap.editor, "Idempotency-Key": title}
            retried = client.post("/api/v1/collaborations", json=load.body(title), headers=headers)
            if title in saved:  # carried out, answer lost: told so, not done again
                assert retried.status_code == 409 and "carried out" in retried.json()["detail"], retried.text
            else:  # not carried out: done now, or (its claim is under a minute old) told to wait
                assert retried.status_code in (201, 409), retried.text
    after = committed(scratch_database)
    assert saved.items() <= after.items()
    assert all(counts == whole for _, counts in after.values()), after
    no_trace(tmp_path / "again.log")


def test_a_server_started_while_the_database_is_down_starts_and_answers_503() -> None:
    nowhere = "postgresql+psycopg://roadmap@127.0.0.1:1/roadmap"  # nothing listens on port 1
    app = create_app(Settings(database_url=nowhere))
    with TestClient(app) as client:  # the start (its interrupted-imports check) did not fail
        assert client.get("/healthz").status_code == 200
        for path in ("/readyz", "/api/v1/missions"):
            r = client.get(path)
            assert classify(r) == "unavailable", (path, r.status_code, r.text)
        posted = client.post(
            "/api/v1/areas", json={"name": "W", "kind": "ward"}, headers={"Idempotency-Key": "k"}
        )
        assert classify(posted) == "unavailable", posted.text
