"""The ASGI app: `api.main:app`, or `create_app()` for tests and custom settings."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api import docs, errors, monitoring, openapi, rate_limits, routing
from api.accounts.routes import router as accounts
from api.api_keys.routes import router as api_keys
from api.areas.routes import router as areas
from api.audit.routes import router as changes
from api.auth.routes import router as auth
from api.benchmarks.routes import router as benchmarks
from api.collaborations.routes import router as collaborations
from api.config import Settings, get_settings
from api.contributors.routes import router as contributors
from api.db import for_writing, make_engine
from api.health.routes import router as health
from api.imports import liveness
from api.imports.routes import router as imports
from api.metrics.routes import router as metrics
from api.middleware import ALWAYS_ADMITTED, Admission, Guard, Idempotency, RateLimit, SecurityHeaders
from api.missions.routes import router as missions
from api.network.routes import router as network
from api.open_data.routes import router as open_data
from api.outcomes.routes import router as outcomes
from api.overlaps.routes import router as overlaps
from api.progress.routes import router as progress
from api.referrals.routes import router as referrals
from api.roadmaps.routes import router as roadmaps
from api.stakeholders.routes import router as stakeholders
from api.stories.routes import router as stories
from api.support.routes import router as support

DESCRIPTION = """\
A region's digital roadmap and innovation ecosystem: missions, outcomes, metrics with
baselines and targets, the organisations involved and what they do together.

Conventions: keyset pagination (`limit`, `cursor`, `Link: rel="next"`); errors as RFC 9457
`application/problem+json`; `ETag` on every resource and `If-Match` required on PATCH and
DELETE; `Idempotency-Key` honoured on POST.

Access: without credentials, published content can be read. Sign in at `/api/v1/auth/token`
(people) or send an API key as `X-API-Key` (systems); the role decides the rest: `reader`
reads drafts and history too, `partner` writes what its organisation owns, `editor` all
roadmap content, `admin` also accounts. 401 means no or bad credentials, 403 not allowed.
Every write is in the audit trail (`…/{id}/history`) and the change feed (`/api/v1/changes`).
"""

TAGS = [
    {"name": "roadmaps", "description": "A region's roadmap for a period."},
    {"name": "missions", "description": "The top-level aims of a roadmap (M1…M5)."},
    {"name": "outcomes", "description": "What a mission wants to change, measured by metrics."},
    {"name": "metrics", "description": "Indicators with baselines, targets and observations."},
    {"name": "stakeholders", "description": "Organisations (and people) in the ecosystem."},
    {"name": "collaborations", "description": "Anything two or more stakeholders do together."},
    {"name": "areas", "description": "Places, from the UK down to wards, keyed by GSS code."},
    {"name": "auth", "description": "Signing in: OAuth2 password flow with rotating refresh tokens."},
    {"name": "accounts", "description": "People who sign in, and what role each has."},
    {"name": "api-keys", "description": "Credentials for systems: a role, shown once, kept as a hash."},
    {"name": "progress", "description": "Where metrics, outcomes and missions stand against their targets."},
    {"name": "benchmarks", "description": "A metric compared across regions or local authorities."},
    {"name": "network", "description": "Who works with whom: the collaboration network and its measures."},
    {"name": "insights", "description": "Duplicated effort: collaborations that likely overlap."},
    {"name": "stories", "description": "The Innovation Tracker: success stories and lessons learned."},
    {"name": "support-schemes", "description": "Business support on offer, and who is eligible for it."},
    {"name": "referrals", "description": "Organisations pointed to support, and what came of it."},
    {"name": "changes", "description": "The audit trail as a feed, in commit order, for mirrors."},
    {
        "name": "imports",
        "description": "Spreadsheets and public statistics in: checked whole, all or nothing.",
    },
    {
        "name": "open-data",
        "description": "Open SDG, Open Referral UK, 360Giving and Kumu files, as the import reads them.",
    },
    {"name": "health", "description": "Liveness and readiness probes."},
]

API_ROUTERS = [
    auth,
    accounts,
    api_keys,
    roadmaps,
    missions,
    outcomes,
    metrics,
    stakeholders,
    collaborations,
    areas,
    progress,
    contributors,
    benchmarks,
    network,
    overlaps,
    stories,
    support,
    referrals,
    changes,
    imports,
    open_data,
]

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """At start: an import this machine was running when it stopped is marked failed."""

    def reap() -> None:
        with for_writing(app.state.session_factory()) as session:
            liveness.interrupted(session)
            session.commit()

    try:
        await run_in_threadpool(reap)
    except (OperationalError, PoolTimeout) as exc:
        # A database that is down or locked at start must not stop the server from starting:
        # it answers 503 until the database is back. The imports wait for the next start, or
        # (PostgreSQL) for the first look at them from any replica.
        log.warning("interrupted imports not checked: %s", type(exc).__name__)
    yield
    monitoring.worker_stopped()


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(
        settings.database_url,
        pool_size=settings.max_in_flight + settings.max_downloads,
        sqlite_cache_kib=settings.sqlite_cache_kib,
        statement_timeout=settings.statement_timeout_seconds,
        busy_timeout=settings.sqlite_busy_timeout_seconds,
    )
    app = FastAPI(
        title="Roadmap Tracker API",
        version="1.0.0",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        generate_unique_id_function=openapi.operation_id,
        lifespan=lifespan,
        docs_url=None,  # docs.install: the pages and their files served here, not from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = sessionmaker(engine, class_=Session, expire_on_commit=False)
    for router in [*API_ROUTERS, health]:
        routing.add_routes(app, openapi.summarise(router))
    errors.install(app)
    openapi.install(app, API_ROUTERS)
    docs.install(app)
    monitoring.install(app, settings.metrics_token)
    # Added innermost first: CORS is outside the guards, so even a 413 or 400 is readable by the app.
    app.add_middleware(
        Idempotency, sessions=lambda: app.state.session_factory, ttl_hours=settings.idempotency_ttl_hours
    )
    # Inside the guard's body limit, so a slow upload holds no slot; liveness is answered whatever the load.
    app.add_middleware(
        Admission,
        limit=settings.max_in_flight,
        queue=settings.max_waiting,
        wait=settings.max_wait_seconds,
        exempt=ALWAYS_ADMITTED,
        downloads=settings.max_downloads,
        stall=settings.download_stall_seconds,
    )
    # Outside Admission, so a caller over its limit never takes a slot; inside the guard, so a 429
    # carries its request id.
    limits = (
        settings.rate_limit_anonymous,
        settings.rate_limit_per_credential,
        settings.rate_limit_per_address,
    )
    if any(limits):
        app.add_middleware(
            RateLimit,
            store=rate_limits.store_for(engine, settings.rate_limit_flush_seconds),
            window=settings.rate_limit_window_seconds,
            anonymous=settings.rate_limit_anonymous,
            credential=settings.rate_limit_per_credential,
            address=settings.rate_limit_per_address,
        )
    # Location and Link are built from the Host header: only names we serve are believed.
    app.add_middleware(
        Guard,
        allowed_hosts=settings.allowed_hosts,
        max_body_bytes=settings.max_body_bytes,
        uploads=("/api/v1/imports",),
        max_upload_bytes=settings.max_import_bytes,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=[
            "ETag",
            "Location",
            "Link",
            "Idempotent-Replayed",
            "X-Request-ID",
            "Content-Disposition",
            "RateLimit",
            "RateLimit-Policy",
            "Retry-After",
        ],
    )
    # Outside the guards: every answer, CORS preflights and the guards' refusals too, is browser-safe.
    app.add_middleware(SecurityHeaders)
    # Around everything, so each refusal above is timed, counted and logged too.
    app.add_middleware(monitoring.Observe, routes=app)
    return app


app = create_app()
