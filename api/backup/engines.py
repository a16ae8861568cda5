"""What each engine needs around a backup: one snapshot to read, foreign keys and sequences to restore."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from api.backup.archive import BackupError


@contextmanager
def snapshot(source: Engine | Session | Connection) -> Iterator[Connection]:
    """A connection that sees one moment of the database: the caller's own, or a new read transaction."""
    if isinstance(source, Session):
        yield source.connection()
    elif isinstance(source, Connection):
        yield source
    else:
        with source.connect() as conn:
            # SQLite's read transaction (WAL) keeps one snapshot from its first read already.
            if conn.dialect.name == "postgresql":
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with conn.begin():
                yield conn


@contextmanager
def foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite's foreign keys off for a restore; `after_load` checks them all at once instead.

    The migrations after the load rebuild tables (batch mode), and dropping a table with them
    on deletes the rows referring to it. PRAGMA foreign_keys is ignored inside a transaction:
    it is set on the connection before the restore's transaction begins.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    raw: Any = conn.connection.driver_connection
    (was,) = raw.execute("PRAGMA foreign_keys").fetchone()
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA foreign_keys={'ON' if was else 'OFF'}")


def after_load(conn: Connection, tables: list[str], archive_name: str) -> None:
    """SQLite: every reference checked. PostgreSQL: each key's sequence past the highest id loaded.

    (SQLite needs no sequence: an INTEGER PRIMARY KEY without AUTOINCREMENT takes the highest + 1.)
    """
    if conn.dialect.name == "sqlite":
        if broken := conn.exec_driver_sql("PRAGMA foreign_key_check").first():
            raise BackupError(
                f"{archive_name} is damaged: a row of {broken[0]} refers to a missing {broken[2]}."
            )
    elif conn.dialect.name == "postgresql":
        quote, inspector = conn.dialect.identifier_preparer.quote, sa.inspect(conn)
        for table in tables:
            for column in inspector.get_pk_constraint(table)["constrained_columns"]:
                # Serial and identity columns have one; text ids none.
                sequence = conn.scalar(
                    text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": quote(table), "c": column}
                )
                if sequence:
                    next_free = f"coalesce(max({quote(column)}), 0) + 1"
                    conn.execute(
                        text(f"SELECT setval(:s, {next_free}, false) FROM {quote(table)}"), {"s": sequence}
                    )
