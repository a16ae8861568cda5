"""`roadmap export` and `roadmap restore`, end to end: exit codes and what they say."""

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import select
from sqlmodel import Session
from typer.testing import CliRunner

from api import cli
from api.accounts.passwords import verify
from api.cli import app
from api.config import get_settings
from api.db import make_engine
from api.models import Account
from tests.test_cli import said

runner = CliRunner()
UsingDatabase = Callable[[str], None]


@pytest.fixture
def use(monkeypatch: pytest.MonkeyPatch) -> Iterator[UsingDatabase]:
    """Point the command line at a database, as DATABASE_URL does; no terminal, no COLUMNS."""
    monkeypatch.delenv("COLUMNS", raising=False)

    def point(url: str) -> None:
        monkeypatch.setenv("DATABASE_URL", url)
        get_settings.cache_clear()

    yield point
    get_settings.cache_clear()


def test_export_then_restore_into_a_new_database(
    use: UsingDatabase, scratch_database: str, tmp_path: Path
) -> None:
    use(scratch_database)
    assert runner.invoke(app, ["load-roadmap"]).exit_code == 0
    assert runner.invoke(app, ["ensure-demo-admin"]).exit_code == 0
    archive = tmp_path / "backups" / "roadmap.zip"  # its folder made as needed
    exported = runner.invoke(app, ["export", str(archive)])
    assert exported.exit_code == 0, exported.output
    organisations = re.search(r"│ stakeholder │ (\d+) │", said(exported))
    assert organisations and int(organisations[1]) > 0, said(exported)
    assert "Not in it: passwords, API key secrets, sign-in tokens" in said(exported)
    assert archive.exists()

    use(f"sqlite:///{tmp_path / 'new' / 'restored.db'}")
    restored = runner.invoke(app, ["restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert f"│ stakeholder │ {organisations[1]} │" in said(restored)
    assert "The archive holds no passwords (1 account restored)" in said(restored)
    assert "roadmap set-password --email EMAIL" in said(restored)

    again = runner.invoke(app, ["restore", str(archive)])
    assert again.exit_code == 1
    assert said(again) == (
        "The table account holds rows; restore needs an empty database: create a new one, "
        "or drop this one's tables. Nothing was restored."
    )

    # The restored administrator signs in once given a password.
    given = runner.invoke(
        app, ["set-password", "--email", "Admin@Example.org"], input="a new long passphrase\n" * 2
    )
    assert given.exit_code == 0, given.output
    assert "Password of admin@example.org set." in said(given)
    engine = make_engine(get_settings().database_url, pool_size=1)
    with Session(engine) as s:
        stored = s.scalars(select(Account.password_hash)).one()
    engine.dispose()
    assert verify("a new long passphrase", stored)[0]


def test_what_cannot_be_done_says_why_in_one_line(use: UsingDatabase, tmp_path: Path) -> None:
    use(f"sqlite:///{tmp_path / 'empty.db'}")
    archive = tmp_path / "roadmap.zip"
    unmigrated = runner.invoke(app, ["export", str(archive)])
    assert unmigrated.exit_code == 1
    assert said(unmigrated) == (
        "The database has no Roadmap Tracker schema: nothing to export (is DATABASE_URL right?). "
        "Nothing was exported."
    )
    assert not archive.exists() and list(tmp_path.glob("*.partial")) == []

    archive.write_text("not an archive")
    bogus = runner.invoke(app, ["restore", str(archive)])
    assert bogus.exit_code == 1
    assert said(bogus) == (
        "roadmap.zip is not a Roadmap Tracker backup: File is not a zip file. Nothing was restored."
    )
    missing = runner.invoke(app, ["restore", str(tmp_path / "missing.zip")])
    assert missing.exit_code == 1
    assert "missing.zip is not a Roadmap Tracker backup: [Errno 2] No such file or directory" in said(missing)

    assert runner.invoke(app, ["migrate"]).exit_code == 0
    nobody = runner.invoke(app, ["set-password", "--email", "no@example.org", "--password", "long enough pw"])
    assert nobody.exit_code == 1
    assert said(nobody) == "No account has the e-mail address no@example.org."


def test_the_progress_bars_draw_on_a_terminal(
    use: UsingDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(f"sqlite:///{tmp_path / 'source.db'}")
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    assert runner.invoke(app, ["load-roadmap"]).exit_code == 0
    screen = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=screen, force_terminal=True, width=100))
    exported = runner.invoke(app, ["export", str(tmp_path / "roadmap.zip")])
    assert exported.exit_code == 0, exported.output
    use(f"sqlite:///{tmp_path / 'restored.db'}")
    restored = runner.invoke(app, ["restore", str(tmp_path / "roadmap.zip")])
    assert restored.exit_code == 0, restored.output
    drawn = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", screen.getvalue())
    # At least the last table's bar, drawn as it ends (the others depend on the time each takes).
    assert re.search(r"Exporting \w+ \W+(\d+)/\1 rows", drawn), drawn
    assert re.search(r"Restoring \w+ \W+(\d+)/\1 rows", drawn), drawn
    assert "Restored 8" in drawn
