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
"""

import base64
import binascii
import json
import os
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import Response
from sqlalchemy import Connection, Table, create_engine, literal, or_, select, tuple_, union_all
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
) -> Response:
    drafts = select(C.c.id).where(C.c.publication == "draft")
    stmt = select(OBS).where(
        OBS.c.metric_id == metric_id,
        or_(OBS.c.collaboration_id.is_(None), OBS.c.collaboration_id.not_in(drafts)),
    )
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
