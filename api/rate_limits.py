"""Rate limits: requests per caller per fixed window, counted where every replica sees them.

One interface, two stores, chosen by the database: on PostgreSQL a row per (bucket, window)
that every replica adds its counts to, in batches (DatabaseStore); on SQLite (one host) a dict
in memory. Buckets are SHA-256 digests: no credential or address is kept as sent.
"""

import hashlib
import logging
import threading
import time
from collections.abc import Callable
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


Key = tuple[str, int]  # (bucket, period)

# One statement for every bucket a flush carries, whatever their number (arrays, not a parameter
# per row). In one order on every replica: two flushes locking the same rows in different
# orders would deadlock.
_UPSERT = text(
    "INSERT INTO rate_limit_counter (bucket, period, hits) "
    "SELECT * FROM unnest(CAST(:buckets AS text[]), CAST(:periods AS bigint[]), CAST(:hits AS integer[])) "
    "ORDER BY 1, 2 "
    "ON CONFLICT (bucket, period) DO UPDATE SET hits = rate_limit_counter.hits + EXCLUDED.hits "
    "RETURNING bucket, period, hits"
)
_PRUNE = text("DELETE FROM rate_limit_counter WHERE period < :before")


class DatabaseStore:
    """Counts in rate_limit_counter (PostgreSQL), shared by every replica, written in batches.

    A write per request made counting cost up to a third of read throughput, and one busy
    caller's requests queued on its row. So each process counts in memory and, at most every
    `flush_seconds`, adds what it counted to the shared rows in one statement, learning the
    totals (every replica's flushed hits) for those buckets. A request's count is the last
    total known here plus this process's hits not yet in it. The trade: a replica learns of
    the others' hits an interval or so late, so past a quota every replica lets a caller's
    requests through for that long: a limit can be overshot by about replicas * the caller's
    rate per replica * flush_seconds (up to twice that: a hit another replica flushes just
    after this one's flush is learned here at the next). 4 replicas taking 10 requests a second
    each from one caller at 0.25 s: 10 to 20 more in a window.

    Flushed inline by the request that finds the interval over (it waits for the database; the
    others go on with the counts known), so no thread or task to start or stop. Its own pool of
    one connection, never the requests' one: a request is counted before Admission lets it in,
    and only one flush runs at a time.
    """

    def __init__(
        self, engine: Engine, flush_seconds: float = 0.25, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.engine = create_engine(
            engine.url,
            pool_size=1,
            max_overflow=0,
            pool_timeout=2,
            pool_pre_ping=True,
            hide_parameters=True,
            connect_args={"connect_timeout": 2},
        )
        self.flush_seconds = flush_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()  # the state below; never held while the database works
        self._period = -1  # the latest window seen: the ones before are over
        self._shared: dict[Key, int] = {}  # totals as of the last flush, this process's hits included
        self._sending: dict[Key, int] = {}  # this process's hits in the flush under way
        self._pending: dict[Key, int] = {}  # this process's hits since
        self._flushing = False
        self._flushed_at = monotonic()
        self._pruned = -1  # only the flush (one at a time) reads and writes it
        self._failing = False

    def _forget(self, period: int) -> None:
        """Drops the windows that are over, so memory holds one window's buckets (rebinds, never
        mutates: a flush under way reads the dict it took)."""
        if period > self._period:
            self._period = period
            self._shared = {k: n for k, n in self._shared.items() if k[1] >= period}
            self._sending = {k: n for k, n in self._sending.items() if k[1] >= period}
            self._pending = {k: n for k, n in self._pending.items() if k[1] >= period}

    def _take(self) -> dict[Key, int] | None:
        """The hits to flush, unless a flush is under way: one at a time, the others do not wait."""
        if self._flushing:
            return None
        self._flushing = True
        self._sending, self._pending = self._pending, {}
        return self._sending

    def _write(self, hits: dict[Key, int], period: int) -> dict[Key, int]:
        totals: dict[Key, int] = {}
        if not hits and period == self._pruned:
            return totals
        with self.engine.begin() as conn:
            if hits:
                rows = conn.execute(
                    _UPSERT,
                    {
                        "buckets": [b for b, _ in hits],
                        "periods": [p for _, p in hits],
                        "hits": list(hits.values()),
                    },
                )
                totals = {(b, p): n for b, p, n in rows}
            if period != self._pruned:  # once per window per process: the windows before are over
                conn.execute(_PRUNE, {"before": period - 1})
        self._pruned = period
        return totals

    async def _flush(self, hits: dict[Key, int], period: int) -> None:
        totals = None
        try:
            totals = await anyio.to_thread.run_sync(self._write, hits, period)
        except SQLAlchemyError as exc:
            # The database is down or overloaded: the app answers that itself (503); a limit
            # that cannot be counted is not enforced rather than refusing everyone.
            if not self._failing:
                log.warning("rate limits not counted: %s", type(exc).__name__)
        finally:
            with self._lock:
                if totals is None:  # kept for the next flush (_forget drops them when their window ends)
                    for key, n in self._sending.items():
                        self._pending[key] = self._pending.get(key, 0) + n
                else:
                    self._shared.update((k, n) for k, n in totals.items() if k[1] >= self._period)
                self._sending, self._flushing, self._failing = {}, False, totals is None
                self._flushed_at = self._monotonic()

    async def flush(self) -> None:
        """Adds this process's hits to the shared counts now (unless a flush is under way)."""
        with self._lock:
            hits, period = self._take(), self._period
        if hits is not None:
            await self._flush(hits, period)

    async def hit(self, buckets: list[str], period: int) -> list[int] | None:
        with self._lock:
            self._forget(period)
            for bucket in buckets:
                self._pending[(bucket, period)] = self._pending.get((bucket, period), 0) + 1
            due = self._monotonic() - self._flushed_at >= self.flush_seconds
            hits = self._take() if due else None
        # A bucket new here counts from 0 until its first flush rather than flushing at once:
        # every bucket is new when a window starts, so every caller's first request would wait
        # on the database together. What that misses is within the bound above.
        if hits is not None:  # this request's count is then the fresh total
            await self._flush(hits, period)
        with self._lock:
            if self._failing:
                return None
            return [
                self._shared.get(k, 0) + self._sending.get(k, 0) + self._pending.get(k, 0)
                for k in ((bucket, period) for bucket in buckets)
            ]


def store_for(engine: Engine, flush_seconds: float = 0.25) -> Store:
    return DatabaseStore(engine, flush_seconds) if engine.dialect.name == "postgresql" else MemoryStore()
