"""The engine: a statement a client can cause never runs past the statement timeout."""

from typing import Any

import pytest
from fastapi import Request
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from api.config import Settings
from api.db import make_engine
from api.main import create_app


def endless(engine: Engine) -> str:
    """A statement that would run for minutes on either engine."""
    if engine.dialect.name == "postgresql":
        return "SELECT pg_sleep(300)"
    return "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"


def test_a_statement_past_the_timeout_is_cancelled_and_the_connection_lives_on(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1, statement_timeout=0.2)
    try:
        with engine.connect() as conn:
            with pytest.raises(OperationalError):
                conn.execute(text(endless(engine)))
            conn.rollback()
            # The next statement has a deadline of its own.
            assert conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def test_without_a_timeout_nothing_is_cancelled(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_sleep(0.3)"))  # raises if cancelled
            else:  # many times the progress handler's 10,000 steps between checks
                counted = (
                    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 500000) "
                    "SELECT count(*) FROM n"
                )
                assert conn.execute(text(counted)).scalar() == 500_000
    finally:
        engine.dispose()


def test_a_request_stopped_at_the_timeout_is_a_503_problem_with_retry_after(
    database_url: str, engine: Engine
) -> None:
    # `engine`: the migrated test database, which the app's start-up reads.
    settings = Settings(database_url=database_url, statement_timeout_seconds=0.2, rate_limit_anonymous=0)
    app = create_app(settings)

    @app.get("/slow", tags=["test"])
    def slow(request: Request) -> Any:
        with request.app.state.session_factory() as session:
            return session.execute(text(endless(session.get_bind()))).scalar()

    with TestClient(app) as client:
        answer = client.get("/slow")
    app.state.engine.dispose()
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["retry-after"] == "5"
    assert "took longer than the server allows" in answer.json()["detail"]
