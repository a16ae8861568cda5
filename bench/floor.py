"""The honest floor: the project's reads as a competent engineer would write them bare.

    DATABASE_URL=… .venv/bin/uvicorn --app-dir bench floor:app --workers 2

A plain FastAPI app on the same database: one engine with a pool for the threads that
serve `def` endpoints, SQLAlchemy Core statements, JSON bodies from orjson (the standard
library's json if orjson is not installed). No authentication, access rules, ETags,
middleware, response models or problem documents: what the project adds on top of that is
what the benchmark prices.

It answers the project's URLs and runs the same statements: the same columns of the same
tables (the project's table definitions, so the same column types), the same filters, the
same keyset predicate as a row value `(name, id) > (:name, :id)` with the same order and
LIMIT page + 1, the same follow-up query for a page's sectors, areas and identifiers. It reads the
project's cursors (base64url JSON `{"s": sort, "v": [value, id]}`) and issues its own the
same way. What an anonymous caller would see: a stakeholder without its contact details,
no observation of a draft collaboration.

Observations also come as one file, `?format=csv|xlsx` (issue 13): every row, by the same
keyset pages of 500 the project reads a file in (each page on a connection of its own, so a
slow client holds none), written from the Core rows with the csv module (or openpyxl's
write-only workbook, saved to a temporary file and sent from it), the columns and cells the
project writes. No ORM entities, no pydantic, no JSON round trip per row.
"""

import base64
import binascii
import csv
import io
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import Response, StreamingResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import Connection, Row, Table, create_engine, literal, or_, select, tuple_, union_all
from sqlalchemy.engine import make_url

from api import models

try:
    import orjson

    def dumps(body: Any) -> bytes:
        return orjson.dumps(body, default=_default)

except ImportError:  # pragma: no cover - orjson is the floor's choice, json the fallback

    def dumps(body: Any) -> bytes:
        return json.dumps(body, default=_default, separators=(",", ":")).encode()


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, date):  # only the json fallback needs this
        return value.isoformat()
    raise TypeError(type(value).__name__)


S: Table = models.Stakeholder.__table__  # type: ignore[attr-defined]
SECTOR: Table = models.StakeholderSector.__table__  # type: ignore[attr-defined]
SAREA: Table = models.StakeholderArea.__table__  # type: ignore[attr-defined]
M: Table = models.Metric.__table__  # type: ignore[attr-defined]
OBS: Table = models.Observation.__table__  # type: ignore[attr-defined]
C: Table = models.Collaboration.__table__  # type: ignore[attr-defined]
SID: Table = models.StakeholderIdentifier.__table__  # type: ignore[attr-defined]
PERSONAL = ("email", "phone")
LINKS = {"sectors": (SECTOR, "sector"), "area_ids": (SAREA, "area_id"), "identifiers": (SID, "identifier")}
POOL = int(os.environ.get("FLOOR_POOL_SIZE", "16"))


def _engine() -> Any:
    url = os.environ["DATABASE_URL"]
    if make_url(url).get_backend_name() == "sqlite":
        # The threadpool's threads share the pool's connections.
        return create_engine(
            url, connect_args={"check_same_thread": False}, pool_size=POOL, max_overflow=POOL
        )
    return create_engine(url, pool_size=POOL, max_overflow=POOL)


engine = _engine()
app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


def _json(body: Any) -> Response:
    return Response(dumps(body), media_type="application/json")


def _cursor(raw: str | None, sort: str, parse: Callable[[Any], Any]) -> tuple[Any, str] | None:
    if not raw:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(raw.encode() + b"=="))
        if data.get("s") != sort:
            raise ValueError("sort")
        value, last_id = data["v"]
        return parse(value), str(last_id)
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error):
        raise HTTPException(422, "bad cursor") from None


def _next(rows: Sequence[Any], limit: int, sort: str, value: Callable[[Any], Any]) -> str | None:
    if len(rows) <= limit:
        return None
    last = rows[limit - 1]
    payload = json.dumps({"s": sort, "v": [value(last), last.id]}, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _stakeholders(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    ids = [r.id for r in rows]
    links: dict[str, dict[str, list[str]]] = {f: defaultdict(list) for f in LINKS}
    if ids:  # one query for the three link tables, as the project reads them
        branches = [
            select(literal(field).label("f"), t.c.stakeholder_id, t.c[column]).where(
                t.c.stakeholder_id.in_(ids)
            )
            for field, (t, column) in LINKS.items()
        ]
        for field, owner, value in conn.execute(union_all(*branches)):
            links[field][owner].append(value)
    items = []
    for r in rows:
        item = r._asdict()
        for field in PERSONAL:  # an anonymous caller's view
            del item[field]
        for field in LINKS:
            item[field] = sorted(links[field][r.id])
        items.append(item)
    return items


@app.get("/healthz")
def healthz() -> Response:
    return _json({"status": "ok"})


@app.get("/api/v1/stakeholders")
def list_stakeholders(
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=4096)] = None,
    kind: str | None = None,
) -> Response:
    stmt = select(S)
    if kind is not None:
        stmt = stmt.where(S.c.kind == kind)
    after = _cursor(cursor, "name", str)
    if after is not None:
        stmt = stmt.where(tuple_(S.c.name, S.c.id) > after)
    stmt = stmt.order_by(S.c.name, S.c.id).limit(limit + 1)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
        items = _stakeholders(conn, rows[:limit])
    return _json({"items": items, "next_cursor": _next(rows, limit, "name", lambda r: r.name)})


@app.get("/api/v1/stakeholders/{id}")
def get_stakeholder(id: str) -> Response:
    with engine.connect() as conn:
        rows = conn.execute(select(S).where(S.c.id == id)).all()
        if not rows:
            raise HTTPException(404, "no such stakeholder")
        return _json(_stakeholders(conn, rows)[0])


@app.get("/api/v1/metrics/{metric_id}/observations")
def list_observations(
    metric_id: str,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=4096)] = None,
    format: str | None = None,
) -> Response:
    drafts = select(C.c.id).where(C.c.publication == "draft")
    stmt = select(OBS).where(
        OBS.c.metric_id == metric_id,
        or_(OBS.c.collaboration_id.is_(None), OBS.c.collaboration_id.not_in(drafts)),
    )
    if format in FILES:
        with engine.connect() as conn:
            if conn.execute(select(M).where(M.c.id == metric_id)).first() is None:
                raise HTTPException(404, "no such metric")
        chunks = FILES[format](_pages(stmt.with_only_columns(*(OBS.c[n] for n in FILE_COLUMNS))))
        return StreamingResponse(chunks, media_type=MEDIA[format])
    after = _cursor(cursor, "date", date.fromisoformat)
    if after is not None:
        stmt = stmt.where(tuple_(OBS.c.date, OBS.c.id) > after)
    stmt = stmt.order_by(OBS.c.date, OBS.c.id).limit(limit + 1)
    with engine.connect() as conn:
        if conn.execute(select(M).where(M.c.id == metric_id)).first() is None:
            raise HTTPException(404, "no such metric")
        rows = conn.execute(stmt).all()
    items = [{k: v for k, v in r._asdict().items() if k != "breakdown_key"} for r in rows[:limit]]
    return _json({"items": items, "next_cursor": _next(rows, limit, "date", lambda r: r.date.isoformat())})


# Observations as one file ---------------------------------------------------------------------

FILE_PAGE = 500  # as api/listing.py reads a file
FILE_COLUMNS = (  # the project's columns for an observation, in its order
    "id", "version", "created_at", "updated_at", "metric_id", "area_id", "collaboration_id",
    "value", "date", "source", "note", "breakdown", "flags", "qualifier",
)  # fmt: skip
MEDIA = {
    "csv": "text/csv; charset=utf-8; header=present",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _pages(stmt: Any) -> Iterator[Sequence[Row[Any]]]:
    """Every row, FILE_PAGE at a time by the keyset (date, id), each page on its own connection."""
    first = stmt.order_by(OBS.c.date, OBS.c.id).limit(FILE_PAGE)
    page = first
    while True:
        with engine.connect() as conn:
            rows = conn.execute(page).all()
        if rows:
            yield rows
        if len(rows) < FILE_PAGE:
            return
        page = first.where(tuple_(OBS.c.date, OBS.c.id) > (rows[-1].date, rows[-1].id))


def _stamp(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")  # as pydantic writes a UTC datetime


def _cells(r: Row[Any]) -> tuple[Any, ...]:
    """An observation's cells as the project writes them (its JSON form; lists joined by `;`)."""
    return (
        r.id,
        r.version,
        _stamp(r.created_at),
        _stamp(r.updated_at),
        r.metric_id,
        r.area_id,
        r.collaboration_id,
        _default(r.value),
        r.date.isoformat(),
        r.source,
        r.note,
        ";".join(f"{k}:{v}" for k, v in r.breakdown.items()),
        ";".join(r.flags),
        r.qualifier,
    )


def _csv(pages: Iterator[Sequence[Row[Any]]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FILE_COLUMNS)
    for rows in pages:
        writer.writerows(["" if v is None else v for v in _cells(r)] for r in rows)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def _text(value: Any) -> Any:
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) or None if isinstance(value, str) else value


def _xlsx(pages: Iterator[Sequence[Row[Any]]]) -> Iterator[bytes]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("observations")
    sheet.append(FILE_COLUMNS)
    for rows in pages:
        for r in rows:
            cells = [_text(v) for v in _cells(r)]
            cells[1], cells[7] = r.version, r.value  # numbers as numbers
            sheet.append(cells)
    with tempfile.TemporaryFile() as out:
        book.save(out)
        out.seek(0)
        while chunk := out.read(64 * 1024):
            yield chunk


FILES: dict[str, Callable[[Iterator[Sequence[Row[Any]]]], Iterator[bytes]]] = {"csv": _csv, "xlsx": _xlsx}
