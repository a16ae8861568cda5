"""The `roadmap` command line: what `make run` and CI call."""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

from api import cli, logs
from api.cli import app
from api.config import get_settings

runner = CliRunner()


def said(result: Result) -> str:
    """The output as words: no colour codes (FORCE_COLOR) and no line breaks, whatever the terminal."""
    return " ".join(re.sub(r"\x1b\[[0-9;]*m", "", result.output).split())


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'not-yet' / 'cli.db'}"  # as on a fresh clone: no data/ yet
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_migrate_then_load_the_roadmap_twice(sqlite_url: str) -> None:
    migrated = runner.invoke(app, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    first = runner.invoke(app, ["load-roadmap"])
    assert first.exit_code == 0, first.output
    assert "missions" in said(first) and "│ 5 " in said(first).replace("┃", "│")
    again = runner.invoke(app, ["load-roadmap"])
    assert again.exit_code == 0
    assert "nothing changed" in said(again)


def test_openapi_check_passes_on_the_committed_file() -> None:
    result = runner.invoke(app, ["openapi", "--check"])
    assert result.exit_code == 0, result.output


def test_openapi_check_fails_on_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    result = runner.invoke(app, ["openapi", "--check", "--output", str(stale)])
    assert result.exit_code == 1
    assert "out of date" in said(result)


def test_messages_are_not_cut_into_lines_when_piped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A narrow console that is not a terminal (a pipe, a log, CI) gets each message on one line."""
    monkeypatch.setattr(cli, "console", Console(width=40, force_terminal=False))
    stale = tmp_path / "a-directory-name-long-enough-to-pass-40-columns" / "openapi.json"
    stale.parent.mkdir()
    stale.write_text("{}\n")
    result = runner.invoke(app, ["openapi", "--check", "--output", str(stale)])
    assert result.exit_code == 1
    assert f"{stale} is out of date: run `roadmap openapi`.\n" in result.output


def test_a_bad_roadmap_file_is_refused_with_a_clear_message(sqlite_url: str, tmp_path: Path) -> None:
    runner.invoke(app, ["migrate"])
    bad = tmp_path / "bad.json"
    bad.write_text('{"roadmap": {}}')
    result = runner.invoke(app, ["load-roadmap", "--file", str(bad)])
    assert result.exit_code == 2
    assert "Cannot load" in said(result) and "roadmap.key" in said(result)


def test_create_admin_prompts_for_the_password_and_refuses_a_second(sqlite_url: str) -> None:
    runner.invoke(app, ["migrate"])
    made = runner.invoke(app, ["create-admin", "--email", "Ada@Example.org"], input="a long passphrase\n" * 2)
    assert made.exit_code == 0, made.output
    assert "ada@example.org created" in said(made)
    again = runner.invoke(
        app, ["create-admin", "--email", "ada@example.org", "--password", "another passphrase"]
    )
    assert again.exit_code == 1
    assert "already exists" in said(again)


def test_the_demo_admin_is_made_only_on_an_empty_database(sqlite_url: str) -> None:
    runner.invoke(app, ["migrate"])
    first = runner.invoke(app, ["ensure-demo-admin"])
    assert first.exit_code == 0 and "admin@example.org / " in said(first)
    second = runner.invoke(app, ["ensure-demo-admin"])
    assert second.exit_code == 0 and second.output == ""


def test_import_a_file_dry_run_then_for_real(sqlite_url: str, tmp_path: Path) -> None:
    runner.invoke(app, ["migrate"])
    runner.invoke(app, ["load-roadmap"])
    good = tmp_path / "orgs.csv"
    good.write_text("name,kind,area_ids\nAcme Digital,business,E08000026\n")
    dry = runner.invoke(app, ["import", str(good), "--kind", "stakeholders", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: every row can be imported; nothing was written." in said(dry)
    done = runner.invoke(app, ["import", str(good), "--kind", "stakeholders"])
    assert done.exit_code == 0 and "Imported." in said(done)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\nAcme Digital,spaceship\n")
    refused = runner.invoke(app, ["import", str(bad), "--kind", "stakeholders"])
    assert refused.exit_code == 1
    assert "spaceship" in said(refused) and "Nothing was imported" in said(refused)


def test_serve_outlives_the_keep_alive_of_clients_and_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server must not be first to close an idle connection: a request sent on it as it closes is lost."""
    served: dict[str, object] = {}
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **options: served.update(options, app=app))
    assert runner.invoke(app, ["serve", "--port", "8123"]).exit_code == 0
    assert served["app"] == "api.main:app" and served["port"] == 8123
    assert served["timeout_keep_alive"] == get_settings().keep_alive_seconds
    # httpx keeps an idle connection 5 s, nginx's upstream keepalive and AWS's balancers 60 s.
    assert get_settings().keep_alive_seconds > 60


def test_serve_gives_a_starting_worker_longer_than_uvicorns_5_s(monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, object] = {}
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **options: served.update(options))
    monkeypatch.setenv("WORKER_HEALTHCHECK_SECONDS", "45")
    get_settings.cache_clear()
    try:
        assert runner.invoke(app, ["serve", "--workers", "2"]).exit_code == 0
    finally:
        get_settings.cache_clear()
    assert served["workers"] == 2 and served["timeout_worker_healthcheck"] == 45


@pytest.mark.parametrize(("given", "used"), [(None, "2"), ("4", "4")])
def test_serve_keeps_glibcs_malloc_arenas_few(
    monkeypatch: pytest.MonkeyPatch, given: str | None, used: str
) -> None:
    """Else the workers' memory grows for as long as they run (bench/RESULTS.md, the soak)."""
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **options: None)
    if given is None:
        monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    else:
        monkeypatch.setenv("MALLOC_ARENA_MAX", given)
    assert runner.invoke(app, ["serve"]).exit_code == 0
    assert os.environ["MALLOC_ARENA_MAX"] == used  # what uvicorn's workers start with


def test_serve_logs_as_log_format_says_instead_of_uvicorns_access_log(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **options: served.update(options))
    monkeypatch.setenv("LOG_FORMAT", "json")
    shared = tmp_path / "metrics"
    shared.mkdir()
    (shared / "counter_1.db").write_bytes(b"a previous run's")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(shared))
    get_settings.cache_clear()
    try:
        assert runner.invoke(app, ["serve", "--workers", "2"]).exit_code == 0
    finally:
        get_settings.cache_clear()
    assert served["access_log"] is False
    assert served["log_config"]["formatters"]["default"] == {"()": logs.Json}
    assert not (shared / "counter_1.db").exists()  # summed with this run's workers otherwise
