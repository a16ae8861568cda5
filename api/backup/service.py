"""A whole database to a backup archive and back, on either engine, with its secrets left out."""

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from importlib import metadata
from itertools import islice
from pathlib import Path
from typing import Any
from zipfile import ZipFile

import sqlalchemy as sa
from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from api import migrate as migrations
from api.backup import archive, engines
from api.backup.archive import BackupError, Manifest, TableEntry
from api.backup.exclusions import LEFT_OUT_TABLES, SECRET_COLUMNS, left_out
from api.db import make_engine
from api.models import utcnow

BATCH = 1000
Progress = Callable[[str, int, int], None]  # table, rows done, rows in all


def export(source: Engine | Session | Connection, path: Path, progress: Progress | None = None) -> Manifest:
    """Write every table but the left-out ones to a new archive at `path`, from one snapshot."""
    with engines.snapshot(source) as conn:
        revision = _exportable_revision(conn)
        tables = [t for t in SQLModel.metadata.sorted_tables if t.name not in LEFT_OUT_TABLES]
        with archive.writing(path) as zf:
            entries = [_export_table(conn, zf, table, progress) for table in tables]
            manifest = Manifest(
                revision=revision,
                created_at=utcnow(),
                engine=conn.dialect.name,
                app_version=_app_version(),
                tables=entries,
                left_out=left_out(),
            )
            archive.write_manifest(zf, manifest)
    return manifest


def _exportable_revision(conn: Connection) -> str:
    current, head = migrations.current_revision(conn), migrations.head_revision()
    if current is not None and current == head:
        return current
    if current is None:
        raise BackupError(
            "The database has no Roadmap Tracker schema: nothing to export (is DATABASE_URL right?)."
        )
    if current not in migrations.known_revisions():
        raise BackupError(
            f"The database was migrated by a newer Roadmap Tracker (revision {current}); "
            "export it with that one."
        )
    raise BackupError(f"The database is at revision {current}, not {head}: run `roadmap migrate` first.")


def _export_table(conn: Connection, zf: ZipFile, table: sa.Table, progress: Progress | None) -> TableEntry:
    columns = [c for c in table.columns if (table.name, c.name) not in SECRET_COLUMNS]
    entry = TableEntry(name=table.name, rows=0, columns={c.name: archive.kind_of(c.type) for c in columns})
    total = conn.scalar(select(func.count()).select_from(table)) or 0
    # Streamed: a server-side cursor on PostgreSQL, SQLite's own stepping; BATCH rows at a time.
    stmt = select(*columns).order_by(*table.primary_key.columns).execution_options(yield_per=BATCH)
    with closing(conn.execute(stmt)) as result:
        batches: Iterable[Sequence[Any]] = result.partitions()
        entry.rows = archive.write_table(zf, entry, _reported(batches, table.name, total, progress))
    return entry


def _reported(
    batches: Iterable[Sequence[Any]], table: str, total: int, progress: Progress | None
) -> Iterator[Sequence[Any]]:
    done = 0
    if progress:
        progress(table, done, total)
    for batch in batches:
        yield batch
        done += len(batch)
        if progress:
            progress(table, done, total)


def _app_version() -> str | None:
    try:
        return metadata.version("roadmap-tracker")
    except metadata.PackageNotFoundError:
        return None


def restore(target: str | Engine, path: Path, progress: Progress | None = None) -> Manifest:
    """Load an archive into an empty database at the archive's revision, then upgrade it to head."""
    with closing(archive.Reader(path)) as reader:
        revision = reader.manifest.revision
        if revision not in migrations.known_revisions():
            raise BackupError(
                f"{path.name} was made by a newer Roadmap Tracker (revision {revision}); "
                "upgrade this installation first."
            )
        engine = make_engine(target, pool_size=1) if isinstance(target, str) else target
        try:
            # One transaction, DDL included: PostgreSQL's DDL is transactional, and so is
            # SQLite's once SQLAlchemy sends BEGIN (api.db), so a restore that fails at any step
            # leaves the database as it found it, its tables and revision included.
            with engine.connect() as conn, engines.foreign_keys_off(conn), conn.begin():
                _refuse_unless_empty(conn)
                migrations.migrate_on(conn, revision)
                _load(conn, reader, progress)
                migrations.migrate_on(conn, "head")
        finally:
            if isinstance(target, str):
                engine.dispose()
        return reader.manifest


def _refuse_unless_empty(conn: Connection) -> None:
    current = migrations.current_revision(conn)
    if current is not None and current not in migrations.known_revisions():
        raise BackupError(
            f"The database is at revision {current}, which this Roadmap Tracker does not know: "
            "restore into a new database."
        )
    for name in sorted(sa.inspect(conn).get_table_names()):
        if name == "alembic_version" or name.startswith("sqlite_"):
            continue
        if conn.execute(select(sa.literal(1)).select_from(sa.table(name)).limit(1)).first():
            raise BackupError(
                f"The table {name} holds rows; restore needs an empty database: "
                "create a new one, or drop this one's tables."
            )


def _load(conn: Connection, reader: archive.Reader, progress: Progress | None) -> None:
    # The tables as they are at the archive's revision, in foreign-key order.
    inspector = sa.inspect(conn)
    order = [name for name, _ in inspector.get_sorted_table_and_fkc_names() if name]
    entries = {entry.name: entry for entry in reader.manifest.tables}
    if unknown := sorted(entries.keys() - set(order)):
        raise BackupError(f"{reader.name} is damaged: its revision has no table {', '.join(unknown)}.")
    for name in order:
        if name in entries:
            types = {c["name"]: c["type"] for c in inspector.get_columns(name)}
            _load_table(conn, reader, entries[name], types, progress)
    engines.after_load(conn, order, reader.name)


def _load_table(
    conn: Connection,
    reader: archive.Reader,
    entry: TableEntry,
    types: dict[str, Any],
    progress: Progress | None,
) -> None:
    if missing := sorted(entry.columns.keys() - types.keys()):
        raise BackupError(f"{reader.name} is damaged: {entry.name} has no column {', '.join(missing)}.")
    stand_ins = {
        c: secret.stand_in
        for (t, c), secret in SECRET_COLUMNS.items()
        if t == entry.name and c in types and c not in entry.columns
    }
    # The model's type where the model has the column, so values are stored as the app stores
    # them (ExactDecimal's integer millionths on SQLite, UTCDateTime); else the database's own.
    model = SQLModel.metadata.tables.get(entry.name)
    insert = sa.insert(
        sa.table(
            entry.name,
            *(
                sa.column(c, model.c[c].type if model is not None and c in model.c else types[c])
                for c in [*entry.columns, *stand_ins]
            ),
        )
    )
    rows, done = reader.rows(entry), 0
    if progress:
        progress(entry.name, done, entry.rows)
    while batch := list(islice(rows, BATCH)):
        for row in batch:
            row.update({c: make() for c, make in stand_ins.items()})
        try:
            conn.execute(insert, batch)
        except DBAPIError as error:
            reason = (str(error.orig).splitlines() or ["refused"])[0].rstrip(".")
            raise BackupError(f"Cannot restore {entry.name}: {reason}.") from error
        done += len(batch)
        if progress:
            progress(entry.name, done, entry.rows)
    if done != entry.rows:
        raise BackupError(
            f"{reader.name} is damaged: {entry.member} has {done} rows, its manifest {entry.rows}."
        )
