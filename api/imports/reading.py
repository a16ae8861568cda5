"""Rows out of an uploaded CSV or XLSX file, streamed, as text keyed by normalised header.

The bottom layer of spreadsheet imports: no database and no typing of values (that is
`api.imports.cells`). Files are read the way Excel writes them: CSV in UTF-8 (with or
without a BOM) or Windows-1252, comma, semicolon or tab separated; XLSX through openpyxl's
read-only mode. Either way rows are yielded lazily, so memory stays flat however long the file.
A JSON document (an Open Referral UK feed, a small catalogue) is read whole by `read_json`.

The source must be a seekable binary stream holding the whole file (it is read from the
start, more than once for a CSV). It is never closed here: the caller owns it.
"""

import codecs
import csv
import io
import json
import re
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import zip_longest
from typing import BinaryIO, Literal

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # OLE2: Excel 97-2003, and also any password-protected workbook
CHUNK = 64 * 1024
MAX_JSON_BYTES = 16 << 20  # a JSON file is parsed whole (a catalogue): kept well inside memory
DELIMITERS = (",", ";", "\t")
NOT_TEXT = "This file is not a CSV or an Excel workbook: save it as CSV UTF-8 or .xlsx and upload that."
_SEPARATORS = re.compile(r"[\s\-_]+")


class FileProblem(Exception):
    """The file as a whole can't be read; the message says why in words a user understands."""


@dataclass(frozen=True)
class Row:
    """One non-blank row: `number` is the row as Excel numbers it (the header row is usually 1).

    `values` holds every column, "" where the cell is empty. `extra` holds, in order, the
    non-empty cells that have no heading: beyond the header's width (a ragged CSV line) or
    under a blank heading.
    """

    number: int
    values: dict[str, str]
    extra: tuple[str, ...] = ()


@dataclass
class Table:
    """A file's header and its rows; `rows` can be iterated once and reads the file as it goes."""

    headers: list[str]
    original: dict[str, str]  # normalised header -> the header as written, for messages
    rows: Iterator[Row]
    format: Literal["csv", "xlsx"]
    sheet: str | None = None  # xlsx: the sheet read
    encoding: Literal["utf-8", "cp1252"] | None = None  # csv
    delimiter: str | None = None  # csv
    sheets: tuple[str, ...] = ()  # xlsx: every sheet's name, in order
    source: BinaryIO | None = field(default=None, repr=False, compare=False)  # xlsx: to open other sheets
    filename: str | None = field(default=None, repr=False, compare=False)

    def open_sheet(self, name: str) -> "Table":
        """A sheet of the same workbook, by name in any case, read as lazily as this one: for
        layouts that span sheets (a Kumu map's Elements and Connections)."""
        if self.format != "xlsx" or self.source is None:
            raise FileProblem(f"{_name(self.filename)} is a CSV file: it has no sheets.")
        return _open_xlsx(self.source, self.filename, name)


def normalise_header(text: str) -> str:
    """`" Recipient Org:Identifier "` -> `"recipient_org:identifier"`.

    Strips, drops any BOM, lower-cases, and turns each run of spaces, hyphens and
    underscores into one `_`. Other punctuation stays: 360Giving's `:` carries meaning.
    """
    return _SEPARATORS.sub("_", text.replace("\ufeff", "").strip()).lower()


def open_table(source: BinaryIO, *, filename: str | None = None, sheet: str | None = None) -> Table:
    """Read the header of `source` and return it with a lazy iterator over the remaining rows.

    XLSX is told from CSV by its content, not by `filename` (which is only used in messages);
    `sheet` picks an XLSX sheet by name, ignoring case (default: the first).
    """
    source.seek(0)
    magic = source.read(4)
    if not magic:
        raise FileProblem(f"{_name(filename)} is empty.")
    if magic == XLSX_MAGIC:
        return _open_xlsx(source, filename, sheet)
    if magic == XLS_MAGIC:
        raise FileProblem(
            f"{_name(filename)} is an old-style .xls or a password-protected workbook: "
            "save it as .xlsx (without a password) or as CSV UTF-8."
        )
    if magic.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(f"{_name(filename)} is saved as UTF-16 (Unicode Text): save it as CSV UTF-8.")
    return _open_csv(source, filename)


def read_json(source: BinaryIO, *, filename: str | None = None) -> object:
    """A JSON document, read whole: for catalogues (an Open Referral UK feed), which are small
    beside the tables that stream. Anything that is not JSON is a `FileProblem` saying where."""
    source.seek(0)
    data = source.read(MAX_JSON_BYTES + 1)
    if not data:
        raise FileProblem(f"{_name(filename)} is empty.")
    if len(data) > MAX_JSON_BYTES:
        raise FileProblem(f"{_name(filename)} is over {MAX_JSON_BYTES >> 20} MB of JSON: split it in parts.")
    if data.startswith((XLSX_MAGIC, XLS_MAGIC)):
        raise FileProblem(f"{_name(filename)} is an Excel workbook; this layout is a JSON file.")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FileProblem(f"{_name(filename)} is not UTF-8 text, as JSON is.") from None
    except json.JSONDecodeError as error:
        raise FileProblem(
            f"{_name(filename)} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    except RecursionError:
        raise FileProblem(f"{_name(filename)} nests its JSON too deeply to be read.") from None


def sheets(source: BinaryIO) -> list[str]:
    """The names of an XLSX workbook's sheets, in order; [] for a CSV, which has none."""
    source.seek(0)
    if source.read(4) != XLSX_MAGIC:
        return []
    workbook = _load(source, None)
    try:
        return [worksheet.title for worksheet in workbook.worksheets]
    finally:
        workbook.close()


def _name(filename: str | None) -> str:
    return f'"{filename}"' if filename else "The file"


Cells = Generator[tuple[int, list[str]], None, None]  # (row number, stripped cell texts) per row


def _table(cells: Cells, filename: str | None) -> tuple[list[str], dict[str, str]]:
    """Take the header, the first non-blank row, off `cells`: its normalised names and originals."""
    for _, header in cells:
        if any(header):
            break
    else:
        raise FileProblem(f"{_name(filename)} has no header row: it has no text in it.")
    headers = [normalise_header(text) for text in header]
    repeated = sorted(name for name, count in Counter(filter(None, headers)).items() if count > 1)
    if repeated:
        clashes = "; ".join(
            " and ".join(f'"{text}"' for text, name in zip(header, headers, strict=True) if name == wanted)
            + f' (read as "{wanted}")'
            for wanted in repeated
        )
        raise FileProblem(f"Each column needs its own heading, but these repeat: {clashes}.")
    return headers, {name: text for name, text in zip(headers, header, strict=True) if name}


def _rows(cells: Cells, headers: list[str]) -> Iterator[Row]:
    for number, texts in cells:
        if not any(texts):
            continue
        values: dict[str, str] = {}
        extra: list[str] = []
        for name, text in zip_longest(headers, texts, fillvalue=""):
            if name:
                values[name] = text
            elif text:
                extra.append(text)
        yield Row(number, values, tuple(extra))


def _start(cells: Cells, filename: str | None) -> tuple[list[str], dict[str, str], Iterator[Row]]:
    try:
        headers, original = _table(cells, filename)
    except BaseException:
        cells.close()  # release the file now, not whenever the reader is collected
        raise
    return [name for name in headers if name], original, _rows(cells, headers)


# CSV


def _open_csv(source: BinaryIO, filename: str | None) -> Table:
    encoding, head = _scan(source)
    delimiter = _sniff(head.decode("latin-1"))
    headers, original, rows = _start(_csv_cells(source, encoding, delimiter, filename), filename)
    return Table(headers, original, rows, "csv", encoding=encoding, delimiter=delimiter)


def _scan(source: BinaryIO) -> tuple[Literal["utf-8", "cp1252"], bytes]:
    """Decide the encoding by decoding the whole file chunk by chunk; also return the first chunk.

    UTF-8 is tried first: text that decodes as UTF-8 is almost never meant as anything else.
    Failing that, Windows-1252, which is what Excel's plain "CSV" writes in the UK.
    """
    source.seek(0)
    head = source.read(CHUNK)
    decoder = codecs.getincrementaldecoder("utf-8")()
    chunk = head
    try:
        while chunk:
            _check_text(chunk)
            decoder.decode(chunk)
            chunk = source.read(CHUNK)
        decoder.decode(b"", final=True)
        return "utf-8", head
    except UnicodeDecodeError:
        pass
    source.seek(0)
    while chunk := source.read(CHUNK):
        _check_text(chunk)
        try:
            chunk.decode("cp1252")  # stateless: each byte is one character, so chunks decode alone
        except UnicodeDecodeError:
            raise FileProblem(NOT_TEXT) from None
    return "cp1252", head


def _check_text(chunk: bytes) -> None:
    if b"\0" in chunk:  # no text encoding Excel writes for CSV has NUL bytes; binary files do
        raise FileProblem(NOT_TEXT)


def _sniff(head: str) -> str:
    """The candidate delimiter seen most often outside quotes in the first non-blank line; `,` if none.

    csv.Sniffer guesses from character frequencies across lines and is easily misled by
    the data; the header line alone is a steadier witness.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = seen = False
    for char in head:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in counts:
            counts[char] += 1
        elif char in "\r\n":
            if seen or any(counts.values()):
                break
        elif not char.isspace():
            seen = True
    best = max(DELIMITERS, key=counts.__getitem__)
    return best if counts[best] else ","


def _csv_cells(source: BinaryIO, encoding: str, delimiter: str, filename: str | None) -> Cells:
    source.seek(0)
    # utf-8-sig drops a BOM when there is one; newline="" leaves line ends in quoted cells to csv.
    text = io.TextIOWrapper(source, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="")
    number = 0
    try:
        # A record is one Excel row even when a quoted cell spans lines, so count records, not lines.
        for number, record in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            yield number, [cell.strip() for cell in record]
    except (csv.Error, UnicodeDecodeError) as error:
        raise FileProblem(
            f"{_name(filename)} can't be read at row {number + 1} ({error}): "
            "check for a quote mark that opens a cell but never closes it."
        ) from error
    finally:
        if not source.closed:  # the caller may have closed it already, having stopped reading
            text.detach()  # otherwise closing or collecting the wrapper would close the caller's stream


# XLSX


def _open_xlsx(source: BinaryIO, filename: str | None, sheet: str | None) -> Table:
    workbook = _load(source, filename)
    try:
        worksheets = {worksheet.title: worksheet for worksheet in workbook.worksheets}
        if not worksheets:
            raise FileProblem(f"{_name(filename)} has no sheets with cells in them.")
        wanted = (sheet or next(iter(worksheets))).strip().casefold()
        title = next((title for title in worksheets if title.casefold() == wanted), None)
        if title is None:
            names = ", ".join(f'"{title}"' for title in worksheets)
            raise FileProblem(f'{_name(filename)} has no sheet called "{sheet}"; its sheets are: {names}.')
        worksheet = worksheets[title]
        # Some writers record a wrong sheet size; forgetting it makes openpyxl read what is there.
        worksheet.reset_dimensions()
        rows = worksheet.iter_rows(values_only=True)
    except BaseException:
        workbook.close()
        raise
    headers, original, lazy = _start(_xlsx_cells(workbook, rows, filename), filename)
    titles = tuple(worksheets)
    return Table(headers, original, lazy, "xlsx", title, sheets=titles, source=source, filename=filename)


def _load(source: BinaryIO, filename: str | None) -> Workbook:
    source.seek(0)
    try:
        return load_workbook(source, read_only=True, data_only=True)
    # A damaged archive fails in any of a dozen ways (zip, XML, KeyError for a missing part...).
    except Exception as error:
        raise FileProblem(
            f"{_name(filename)} looks like an Excel workbook but can't be opened: it may be damaged. "
            "Open it in Excel, save it again as .xlsx, and upload that."
        ) from error


def _xlsx_cells(workbook: Workbook, rows: Iterator[Sequence[object]], filename: str | None) -> Cells:
    number = 0
    try:
        # openpyxl yields an empty tuple for each missing row, so counting from 1 gives Excel's numbers.
        for number, values in enumerate(rows, start=1):
            yield number, [cell_text(value) for value in values]
    except FileProblem:
        raise
    except Exception as error:
        raise FileProblem(
            f"{_name(filename)} can't be read at row {number + 1}: it may be damaged. "
            "Open it in Excel, save it again as .xlsx, and upload that."
        ) from error
    finally:
        workbook.close()


def cell_text(value: object) -> str:
    """An XLSX cell's value as the text a user sees in Excel (and as the same data reads in a CSV)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Excel shows at most 15 significant digits: 15.0 reads "15" and 0.1 + 0.2 reads "0.3".
        return format(Decimal(f"{value:.15g}"), "f") if value else "0"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
