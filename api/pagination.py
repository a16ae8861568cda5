"""Keyset pagination: stable pages whatever is inserted meanwhile, flat cost at any depth."""

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response
from pydantic import WithJsonSchema
from sqlalchemy import SQLColumnExpression, TypeDecorator, tuple_
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql import ColumnElement, Select

from api.bounds import CURSOR, INT32
from api.errors import ValidationFailed
from api.schema_base import MAX_LIMIT, Page, T
from api.tabular import ListFormat, negotiate

MAX_DECIMAL = Decimal(10) ** 12  # metric values: 18 digits, 6 after the point


@dataclass(frozen=True)
class PageQuery:
    limit: int
    cursor: str | None
    sort: str | None
    format: ListFormat = ListFormat.json


FORMAT_HELP = (
    "`csv` or `xlsx`: every page, with the same filters and sort, as one file (`limit` "
    "does not apply). `Accept: text/csv` (or the XLSX media type) does the same. Columns "
    "are the item's fields; a list is one cell joined with `;`, a breakdown `name:value;…`."
)


async def list_format(
    request: Request,
    format: Annotated[ListFormat | None, Query(description=FORMAT_HELP)] = None,
) -> ListFormat:
    """`?format=`, else what the Accept header prefers."""
    return format or negotiate(request.headers.get("accept", ""))


FormatDep = Annotated[ListFormat, Depends(list_format)]


Limit = Annotated[
    int, Query(ge=1, le=MAX_LIMIT, json_schema_extra=INT32, description=f"Page size (at most {MAX_LIMIT}).")
]
Cursor = Annotated[str | None, Query(max_length=CURSOR, description="`next_cursor` of the previous page.")]


def _sort_invalid(name: str, fields: Iterable[str]) -> ValidationFailed:
    message = f"Cannot sort by {name!r}; choose one of: {', '.join(sorted(fields))}."
    return ValidationFailed.single("query.sort", message, "sort_invalid")


def sorted_by(fields: Iterable[str]) -> Any:
    """A list's page query, as `Annotated[PageQuery, sorted_by(SORTABLE)]`: its `?sort=` takes
    these fields (each also with `-`, descending) and the document says so, as an enum.

    The check is ours, not FastAPI's, so an unknown order is the `sort_invalid` problem that
    names the fields, not a bare enum error; `paginate` is given the same mapping.
    """
    names = tuple(fields)
    orders = [order for name in names for order in (name, f"-{name}")]
    help_ = "Field to sort by; prefix with `-` for descending."
    enum = WithJsonSchema({"type": "string", "enum": orders, "description": help_})

    async def page_query(
        format: FormatDep,
        limit: Limit = 50,
        cursor: Cursor = None,
        sort: Annotated[str | None, Query(description=help_), enum] = None,
    ) -> PageQuery:
        if sort is not None and sort not in orders:
            raise _sort_invalid(sort.removeprefix("-")[:50], names)
        return PageQuery(limit=limit, cursor=cursor, sort=sort, format=format)

    return Depends(page_query)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _python_type(column: SQLColumnExpression[Any]) -> type[Any]:
    # col() hands us ORM attributes; the SQL type lives on the column each one wraps.
    element = column.expression if isinstance(column, QueryableAttribute) else column
    if not isinstance(element, ColumnElement):
        raise TypeError(f"cannot sort by {column!r}: not a column")
    sql_type = element.type
    # Our own types (UTCDateTime, SQLModel's AutoString) wrap a standard one that knows it.
    while isinstance(sql_type, TypeDecorator):
        sql_type = sql_type.impl_instance
    return sql_type.python_type


def _decode(kind: type[Any], raw: Any) -> Any:
    """The cursor's sort value, checked: sort columns are never null, datetimes carry a zone."""
    if kind is datetime:
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is None:
            raise TypeError("naive datetime")
        return moment.astimezone(UTC)  # here, so an out-of-range zone is a bad cursor
    if kind is date:
        return date.fromisoformat(raw)
    if kind is Decimal:
        # Only what this API issues: a finite decimal string within the column's range.
        number = Decimal(raw) if isinstance(raw, str) else None
        if number is None or not number.is_finite() or abs(number) >= MAX_DECIMAL:
            raise TypeError("not a decimal this API stores")
        return number
    if not isinstance(raw, kind):
        raise TypeError(f"expected {kind.__name__}")
    return raw


def _bad_cursor(reason: str) -> ValidationFailed:
    return ValidationFailed.single("query.cursor", f"Invalid cursor: {reason}.", "cursor_invalid")


def paginate(
    stmt: Select[Any],
    page: PageQuery,
    sortable: Mapping[str, SQLColumnExpression[Any]],
    id_column: SQLColumnExpression[Any],
    default: str,
) -> "Keyset":
    sort = page.sort or default
    name = sort.lstrip("-")
    if name not in sortable:
        raise _sort_invalid(name, sortable)
    column, descending = sortable[name], sort.startswith("-")
    if page.cursor:
        kind = _python_type(column)
        try:
            data = json.loads(base64.urlsafe_b64decode(page.cursor.encode() + b"=="))
            if not isinstance(data, dict) or data.get("s") != sort:
                raise _bad_cursor("it belongs to another sort order")
            value, last_id = data["v"]
            value = _decode(kind, value)
            if not isinstance(last_id, str):
                raise TypeError("id")
        except ValidationFailed:
            raise
        except (ValueError, TypeError, KeyError, ArithmeticError, RecursionError, binascii.Error) as exc:
            raise _bad_cursor("it is not one this API issued") from exc
        # A row value, `(a, id) > (x, y)`, not `a > x OR (a = x AND id > y)`: with an index on
        # (filters..., a, id) SQLite and PostgreSQL both seek straight to the first row after
        # the cursor, so a page costs the same at any depth. The OR form reads the index
        # from its start (or at best from `a = x`) and filters. Row values skip NULLs, so
        # sort columns must be NOT NULL (all are; tests/test_pagination.py checks).
        # Comparing with a plain tuple binds each value with its column's type.
        key = tuple_(column, id_column)
        stmt = stmt.where(key < (value, last_id) if descending else key > (value, last_id))
    order = (column.desc(), id_column.desc()) if descending else (column.asc(), id_column.asc())
    return Keyset(stmt.order_by(*order).limit(page.limit + 1), sort, name, page.limit)


@dataclass(frozen=True)
class Keyset:
    stmt: Select[Any]
    sort: str
    field: str
    limit: int

    def split(self, rows: list[Any]) -> tuple[list[Any], str | None]:
        """The page's rows and the cursor of the next page (None on the last)."""
        if len(rows) <= self.limit:
            return rows, None
        rows = rows[: self.limit]
        last = rows[-1]
        payload = {"s": self.sort, "v": [_encode(getattr(last, self.field)), last.id]}
        token = base64.urlsafe_b64encode(
            json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        )
        return rows, token.decode().rstrip("=")


def link_next(request: Request, response: Response, next_cursor: str | None) -> None:
    if next_cursor:
        url = request.url.include_query_params(cursor=next_cursor)
        response.headers["Link"] = f'<{url}>; rel="next"'


def page_of(request: Request, response: Response, items: list[T], next_cursor: str | None) -> Page[T]:
    """The list response: the page, and a `Link: rel="next"` header when there is more."""
    link_next(request, response, next_cursor)
    return Page(items=items, next_cursor=next_cursor)


OFFSET_CURSOR = Query(max_length=10, pattern=r"^\d{1,9}$", description="`next_cursor` of the previous page.")
