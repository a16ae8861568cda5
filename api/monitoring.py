"""/metrics in the Prometheus text format, and a JSON log line for every request.

Labels are bounded: a request is counted under its route's path template
(`/api/v1/stakeholders/{id}`), never its raw path, and under UNMATCHED when no route has
it; a method we do not serve is OTHER. So a client cannot add a series with each URL it
makes up. Nothing labelled or logged carries a query string, a header value or a body.

With `uvicorn --workers N`, each worker is a process with metrics of its own. With
PROMETHEUS_MULTIPROC_DIR set (a folder; `roadmap serve` empties it of a previous run's), counters,
histograms and the admission gauges are summed over the workers; the pool gauges are the
answering worker's, read as it answers.
"""

import logging
import os
import re
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import Unauthorized, problem_response

MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
if os.environ.get(MULTIPROCESS):  # where each process's metrics go, from its first one on
    os.makedirs(os.environ[MULTIPROCESS], exist_ok=True)

# The *_created series double every counter for a value Prometheus does not use.
disable_created_metrics()  # type: ignore[no-untyped-call]

UNMATCHED, OTHER = "unmatched", "OTHER"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

DURATION = Histogram(
    "http_request_duration_seconds",
    "Time from a request's arrival to its answer's last byte, admission's wait included.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
RESPONSES = Counter(
    "http_responses_total", "Answers by route, method and status code.", ["route", "method", "status"]
)
# Per worker; summed over live workers in multiprocess mode.
IN_FLIGHT = Gauge(
    "roadmap_admission_in_flight", "Requests admitted and not yet answered.", multiprocess_mode="livesum"
)
WAITING = Gauge("roadmap_admission_waiting", "Requests waiting for admission.", multiprocess_mode="livesum")
SHED = Counter(
    "roadmap_admission_shed_total", "Requests answered 503 by admission (queue full or wait over)."
)
STALLED = Counter(
    "roadmap_downloads_stalled_total", "Downloads cut off because their client stopped reading."
)
RATE_LIMITED = Counter(
    "roadmap_rate_limited_total", "Requests refused with 429, by the limit that refused them.", ["limit"]
)
RATE_LIMITED.labels("sign-in")  # shown at 0 before the first refusal
RATE_LIMITED.labels("requests")


class PoolCollector(Collector):
    """The app's database pool, read at scrape time: nothing is counted per query."""

    def __init__(self, engines: dict[str, Engine]) -> None:
        self.engines = engines

    def collect(self) -> Iterator[GaugeMetricFamily]:
        families = {
            name: GaugeMetricFamily(f"roadmap_db_pool_{name}", text, labels=["engine"])
            for name, text in (
                ("size", "Connections the pool keeps."),
                ("checked_out", "Connections in use."),
                ("overflow", "Connections open beyond the pool's size (negative: not yet opened)."),
                ("max_overflow", "Connections the pool may open beyond its size."),
            )
        }
        for label, engine in self.engines.items():
            pool: Any = engine.pool
            for name, read in (("size", "size"), ("checked_out", "checkedout"), ("overflow", "overflow")):
                if hasattr(pool, read):  # a QueuePool; SQLite in memory has a simpler one
                    families[name].add_metric([label], getattr(pool, read)())
            if hasattr(pool, "_max_overflow"):
                families["max_overflow"].add_metric([label], pool._max_overflow)
        yield from families.values()


def _route(app: Any, scope: Scope) -> str:
    """The path template of the route that answered, or that would have (a refusal before
    routing: 400, 413, 503)."""
    route = scope.get("route")
    if route is None:
        for candidate in app.routes:
            if candidate.matches(scope)[0] != Match.NONE:
                route = candidate
                break
    return getattr(route, "path", None) or UNMATCHED


class Observe:
    """Times and counts every answer, and logs one line for it; outermost, so refusals count too."""

    def __init__(self, app: ASGIApp, routes: FastAPI) -> None:
        self.app, self.routes = app, routes
        self.log = logging.getLogger("api.requests")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start, status = time.perf_counter(), 0

        async def noted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noted)
        except Exception:
            status = status or 500  # what the server's error handler answers
            raise
        finally:
            self._record(scope, status, time.perf_counter() - start)

    def _record(self, scope: Scope, status: int, seconds: float) -> None:
        route = _route(self.routes, scope)
        method = scope["method"] if scope["method"] in METHODS else OTHER
        DURATION.labels(route, method).observe(seconds)
        RESPONSES.labels(route, method, str(status) if status else "none").inc()
        client = scope.get("client")
        self.log.log(
            logging.WARNING if status >= 500 else logging.INFO,  # the server's fault, or overloaded
            "%s %s %s %.1f ms",
            method,
            route,
            status or "-",
            seconds * 1000,
            extra={
                "request_id": scope.get("state", {}).get("request_id"),
                "method": method,
                "route": route,
                "path": _safe_path(scope["path"]),
                "status": status or None,
                "duration_ms": round(seconds * 1000, 2),
                "client": client[0] if client else None,
            },
        )


EMAIL = re.compile(r"[^/@]+@[^/@]+")


def _safe_path(path: str) -> str:
    """The path without its query (tokens and e-mail addresses travel there), and without anything
    that looks like an e-mail address in it."""
    path = path[:300]  # a made-up path can be kilobytes long
    return EMAIL.sub("[email]", path) if "@" in path else path


def install(app: FastAPI, token: str | None) -> None:
    """`GET /metrics`: open, or with `token` set only to `Authorization: Bearer <token>`."""
    expected = f"Bearer {token}".encode() if token else None

    async def metrics(request: Request) -> Response:
        if expected is not None:
            given = request.headers.get("authorization", "").encode()
            if not secrets.compare_digest(given, expected):
                refusal = Unauthorized("Send the metrics token as `Authorization: Bearer <token>`.")
                refusal.headers = {"WWW-Authenticate": 'Bearer realm="metrics"'}
                return problem_response(refusal)
        registry = REGISTRY
        if os.environ.get(MULTIPROCESS):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        # This worker's pool, as it is now (the app's own: a test process holds several apps).
        pools = CollectorRegistry(auto_describe=False)
        pools.register(PoolCollector({"api": request.app.state.engine}))
        body = generate_latest(registry) + generate_latest(pools)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    app.add_route("/metrics", metrics, methods=["GET"], include_in_schema=False)


def forget_previous_run() -> None:
    """Before serving: the files of a previous run's processes would be summed with this run's.

    This process's own are kept: with one worker it is the one that serves.
    """
    folder = os.environ.get(MULTIPROCESS)
    for stale in Path(folder).glob("*.db") if folder else ():
        if not stale.stem.endswith(f"_{os.getpid()}"):
            stale.unlink(missing_ok=True)


def worker_stopped() -> None:
    """A worker's live gauges leave the sum when it stops (multiprocess mode)."""
    if os.environ.get(MULTIPROCESS):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
