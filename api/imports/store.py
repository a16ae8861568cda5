"""Where a batch of metric values is read from and written to, the fastest way each engine
offers: the values already there found through their unique index, new ones and their audit
rows written by COPY (PostgreSQL) or one executemany (SQLite), with time-ordered ids.
"""

import json
import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, event, func, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from api import models
from api.metrics.values import Kind

Key = tuple[str, str, str, Any, str]  # metric, area, collaboration ('' for none), date, breakdown
CHANGE_COLUMNS = (
    "at",
    "actor_kind",
    "actor_id",
    "actor_name",
    "request_id",
    "resource",
    "resource_id",
    "parent_id",
    "action",
    "version",
    "changes",
    "state",
)


class TimeOrderedIds:
    """Time-ordered ids: version 7 UUIDs (RFC 9562), 36 characters like every other id.

    Random ids put each new value, and its change's (resource, resource_id) entry, in a random
    leaf of an index, which at a million rows is mostly not in the cache. These ascend: a
    millisecond, then a counter from a random start, so both indexes grow at their end."""

    def __init__(self) -> None:
        self._last = 0

    def __call__(self) -> str:
        now = time.time_ns() // 1_000_000 << 74
        n = self._last = self._last + 1 if now <= self._last else now | int.from_bytes(os.urandom(9)) >> 1
        u = (n >> 74) << 80 | 7 << 76 | (n >> 62 & 0xFFF) << 64 | 2 << 62 | n & (1 << 62) - 1
        h = f"{u:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class Store:
    """Reads and writes a batch the fastest way each engine offers, each column stored as its
    type would store it: PostgreSQL by COPY, SQLite by one executemany of the driver's own.

    On PostgreSQL a batch's values are sent and left for the server to take in while the next
    batch is read and checked here: its indexes and foreign keys are half of its work, and
    the server does it on the other core. Whatever comes next on the connection (a query, a
    commit) first waits for that COPY to end, so every statement sees the batches before it;
    a rollback first abandons it. (psycopg holds the connection for the whole COPY: without
    these hooks the next statement from this thread would wait for it for ever.)"""

    def __init__(self, connection: Connection, kind: Kind) -> None:
        self.connection, self.kind = connection, kind
        self.copying: ExitStack | None = None  # a COPY sent, not yet finished
        self.hooks = {"before_cursor_execute": self._next, "commit": self._next, "rollback": self._abandon}
        self.known = self.added = 0  # rows PostgreSQL's statistics know of; rows added since
        self.postgres = connection.dialect.name == "postgresql"
        self.table: sa.Table = kind.table.__table__  # type: ignore[attr-defined]
        self.names = tuple(c.name for c in self.table.columns)
        self.row: Callable[[dict[str, Any]], tuple[Any, ...]] = itemgetter(*self.names)
        self.new_id = TimeOrderedIds()

        def bind(column: str) -> Callable[[Any], Any]:
            c, dialect = self.table.c[column], connection.dialect
            return c.type.dialect_impl(dialect).bind_processor(dialect) or (lambda value: value)

        self.moment, self.number = bind("created_at"), bind("value")
        self.day = lru_cache(maxsize=4096)(bind("date"))
        self.inserts = {
            table.name: self._insert(table, names)
            for table, names in ((self.table, self.names), (models.Change.__table__, CHANGE_COLUMNS))  # type: ignore[attr-defined]
        }

    def _insert(self, table: sa.Table, names: tuple[str, ...]) -> str:
        quote = self.connection.dialect.identifier_preparer.quote
        columns = ", ".join(quote(n) for n in names)
        if self.postgres:
            return f"COPY {quote(table.name)} ({columns}) FROM STDIN"
        return f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({', '.join('?' * len(names))})"

    def __enter__(self) -> "Store":
        if self.postgres:  # what the statistics know of the table already (-1: never analyzed)
            known = self.connection.scalar(
                sa.text("SELECT reltuples FROM pg_class WHERE oid = CAST(:t AS regclass)"),
                {"t": self.table.name},
            )
            self.known = max(int(known or 0), 0)
        for name, hook in self.hooks.items():
            event.listen(self.connection, name, hook)
        return self

    def __exit__(self, *error: Any) -> None:
        try:
            if error[0] is None:
                self.finish()
            else:
                self.finish(*error)
        finally:
            for name, hook in self.hooks.items():
                event.remove(self.connection, name, hook)

    def _next(self, *_: Any) -> None:
        self.finish()

    def _abandon(self, *_: Any) -> None:
        gone = RuntimeError("The import's transaction is rolled back.")
        self.finish(RuntimeError, gone, None)

    def finish(self, *error: Any) -> None:
        """Until the server has taken the COPY under way (its error, if it failed); with an
        error given, abandons it instead."""
        copying, self.copying = self.copying, None
        if copying is not None and error:
            copying.__exit__(*error)
        elif copying is not None:
            copying.close()

    def insert(self, values: list[tuple[Any, ...]], changes: list[tuple[Any, ...]]) -> None:
        """A batch's new values and its changes, in order; on PostgreSQL, the values' COPY is
        left under way (see above)."""
        self.added += len(values)
        if not self.postgres:
            for table, rows in ((self.table.name, values), ("change", changes)):
                if rows:
                    self.connection.exec_driver_sql(self.inserts[table], rows)
            return
        self.finish()
        if changes:
            self._copy("change", changes).close()
        if values:
            self.copying = self._copy(self.table.name, values)

    def _copy(self, table: str, rows: list[tuple[Any, ...]]) -> ExitStack:
        """A COPY of these rows, sent: closing what this returns ends it."""
        driver = self.connection.connection.driver_connection
        with ExitStack() as stack:
            cursor = stack.enter_context(driver.cursor())  # type: ignore[union-attr]
            copy = stack.enter_context(cursor.copy(self.inserts[table]))
            for row in rows:
                copy.write_row(row)
            return stack.pop_all()

    def _keys(self, keys: list[Key], dated: bool) -> tuple[Any, list[sa.ColumnElement[Any]]]:
        """The batch's keys as a table to join, in the unique index's order: one parameter, a
        JSON array (as arrays, psycopg quoted each of a batch's five thousand items in Python)."""
        day = date.isoformat if self.postgres else self.day  # SQLite compares dates as stored
        if dated:
            rows: list[tuple[Any, ...]] = [(k[0], k[1], day(k[3]), k[2], k[4]) for k in keys]
        else:
            rows = [(k[0], k[1], k[2], k[4]) for k in keys]
        encoded = json.dumps(rows)
        if not self.postgres:
            given = func.json_each(encoded).table_valued("value").alias("k")
            return given, [func.json_extract(given.c.value, f"$[{i}]") for i in range(len(rows[0]))]
        cast = sa.cast(sa.bindparam("keys", encoded, type_=sa.String), JSONB)
        given = func.jsonb_array_elements(cast).table_valued("value").alias("k")
        parts: list[sa.ColumnElement[Any]] = [
            given.c.value.op("->>")(literal_column(str(i))) for i in range(len(rows[0]))
        ]
        if dated:
            parts[2] = sa.cast(parts[2], sa.Date)
        return given, parts

    def _analyze(self, session: Session) -> None:
        """PostgreSQL's statistics brought up to date once the table has doubled since: without
        them, for a table an import fills, it took the (metric, date) index for the lookups
        and read every row of each date. Ten times in a million rows, under a second in all."""
        name = self.connection.dialect.identifier_preparer.quote(self.table.name)
        session.execute(sa.text(f"ANALYZE {name}"))
        self.known, self.added = self.known + self.added, 0

    def existing(self, session: Session, keys: list[Key]) -> dict[Key, Any]:
        """The values this batch names that are here already, in one query: the batch's keys
        joined to the value's unique index, each key sought whole, on both engines. (IN lists
        on its columns let every breakdown of each area and date through: at a million rows,
        a quarter of a million index entries read for each batch.)"""
        t = self.kind.table
        dated = "date" in self.kind.unique_by
        scope = [
            col(t.metric_id),
            col(t.area_id),
            *([col(t.date)] if dated else []),
            func.coalesce(col(t.collaboration_id), literal_column("''")),  # as the index has it
            col(t.breakdown_key),
        ]
        given, parts = self._keys(keys, dated)
        on = sa.and_(*(c == p for c, p in zip(scope, parts, strict=True)))
        stmt = select(t).select_from(given).join(t, on)
        if self.postgres:
            # One index seek per key, by a lateral subquery: a join was planned as a hash
            # join of the keys to the whole table while it was small, and kept so.
            one = select(t).where(on).correlate(given).limit(1).lateral("v")
            stmt = select(aliased(t, one)).select_from(given).join(one, sa.true())
        if self.postgres and self.added > self.known:
            self._analyze(session)
        found = {}
        for row in session.scalars(stmt):
            key = (row.metric_id, row.area_id, row.collaboration_id or "", row.date if dated else None)
            found[(*key, row.breakdown_key)] = row
        return found
