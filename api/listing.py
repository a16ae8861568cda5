"""Every list answers one page as JSON, or every page as one CSV or XLSX file.

A route hands `listing` how to fetch a page; a file then runs the very same fetch, with the
same filters and access rules, page after page until the last, so what a download holds is
what paging through the JSON gives. The file streams: one page is in memory at a time.
"""

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import chain
from typing import Any, TypeVar, cast, get_args

from fastapi import Request, Response
from pydantic import BaseModel
from sqlmodel import Session

from api.db import SessionFactory, finish
from api.middleware import Download, start_download
from api.pagination import PageQuery, page_of
from api.schema_base import Page
from api.tabular import CONTENT_TYPES, ListFormat, columns, csv_chunks, xlsx_chunks

Item = TypeVar("Item", bound=BaseModel)
T = TypeVar("T")
Fetch = Callable[[Session, PageQuery], tuple[Sequence[T], str | None]]
Read = Callable[[Session, str | None], tuple[Sequence[T], str | None]]  # a page, by cursor
FILE_PAGE = 500  # rows a file reads at a time: big enough to be quick, small enough to stay flat


def each_page(factory: SessionFactory, read: Read[T], cursor: str | None = None) -> Iterator[Sequence[T]]:
    """Page after page from `cursor`, each read in a short session of its own: a client that
    downloads slowly holds no database connection, nor a transaction open, between pages.
    Keyset pages stay exact meanwhile."""
    while True:
        with factory() as session:
            items, cursor = read(session, cursor)
        yield items
        if cursor is None:
            return


def _item_model(request: Request) -> type[BaseModel]:
    """The items' schema, from the route's documented `Page[X]`: columns are what the docs list."""
    page: type[BaseModel] = request.scope["route"].response_model
    (model,) = get_args(page.model_fields["items"].annotation)
    return model  # type: ignore[no-any-return]


def _file(
    request: Request, fmt: ListFormat, pages: Iterator[Sequence[BaseModel]], hidden: Sequence[str]
) -> Download:
    cols = columns(_item_model(request), hidden)
    name = next(p for p in reversed(request.url.path.split("/")) if p)
    chunks = csv_chunks(pages, cols) if fmt is ListFormat.csv else xlsx_chunks(pages, cols, name)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    disposition = f'attachment; filename="{name}-{stamp}.{fmt.value}"'
    return Download(
        chunks, media_type=CONTENT_TYPES[fmt], headers={"Content-Disposition": disposition, "Vary": "Accept"}
    )


def _as_page(file: Download) -> Page[Any]:
    # FastAPI sends a Response as it is, past the route's model: the JSON page stays what
    # the route declares (and documents), the file its alternative.
    return cast(Page[Any], file)


def listing(
    request: Request,
    response: Response,
    session: Session,
    page: PageQuery,
    fetch: Fetch[Item],
    hidden: Sequence[str] = (),
) -> Page[Item]:
    """One page as JSON; as a file, every page from the first, each read in a session of its own.

    The request's own session ends with the endpoint, before a file is sent. Each page of a
    file is read in a short session, so a client that downloads slowly holds no database
    connection (nor a transaction open) between pages; keyset pages stay exact meanwhile.
    The first page is read here, so a bad sort, cursor or filter is a 422 before anything
    is sent. A file counts as a download, not as a request, once it starts sending (503 when
    the worker sends as many as it may: api.middleware.Ticket).
    """
    response.headers["Vary"] = "Accept"  # the same URL is a page or a file by Accept
    if page.format is ListFormat.json:
        items, next_cursor = fetch(session, page)
        return page_of(request, response, list(items), next_cursor)
    start_download(request.scope)  # before any page is read: a refused file costs no query
    finish(session)  # a read: its unit of work ends here, so a download never holds two connections
    factory: SessionFactory = request.app.state.session_factory

    def read(own: Session, cursor: str | None) -> tuple[Sequence[Item], str | None]:
        return fetch(own, PageQuery(FILE_PAGE, cursor, page.sort, page.format))

    pages = each_page(factory, read, page.cursor)
    first = next(pages)
    return _as_page(_file(request, page.format, chain([first], pages), hidden))


def ranked_listing(
    request: Request,
    response: Response,
    fmt: ListFormat,
    ranked: list[Item],
    limit: int,
    cursor: str | None,
) -> Page[Item]:
    """A computed ranking (already in memory): one page of it as JSON, or all of it as a file."""
    response.headers["Vary"] = "Accept"
    if fmt is not ListFormat.json:
        start_download(request.scope)
        return _as_page(_file(request, fmt, iter([ranked]), ()))
    start = int(cursor or 0)
    more = start + limit < len(ranked)
    return page_of(request, response, ranked[start : start + limit], str(start + limit) if more else None)
