"""Rate limits: requests per caller per fixed window, counted where every replica sees them.

One interface, two stores, chosen by the database: on PostgreSQL a row per (bucket, window),
upserted by one statement in a short transaction of its own, so that every replica counts the
same requests; on SQLite (one host) a dict in memory. Buckets are SHA-256 digests: no
credential or address is kept as sent.
"""

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from typing import Protocol

import anyio
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError

# Never counted: probes and scrapes must work whatever a caller did, and the docs' files
# are many requests per page view.
EXEMPT = ("/healthz", "/readyz", "/metrics")
EXEMPT_FOLDERS = ("/docs", "/redoc")

log = logging.getLogger(__name__)


def clock() -> float:
    """Seconds since 1970; tests replace it to move between windows without waiting."""
    return time.time()


def exempt(path: str) -> bool:
    return path in EXEMPT or any(path == f or path.startswith(f + "/") for f in EXEMPT_FOLDERS)


@dataclass(frozen=True)
class Policy:
    name: str
    quota: int  # requests per window; 0 is no limit

    def bucket(self, caller: str) -> str:
        return hashlib.sha256(f"{self.name}:{caller}".encode()).hexdigest()


class Store(Protocol):
    async def hit(self, buckets: list[str], period: int) -> list[int] | None:
        """Count one request in each bucket for the window `period`; each bucket's count so far.

        None when nothing could be counted: the request is let through (fail open).
        """
        ...


class MemoryStore:
    """The current window's counts, in this process: one host, one count (SQLite)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._period = -1
        self._hits: dict[str, int] = {}

    async def hit(self, buckets: list[str], period: int) -> list[int] | None:
        with self._lock:
            if period != self._period:  # the windows before are over: their counts go
                self._period, self._hits = period, {}
            counts = []
            for bucket in buckets:
                self._hits[bucket] = count = self._hits.get(bucket, 0) + 1
                counts.append(count)
            return counts


class DatabaseStore:
    """Counts in rate_limit_counter (PostgreSQL), shared by every replica.

    Its own small pool, never the requests' one: a request is counted before Admission lets
    it in, so counting from the requests' pool would take the connections Admission counts on.
    """

    def __init__(self, engine: Engine, connections: int = 4) -> None:
        self.engine = create_engine(
            engine.url,
            pool_size=connections,
            max_overflow=0,
            pool_timeout=2,
            pool_pre_ping=True,
            hide_parameters=True,
            connect_args={"connect_timeout": 2},
        )
        self._pruned = -1
        self._failing = False

    def _upsert(self, count: int) -> str:
        rows = ", ".join(f"(:b{i}, :period, 1)" for i in range(count))
        return (
            f"INSERT INTO rate_limit_counter (bucket, period, hits) VALUES {rows} "
            "ON CONFLICT (bucket, period) DO UPDATE SET hits = rate_limit_counter.hits + 1 "
            "RETURNING bucket, hits"
        )

    def _hit(self, buckets: list[str], period: int) -> list[int]:
        values: dict[str, object] = {f"b{i}": b for i, b in enumerate(buckets)}
        with self.engine.begin() as conn:
            hits: dict[str, int] = dict(
                conn.execute(text(self._upsert(len(buckets))), {**values, "period": period}).all()
            )
        if period != self._pruned:  # once per window per process: the windows before are over
            self._pruned = period
            with self.engine.begin() as conn:
                conn.execute(
                    text("DELETE FROM rate_limit_counter WHERE period < :before"), {"before": period - 1}
                )
        return [hits[b] for b in buckets]

    async def hit(self, buckets: list[str], period: int) -> list[int] | None:
        try:
            counts = await anyio.to_thread.run_sync(self._hit, buckets, period)
        except SQLAlchemyError as exc:
            # The database is down or overloaded: the app answers that itself (503); a limit
            # that cannot be counted is not enforced rather than refusing everyone.
            if not self._failing:
                log.warning("rate limits not counted: %s", type(exc).__name__)
            self._failing = True
            return None
        self._failing = False
        return counts


def store_for(engine: Engine) -> Store:
    return DatabaseStore(engine) if engine.dialect.name == "postgresql" else MemoryStore()
