"""Lists as files: the API's own field names as columns, written a page at a time."""

import csv
import io
import json
import tempfile
import types
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import IO, Annotated, Any, Union, get_args, get_origin
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from pydantic import BaseModel


class ListFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {ListFormat.json: "application/json", ListFormat.csv: "text/csv", ListFormat.xlsx: XLSX}
BY_MEDIA_TYPE = {**{media: fmt for fmt, media in MEDIA_TYPES.items()}, "*/*": ListFormat.json}
CONTENT_TYPES = {
    ListFormat.csv: "text/csv; charset=utf-8; header=present",
    ListFormat.xlsx: XLSX,
}
SHEET_ROWS = 1_048_576 - 1  # Excel's limit, less the heading; a longer list goes on to a new sheet
CHUNK = 64 * 1024
ROWS_A_CHUNK = 500


def negotiate(accept: str) -> ListFormat:
    """The format an Accept header prefers among ours (RFC 9110, 12.5.1): the highest weight,
    the first listed on a tie; JSON when it names none of them."""
    choices: list[tuple[float, int, ListFormat]] = []
    for position, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        fmt = BY_MEDIA_TYPE.get(media.lower())
        q = 1.0
        for name, _, value in (param.partition("=") for param in params):
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if fmt is not None and q > 0:
            choices.append((q, -position, fmt))
    return max(choices)[2] if choices else ListFormat.json


class Shape(StrEnum):
    plain = "plain"  # a number, text, date or true/false
    joined = "joined"  # a list of plain values: `a;b`
    pairs = "pairs"  # a breakdown, text to text: `age:65+;sex:female`
    json = "json"  # anything else, as JSON text


@dataclass(frozen=True)
class Column:
    name: str  # the API's field name; a nested object's fields are `field.sub`
    path: tuple[str, ...]
    shape: Shape
    numeric: bool


def _unwrap(annotation: Any) -> Any:
    """`X | None` as `X`; `Annotated[X, …]` (a bound, api.bounds) as `X`."""
    if get_origin(annotation) is Annotated:
        return _unwrap(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return annotation


def _plain(annotation: Any) -> bool:
    return isinstance(annotation, type) and not issubclass(annotation, BaseModel | list | dict)


def _shape(annotation: Any) -> Shape:
    origin, args = get_origin(annotation), tuple(map(_unwrap, get_args(annotation)))
    if origin is None and _plain(annotation):
        return Shape.plain
    if origin is list and len(args) == 1 and _plain(args[0]):
        return Shape.joined
    if origin is dict and args == (str, str):
        return Shape.pairs
    return Shape.json


def _is_number(annotation: Any) -> bool:
    number = isinstance(annotation, type) and issubclass(annotation, int | float | Decimal)
    return number and annotation is not bool


def columns(model: type[BaseModel], hidden: Iterable[str] = (), prefix: tuple[str, ...] = ()) -> list[Column]:
    """The model's fields as columns, in the order the API documents them; a nested object's
    fields each get a column of their own."""
    out: list[Column] = []
    for name, field in model.model_fields.items():
        if name in hidden:
            continue
        kind, path = _unwrap(field.annotation), (*prefix, name)
        if get_origin(kind) is None and isinstance(kind, type) and issubclass(kind, BaseModel):
            out.extend(columns(kind, prefix=path))
        else:
            out.append(Column(".".join(path), path, _shape(kind), _is_number(kind)))
    return out


def _cell(value: Any, shape: Shape) -> Any:
    if value is None:
        return None
    if shape is Shape.joined:
        return ";".join(str(_plain_cell(v)) for v in value)
    if shape is Shape.pairs:
        return ";".join(f"{k}:{v}" for k, v in value.items())
    if shape is Shape.json:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _plain_cell(value)


def _plain_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def row(item: BaseModel, cols: Sequence[Column]) -> list[Any]:
    """The item's cells, from its JSON form (so each reads as the API writes it)."""
    data = item.model_dump(mode="json")
    out = []
    for column in cols:
        value: Any = data
        for key in column.path:
            value = value.get(key) if isinstance(value, dict) else None
        out.append(_cell(value, column.shape))
    return out


def write_csv(headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """RFC 4180 CSV in UTF-8 without a BOM (a reader such as pandas would take one into the
    first heading): the heading row, then the rows a few hundred at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings)
    for number, values in enumerate(rows, start=1):
        writer.writerow(["" if v is None else v for v in values])
        if number % ROWS_A_CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def workbook() -> Workbook:
    """openpyxl's write-only mode: each sheet goes to a file on disk as rows are added, and is
    sent once all are (`saved`): for sheets filled side by side. One after another: StreamedBook."""
    return Workbook(write_only=True)


class _Sink:
    """Where the zip is written: bytes are kept until taken, as the zip cannot be sought back."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        out = b"".join(self.chunks)
        self.chunks.clear()
        return out


class _AlreadyWritten(ExcelWriter):
    """openpyxl's writer of a workbook's other parts, for sheets already in the archive."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._rels = ws._writer._rels
        self.manifest.append(ws)


class StreamedBook:
    """An XLSX workbook sent as it is written, one sheet after another.

    Built on disk and sent once saved, 100k rows were 32 s before the first byte, 1M rows
    almost 6 minutes: longer than a proxy waits (nginx, 60 s). Here each sheet's XML goes
    through openpyxl's own writer straight into its zip entry (zipfile writes entries to a
    stream with data descriptors), and `take` hands on what is written; the workbook's
    other parts, written by openpyxl as usual, follow the sheets.
    """

    def __init__(self) -> None:
        self._sink = _Sink()
        self._archive = ZipFile(self._sink, "w", ZIP_DEFLATED, allowZip64=True)
        self._book = Workbook(write_only=True)
        self._open: tuple[WriteOnlyWorksheet, IO[bytes]] | None = None

    def sheet(self, title: str) -> Any:
        self._close_sheet()
        sheet: Any = self._book.create_sheet(title)
        sheet._id = len(self._book.worksheets)  # its part's name, numbered as ExcelWriter does
        entry = self._archive.open(sheet.path[1:], "w", force_zip64=True)
        sheet._writer = WorksheetWriter(sheet, out=entry)
        sheet._writer.write_top()
        self._open = sheet, entry
        return sheet

    def take(self) -> bytes:
        return self._sink.take()

    def finish(self) -> bytes:
        self._close_sheet()
        _AlreadyWritten(self._book, self._archive).save()
        return self.take()

    def _close_sheet(self) -> None:
        if self._open is not None:
            sheet, entry = self._open
            sheet.close()
            entry.close()
            self._open = None


def sheet_row(sheet: WriteOnlyWorksheet, values: Sequence[Any]) -> list[Any]:
    """A row's cells: numbers as numbers, text never a formula (a file from us runs nothing)."""
    out: list[Any] = []
    for value in values:
        if value is None or value == "":
            out.append(None)
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            out.append(value)
        elif (text := ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))).startswith("="):
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(text)
    return out


def saved(book: Workbook) -> Iterator[bytes]:
    """The finished workbook, a chunk at a time, from a temporary file."""
    with tempfile.TemporaryFile() as out:
        book.save(out)
        out.seek(0)
        while chunk := out.read(CHUNK):
            yield chunk


def csv_chunks(pages: Iterable[Sequence[BaseModel]], cols: Sequence[Column]) -> Iterator[bytes]:
    """A list as CSV: the heading, then each item's row."""
    return write_csv([c.name for c in cols], (row(item, cols) for items in pages for item in items))


def xlsx_chunks(pages: Iterable[Sequence[BaseModel]], cols: Sequence[Column], title: str) -> Iterator[bytes]:
    """A list as an XLSX workbook, sent a page at a time, going on to a new sheet past Excel's last row."""
    book = StreamedBook()
    heading = [c.name for c in cols]
    sheet, filled, number = book.sheet(title[:31]), 0, 1
    sheet.append(heading)
    for items in pages:
        for item in items:
            if filled == SHEET_ROWS:
                number += 1
                sheet, filled = book.sheet(f"{title[:26]} ({number})"), 0
                sheet.append(heading)
            values = [
                Decimal(v) if c.numeric and isinstance(v, str) else v
                for c, v in zip(cols, row(item, cols), strict=True)
            ]
            sheet.append(sheet_row(sheet, values))
            filled += 1
        if chunk := book.take():
            yield chunk
    yield book.finish()
