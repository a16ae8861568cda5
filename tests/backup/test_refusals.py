"""A restore refuses what it cannot do whole, and when it fails, leaves the database as it was."""

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from sqlmodel import Session

from api import migrate
from api.backup.archive import BackupError
from api.backup.service import export, restore
from api.db import make_engine
from api.models import Area
from tests import factories
from tests.backup.helpers import assert_restored, rewrite, snapshot

EMPTY = "restore needs an empty database: create a new one, or drop this one's tables"


@pytest.fixture
def archive(client: TestClient, session: Session, tmp_path: Path) -> Path:
    """A small database's archive: organisations, a collaboration with a participant, values."""
    org = factories.stakeholder(client)
    project = factories.collaboration(client)
    factories.participant(client, project["id"], org["id"], role="lead")
    factories.observation(client, value="2.5")
    path = tmp_path / "backup.zip"
    export(session, path)
    return path


def state(url: str) -> tuple[str | None, list[str], dict[str, int]]:
    """The database's revision, its tables, and how many rows each holds."""
    engine = make_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
            revision = migrate.current_revision(conn)
        rows = {name: len(rows) for name, rows in snapshot(url).items()} if revision else {}
        return revision, tables, rows
    finally:
        engine.dispose()


def test_a_database_that_holds_a_row_is_refused_and_left_alone(archive: Path, scratch_database: str) -> None:
    engine = make_engine(scratch_database, pool_size=1)
    with Session(engine) as s:
        s.add(Area(name="Already here", kind="region"))
        s.commit()
    engine.dispose()
    before = snapshot(scratch_database)
    with pytest.raises(BackupError, match=f"The table area holds rows; {EMPTY}"):
        restore(scratch_database, archive)
    assert snapshot(scratch_database) == before


def test_an_archive_of_a_newer_schema_is_refused(archive: Path, tmp_path: Path) -> None:
    def newer(manifest: dict[str, Any]) -> None:
        manifest["revision"] = "0999"

    newer_archive = rewrite(archive, tmp_path / "newer.zip", manifest=newer)
    target = tmp_path / "target.db"
    with pytest.raises(
        BackupError,
        match=r"newer\.zip was made by a newer Roadmap Tracker \(revision 0999\); upgrade this installation",
    ):
        restore(f"sqlite:///{target}", newer_archive)
    assert not target.exists()


def test_an_archive_of_a_newer_format_is_refused(archive: Path, tmp_path: Path) -> None:
    def newer(manifest: dict[str, Any]) -> None:
        manifest["format_version"] = 2

    with pytest.raises(
        BackupError, match=r"a backup of format 2, newer than this Roadmap Tracker reads \(1\)"
    ):
        restore(f"sqlite:///{tmp_path / 'target.db'}", rewrite(archive, tmp_path / "v2.zip", manifest=newer))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: b"just some text\n", "is not a Roadmap Tracker backup: File is not a zip file"),
        (lambda data: data[: len(data) // 2], "is not a Roadmap Tracker backup: File is not a zip file"),
    ],
    ids=["not-a-zip", "cut-short"],
)
def test_a_file_that_is_no_archive_is_refused(
    archive: Path, tmp_path: Path, damage: Any, message: str
) -> None:
    bad = tmp_path / "bad.zip"
    bad.write_bytes(damage(archive.read_bytes()))
    with pytest.raises(BackupError, match=f"bad\\.zip {message}"):
        restore(f"sqlite:///{tmp_path / 'target.db'}", bad)


def test_an_archive_without_a_manifest_or_with_another_one_is_refused(archive: Path, tmp_path: Path) -> None:
    def other(manifest: dict[str, Any]) -> None:
        manifest["format"] = "something-else"

    with pytest.raises(BackupError, match=r"not a Roadmap Tracker backup: its manifest\.json is another's"):
        restore(f"sqlite:///{tmp_path / 'a.db'}", rewrite(archive, tmp_path / "other.zip", manifest=other))
    bare = tmp_path / "bare.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(bare, "w") as target:
        for name in source.namelist():
            if name != "manifest.json":
                target.writestr(name, source.read(name))
    with pytest.raises(BackupError, match=r"not a Roadmap Tracker backup: it has no manifest\.json"):
        restore(f"sqlite:///{tmp_path / 'b.db'}", bare)


def damaged_line(data: bytes) -> bytes:
    """The last row of a table cut in half."""
    lines = data.splitlines(keepends=True)
    return b"".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2]


def one_row_fewer(manifest: dict[str, Any]) -> None:
    next(t for t in manifest["tables"] if t["name"] == "stakeholder")["rows"] -= 1


def drop_first_line(data: bytes) -> bytes:
    return b"".join(data.splitlines(keepends=True)[1:])


@pytest.mark.parametrize(
    ("member", "manifest", "message"),
    [
        (("tables/participant.jsonl", damaged_line), None, r"tables/participant\.jsonl line 1"),
        (None, one_row_fewer, r"tables/stakeholder\.jsonl has \d+ rows, its manifest \d+"),
        # A participant then refers to an organisation that is not there.
        (("tables/stakeholder.jsonl", drop_first_line), one_row_fewer, "participant|stakeholder"),
    ],
    ids=["damaged-row", "rows-missing", "broken-reference"],
)
def test_a_restore_that_fails_part_way_leaves_the_database_as_it_was(
    archive: Path, tmp_path: Path, scratch_database: str, member: Any, manifest: Any, message: str
) -> None:
    damaged = rewrite(archive, tmp_path / "damaged.zip", manifest=manifest, member=member)
    new_file = f"sqlite:///{tmp_path / 'new.db'}"
    for url in (new_file, scratch_database):
        before = state(url)
        with pytest.raises(BackupError, match=message):
            restore(url, damaged)
        # Tables and revision included: a new database is left with none, a migrated one empty.
        assert state(url) == before
    assert state(new_file) == (None, [], {})


def test_an_archive_of_an_older_schema_is_restored_and_upgraded(
    archive: Path, session: Session, tmp_path: Path, scratch_database: str
) -> None:
    """Loaded at its own revision (0010: metrics had no progress method), then migrated to head."""

    def older(manifest: dict[str, Any]) -> None:
        manifest["revision"] = "0010"
        del next(t for t in manifest["tables"] if t["name"] == "metric")["columns"]["progress_method"]

    def without_method(data: bytes) -> bytes:
        rows = [json.loads(line) for line in data.splitlines()]
        return b"".join(
            json.dumps({k: v for k, v in r.items() if k != "progress_method"}).encode() + b"\n" for r in rows
        )

    old = rewrite(
        archive, tmp_path / "old.zip", manifest=older, member=("tables/metric.jsonl", without_method)
    )
    source = snapshot(session.connection())
    assert source["metric"] and all(m["progress_method"] == "pace" for m in source["metric"])
    # Into a new database (upgraded from nothing) and into one at head (downgraded, as it is empty).
    for url in (f"sqlite:///{tmp_path / 'new.db'}", scratch_database):
        restore(url, old)
        assert_restored(source, snapshot(url), at_least=5)
        assert state(url)[0] == migrate.head_revision()
