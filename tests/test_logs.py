"""Logs: a JSON line per request with its id, and never a credential or an e-mail address."""

import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import logs


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    """What the root logger writes, as `roadmap serve` sets it up (logs.config, JSON)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.Json())
    handler.addFilter(logs.WithRequestId())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def records(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def requests(stream: io.StringIO) -> list[dict[str, Any]]:
    return [r for r in records(stream) if r["logger"] == "api.requests"]


def test_each_request_is_one_json_line_with_the_echoed_request_id(
    anon: TestClient, lines: io.StringIO
) -> None:
    given = anon.get("/api/v1/areas", headers={"X-Request-ID": "partner-42"})
    made = anon.get("/api/v1/stakeholders/00000000-0000-0000-0000-000000000000")
    logged = requests(lines)
    assert [r["request_id"] for r in logged] == ["partner-42", made.headers["x-request-id"]]
    first, second = logged
    assert given.headers["x-request-id"] == "partner-42"
    assert first["method"] == "GET" and first["route"] == "/api/v1/areas" and first["status"] == 200
    assert second["route"] == "/api/v1/stakeholders/{id}" and second["status"] == 404
    assert first["level"] == "INFO" and first["timestamp"].endswith("+00:00")
    assert isinstance(first["duration_ms"], float) and first["client"] == "testclient"


def test_refusals_before_the_app_are_logged_too(anon: TestClient, lines: io.StringIO) -> None:
    anon.post("/api/v1/areas", content=b"x" * 2_000_000)
    (refused,) = requests(lines)
    assert refused["status"] == 413 and refused["route"] == "/api/v1/areas"


def test_the_apps_own_records_carry_the_request_id(lines: io.StringIO) -> None:
    token = logs.REQUEST_ID.set("r-7")
    try:
        logging.getLogger("api.errors").warning("something to say")
    finally:
        logs.REQUEST_ID.reset(token)
    (record,) = records(lines)
    assert record["request_id"] == "r-7" and record["message"] == "something to say"


def test_no_credential_password_or_email_reaches_the_log(
    app: Any, anon: TestClient, client_as: Any, lines: io.StringIO
) -> None:
    keyed = client_as("reader")
    bearer = keyed.headers["authorization"].removeprefix("Bearer ")
    keyed.get("/api/v1/areas?email=alice%40example.org&access_token=tok-in-query")
    api_key = "rt_reader-0123456789abcdef"
    anon.get("/api/v1/areas", headers={"X-API-Key": api_key, "Cookie": "session=cookie-value"})
    anon.post("/api/v1/auth/token", data={"username": "bob@example.org", "password": "hunter2-secret"})
    anon.get("/api/v1/stakeholders/carol@example.org")
    # The server's lines: httpx logs the test client's own URLs.
    text = "\n".join(json.dumps(r) for r in records(lines) if r["logger"] != "httpx")
    assert len(requests(lines)) == 4
    for secret in (
        bearer,
        api_key,
        "cookie-value",
        "hunter2-secret",
        "tok-in-query",
        "alice",
        "bob@example.org",
        "carol@example.org",
        "example.org",
    ):
        assert secret not in text
    assert requests(lines)[-1]["path"] == "/api/v1/stakeholders/[email]"


SERVED = """
import logging, logging.config
from api import logs
logging.config.dictConfig(logs.config("json"))
logging.getLogger("uvicorn.error").info("Started server process", extra={"color_message": "\x1b[1m"})
logging.getLogger("uvicorn.access").info('1.2.3.4 - "GET /?token=secret HTTP/1.1" 200')
"""


def test_uvicorn_logs_in_json_and_its_access_line_is_ours_instead() -> None:
    run = subprocess.run([sys.executable, "-c", SERVED], capture_output=True, text=True, check=True)
    (line,) = run.stderr.splitlines()
    record = json.loads(line)
    assert record["message"] == "Started server process" and record["logger"] == "uvicorn.error"
    assert "color_message" not in record


def test_text_at_a_terminal_json_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    assert logs.resolve("json") == "json" and logs.resolve("text") == "text"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert logs.resolve("auto") == "text"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    assert logs.resolve("auto") == "json"
