"""Engine construction and the request-scoped session, the only place that commits."""

import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel, create_engine
from starlette.concurrency import run_in_threadpool

SessionFactory = Callable[[], Session]
CONNECT_TIMEOUT_SECONDS = 5
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}


def ensure_sqlite_dir(url: str) -> None:
    """A SQLite file's folder must exist before SQLite can create the file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(
    url: str,
    *,
    pool_size: int = 10,
    sqlite_cache_kib: int = 2048,
    statement_timeout: float = 0,
    busy_timeout: float = 15,
) -> Engine:
    # Admission (api.middleware) lets in no more requests and downloads than the pool has
    # connections, and each holds one at a time (the overflow covers the idempotency check and
    # a key's last-use note). A wait here means a leak: it fails fast (503) instead of queueing.
    # hide_parameters: a database error's text (logged, e.g. on a conflict) would otherwise hold
    # the statement's values: e-mail addresses, names, token hashes.
    pool = {"pool_size": pool_size, "max_overflow": 4, "pool_timeout": 5, "hide_parameters": True}
    # statement_timeout (seconds, 0 for none): no statement a client can cause runs longer; it
    # is cancelled and the request answered 503 (api.errors), so a bad plan is never a hang.
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # connect_timeout: a server that does not answer (down host, full backlog) costs a
        # request 5 s and a 503, not the operating system's minutes-long TCP timeout. Keepalives:
        # a connection whose host vanished mid-query (a network partition) fails in about a
        # minute, not the kernel's two hours; a statement_timeout there cannot fire.
        connect: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS, **KEEPALIVES}
        if statement_timeout:
            connect["options"] = f"-c statement_timeout={int(statement_timeout * 1000)}"
        return create_engine(url, pool_pre_ping=True, connect_args=connect, **pool)
    ensure_sqlite_dir(url)
    # timeout: how long a statement waits for another connection's write lock before it fails
    # "database is locked" (a 503 with Retry-After, api.errors).
    sqlite = {"check_same_thread": False, "timeout": busy_timeout}
    engine = create_engine(url, connect_args=sqlite, **pool)
    if statement_timeout:
        _limit_sqlite_statements(engine, statement_timeout)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling breaks SAVEPOINT; let SQLAlchemy emit BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA cache_size=-{int(sqlite_cache_kib)}")
        cursor.close()

    _one_writer_at_a_time(engine, busy_timeout)
    return engine


def _one_writer_at_a_time(engine: Engine, wait: float) -> None:
    """SQLite has one writer. Its busy handler polls for the lock with growing sleeps, with no
    order among the waiters: with a few writers some starve (seen: 1 s and more under four
    writers, each holding the lock for milliseconds). So this process's writers queue on a lock
    of their own, woken as soon as it is free, and only meet SQLite's handler when another
    process writes. A writer that waits past `wait` fails as SQLite's own would: "locked"."""
    writer = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # pysqlite's own transaction handling is off (isolation_level=None): SQLAlchemy's BEGIN
        begin = conn.get_execution_options().get("sqlite_begin", "BEGIN")
        if begin != "BEGIN":
            if not writer.acquire(timeout=wait):
                raise OperationalError(begin, None, sqlite3.OperationalError("database is locked"))
            conn.info["writer"] = True
        try:
            conn.exec_driver_sql(begin)
        except BaseException:
            _release(conn)
            raise

    # Released at the transaction's end, or when its connection goes back to the pool however
    # it ended (an invalidated connection has no rollback).
    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _release(conn: Any) -> None:
        if conn.info.pop("writer", False):
            writer.release()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        if record.info.pop("writer", False):
            writer.release()


def _limit_sqlite_statements(engine: Engine, seconds: float) -> None:
    """SQLite has no statement timeout: its progress handler interrupts a statement past its
    deadline ("interrupted", an OperationalError), as PostgreSQL's statement_timeout would."""

    @event.listens_for(engine, "connect")
    def _watch(dbapi_connection: Any, record: Any) -> None:
        deadline = record.info.setdefault("deadline", [float("inf")])
        dbapi_connection.set_progress_handler(lambda: time.monotonic() > deadline[0], 10_000)

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn: Any, *_: Any) -> None:
        conn.info["deadline"][0] = time.monotonic() + seconds


def analyze(session: Session) -> None:
    """Refresh PostgreSQL's planner statistics after a bulk write, in its transaction.

    Until autovacuum gets there the planner believes the new rows are not there, and for the
    nested subqueries of a filtered list picks nested loops whose cost is the product of the
    tables' sizes: 20 s for 49 organisations, seen in CI. SQLite plans without statistics.
    """
    # The application's tables by name: a bare ANALYZE also takes the shared catalogs
    # (pg_authid…), and holding them to the end of the transaction stalls every other
    # database's ANALYZE on the cluster.
    tables = ", ".join(f'"{name}"' for name in SQLModel.metadata.tables)
    if tables and session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"ANALYZE {tables}"))


def for_writing(session: Session) -> Session:
    """On SQLite, take the write lock at BEGIN: a transaction that reads and then writes
    waits its turn instead of failing when another writer commits first."""
    session.connection(execution_options={"sqlite_begin": "BEGIN IMMEDIATE"})
    return session


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def finish(session: Session) -> None:
    """The end of a request's unit of work: commit it and hand the connection back.

    The one place that commits. `api.routing` calls it in the endpoint's own thread; the
    session dependency calls it for an endpoint that did not.
    """
    if session.in_transaction():
        session.commit()
    session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    factory: SessionFactory = request.app.state.session_factory
    session = factory()  # no connection yet: that waits for the first query
    # What the middleware needs written in the request's own transaction (an Idempotency-Key's
    # claim marked committed): with it or not at all.
    for hook in getattr(request.state, "before_commit", ()):
        event.listen(session, "before_commit", hook)
    try:
        if request.method not in SAFE_METHODS:
            await run_in_threadpool(for_writing, session)
        yield session
        if session.in_transaction():
            await run_in_threadpool(finish, session)
    finally:
        if session.in_transaction():  # an error: roll back and release the connection
            await run_in_threadpool(session.close)
        else:
            session.close()  # nothing to release: no I/O


# scope="function": the commit runs before the response is sent, so a failed commit is
# reported to the client instead of being hidden behind an already-sent 201.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
