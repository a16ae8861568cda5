"""Property-based test of the whole API, driven by the app's own OpenAPI document.

For every operation schemathesis generates valid and invalid requests; whatever a client
sends, the answer is never a 5xx and always matches the documented status codes, content
types and schemas. It runs over the loaded roadmap data so that lookups can hit.
"""

import faulthandler
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session

from api.seed import loader
from tests.conftest import make_key

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def admin_key(session_factory: Callable[[], Session]) -> str:
    return make_key(session_factory, "admin")


@pytest.fixture
def api_schema(app: Any, session_factory: Callable[[], Session]) -> Any:
    with session_factory() as session:
        loader.load(session)
        session.commit()
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api_honours_its_contract(case: Any, admin_key: str, engine: Engine) -> None:
    # As an administrator, so writes get past the access rules to the code behind them.
    # 30 s, not the default 10: a single request over 10 s twice failed this test in the full
    # PostgreSQL suite (never alone); the note below says what the database was doing then.
    if case.operation.label == "GET /api/v1/stakeholders" and UNKNOWN in (case.query or {}):
        return  # hangs this harness, never the API: see test_stakeholders_ignore_unknown_parameters
    checks = CHECKS
    if case.operation.label in FILE_UPLOADS:
        checks = [check for check in CHECKS if check is not negative_data_rejection]
    # A request still running at 20 s prints where every thread is and what the database is
    # doing while it stalls (by the time it fails, the stall may have passed).
    faulthandler.dump_traceback_later(20)
    watchdog = threading.Timer(20, lambda: print(database_activity(engine), file=sys.stderr))
    watchdog.start()
    try:
        case.call_and_validate(headers={"Authorization": f"Bearer {admin_key}"}, checks=checks, timeout=30)
    except Exception as error:
        error.add_note(database_activity(engine))
        raise
    finally:
        faulthandler.cancel_dump_traceback_later()
        watchdog.cancel()


# A multipart file cannot be "null": schemathesis, making a request the schema forbids, sends
# a file part holding the four bytes `null`, which is a file like any other, and its import
# is accepted. Every other check still runs on these operations (tests/imports covers what a
# bad file gets).
FILE_UPLOADS = {"POST /api/v1/imports"}


# In the full PostgreSQL suite from a fresh clone, GET /stakeholders with `mission` and this
# unknown parameter times out inside schemathesis's shared ASGI portal (4 of 6 CI runs), with
# PostgreSQL idle; the same request answers at once through TestClient. Until the harness is
# understood, that one case is checked by the test below instead.
UNKNOWN = "x-schemathesis-unknown-property"


def test_stakeholders_ignore_unknown_parameters(client: Any) -> None:
    answer = client.get("/api/v1/stakeholders", params={"mission": "null", UNKNOWN: "42"})
    assert answer.status_code == 200
    assert answer.json()["items"] == []


def database_activity(engine: Engine) -> str:
    """What PostgreSQL is busy with, and who waits on which lock: for a failure's report."""
    if engine.dialect.name != "postgresql":
        return ""
    # A connection of its own, outside the pool the failing request may be holding.
    with create_engine(engine.url, poolclass=NullPool).connect() as conn:
        busy = conn.execute(
            text(
                "select pid, state, wait_event_type, wait_event, now() - query_start, left(query, 300) "
                "from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"
            )
        ).all()
        waiting = conn.execute(
            text("select locktype, relation::regclass::text, mode, pid from pg_locks where not granted")
        ).all()
    return (
        "database activity:\n"
        + "\n".join(map(str, busy))
        + "\nlocks waited for:\n"
        + "\n".join(map(str, waiting))
    )
