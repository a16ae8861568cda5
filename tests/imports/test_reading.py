"""api.imports.reading: CSV and XLSX files as Excel and people write them, read row by row."""

import io
import re
import tracemalloc
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import BinaryIO

import pytest
from openpyxl import Workbook

from api.imports.reading import (
    CHUNK,
    FileProblem,
    Row,
    Table,
    cell_text,
    normalise_header,
    open_table,
    sheets,
)


def _table(data: bytes, **options: str) -> Table:
    return open_table(io.BytesIO(data), **options)


def _rows(table: Table) -> list[tuple[int, dict[str, str]]]:
    return [(row.number, row.values) for row in table.rows]


def _xlsx(*sheets: tuple[str, list[list[object]]]) -> io.BytesIO:
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer


# CSV


def test_a_utf8_csv() -> None:
    table = _table("Name,Amount\r\nCafé Nero,15\r\nŁódź,-3.5\r\n".encode())
    assert (table.format, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
    assert table.headers == ["name", "amount"]
    assert table.original == {"name": "Name", "amount": "Amount"}
    assert _rows(table) == [
        (2, {"name": "Café Nero", "amount": "15"}),
        (3, {"name": "Łódź", "amount": "-3.5"}),
    ]


def test_a_bom_is_not_part_of_the_first_header() -> None:
    table = _table(b"\xef\xbb\xbfCode,Name\n" + "E08000026,Coventry \u2013 city\n".encode())
    assert table.encoding == "utf-8"
    assert table.original == {"code": "Code", "name": "Name"}
    assert _rows(table) == [(2, {"code": "E08000026", "name": "Coventry \u2013 city"})]


def test_windows_1252_is_recognised_after_a_long_clean_start() -> None:
    ascii_lines = b"".join(b"Area %06d,%d\r\n" % (n, n) for n in range(15_000))
    assert len(ascii_lines) > 3 * CHUNK  # the first chunks decode as UTF-8 too
    table = _table(b"Name,Amount\r\n" + ascii_lines + b"Caf\xe9,\xa3500\r\n")
    assert table.encoding == "cp1252"
    rows = list(table.rows)
    assert len(rows) == 15_001
    assert rows[0] == Row(2, {"name": "Area 000000", "amount": "0"})
    assert rows[-1] == Row(15_002, {"name": "Café", "amount": "£500"})


def test_a_utf8_character_split_across_chunks_is_still_utf8() -> None:
    start = b"Name\n"
    padding = b"a" * (CHUNK - len(start) - 1)
    data = start + padding + "é\n".encode()  # é's two bytes straddle the first chunk's end
    assert data[CHUNK - 1 : CHUNK + 1] == "é".encode()
    table = _table(data)
    assert table.encoding == "utf-8"
    assert [row.values["name"] for row in table.rows] == [padding.decode() + "é"]


@pytest.mark.parametrize(
    ("data", "delimiter"),
    [
        (b"Area;Value;Note\n E1 ;1,5;a, b\n", ";"),
        (b"Area\tValue\tNote\nE1\t1,5\ta, b\n", "\t"),
        (b'"Area;Code",Value,Note\n"E1",1,5\n', ","),  # a delimiter inside quotes does not count
        (b'\n\n"Area",Value;Note\n', ","),  # counted on the first line with text; a tie goes to ","
    ],
)
def test_the_delimiter_is_taken_from_the_header_line(data: bytes, delimiter: str) -> None:
    assert _table(data).delimiter == delimiter


def test_semicolons_keep_decimal_commas_in_their_cell() -> None:
    table = _table(b"Area;Value;Note\n E1 ;1,5;a, b\n")
    assert _rows(table) == [(2, {"area": "E1", "value": "1,5", "note": "a, b"})]


def test_a_single_column_file() -> None:
    table = _table(b"Code\nE1\nE2\n")
    assert (table.delimiter, table.headers) == (",", ["code"])
    assert _rows(table) == [(2, {"code": "E1"}), (3, {"code": "E2"})]


def test_quoted_cells_hold_line_breaks_delimiters_and_quotes() -> None:
    data = b'Name,Note\r\n"Smith, J","first line\r\nsecond, line"\r\n"Say ""hi""",ok\r\n'
    table = _table(data)
    # Excel shows the two-line cell in one row, so the next record is row 3, not line 4.
    assert _rows(table) == [
        (2, {"name": "Smith, J", "note": "first line\r\nsecond, line"}),
        (3, {"name": 'Say "hi"', "note": "ok"}),
    ]


def test_blank_lines_anywhere_are_skipped_but_still_counted() -> None:
    data = b"\r\n,,\r\nA,B\r\n\r\n1,2\r\n , \r\n,,\r\n3,4\n\n\n,,\n"
    table = _table(data)
    assert table.headers == ["a", "b"]
    assert _rows(table) == [(5, {"a": "1", "b": "2"}), (8, {"a": "3", "b": "4"})]


def test_short_rows_are_padded_and_extra_cells_kept_apart() -> None:
    table = _table(b"A,B,,C\n1\n1,2,3,4,5,,\n1,2,,4,,\n")
    assert table.headers == ["a", "b", "c"]
    assert table.original == {"a": "A", "b": "B", "c": "C"}
    assert list(table.rows) == [
        Row(2, {"a": "1", "b": "", "c": ""}),
        Row(3, {"a": "1", "b": "2", "c": "4"}, extra=("3", "5")),  # under the blank heading, then beyond
        Row(4, {"a": "1", "b": "2", "c": "4"}),  # Excel's trailing empty cells are no extra
    ]


def test_headers_are_normalised() -> None:
    table = _table(b" Local  Authority ,Amount-Awarded,Recipient Org:Identifier,GSS_code\n")
    assert table.headers == ["local_authority", "amount_awarded", "recipient_org:identifier", "gss_code"]
    assert table.original["local_authority"] == "Local  Authority"


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("Name", "name"),
        ("  Amount Awarded ", "amount_awarded"),
        ("\ufeffCode", "code"),
        ("Recipient Org:Identifier", "recipient_org:identifier"),
        ("Local   Authority\tCode", "local_authority_code"),
        ("Start - Date", "start_date"),
        ("already_normal", "already_normal"),
        ("Amount (£)", "amount_(£)"),
        ("", ""),
    ],
)
def test_normalise_header(text: str, normal: str) -> None:
    assert normalise_header(text) == normal


def test_duplicate_headers_are_named() -> None:
    with pytest.raises(FileProblem) as problem:
        _table(b"Name,Code,name ,Amount,CODE\n1,2,3,4,5\n")
    message = str(problem.value)
    assert 'these repeat: "Code" and "CODE" (read as "code"); "Name" and "name" (read as "name")' in message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", '"grants.csv" is empty.'),
        (b"\r\n\r\n,,\r\n \n", '"grants.csv" has no header row'),
        (bytes(range(256)) * 64, "is not a CSV or an Excel workbook"),
        (b"Name\n" + b"a" * CHUNK + b"\x00", "is not a CSV or an Excel workbook"),
        (b"Name\n\x81\n", "is not a CSV or an Excel workbook"),  # no character in Windows-1252 either
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "old-style .xls or a password-protected"),
        ("Name\tCode\n".encode("utf-16"), "UTF-16"),
        (b'Name\n"' + b"a" * 200_000, "can't be read at row 2"),  # a quote never closed
    ],
)
def test_files_that_cannot_be_read(data: bytes, message: str) -> None:
    with pytest.raises(FileProblem, match=re.escape(message)):
        list(_table(data, filename="grants.csv").rows)


def test_the_callers_stream_stays_open(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    path.write_bytes(b"A\n" + b"1\n" * 100_000)
    with path.open("rb") as source:
        assert len(list(open_table(source).rows)) == 100_000
        assert not source.closed
        rows = open_table(source).rows
        next(rows)
        del rows  # abandoned part way
        assert not source.closed
        with pytest.raises(FileProblem):
            open_table(io.BytesIO(b"A,a\n"))
        assert sheets(source) == []


def test_memory_stays_flat_over_a_long_file(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    with path.open("wb") as out:
        out.write(b"Area Code,Date,Value,Note\r\n")
        for n in range(200_000):
            out.write(b'E%08d,2023-04-01,%d.25,"a note, with a comma"\r\n' % (n, n))
    assert path.stat().st_size > 10_000_000
    with path.open("rb") as source:
        tracemalloc.start()
        try:
            count = sum(1 for _ in open_table(source).rows)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert count == 200_000
    assert peak < 5_000_000


# XLSX

SHEET: list[list[object]] = [
    ["Area Code", "Date", "Count", "Share", "Flag", "Note"],
    ["E08000026", datetime(2023, 4, 1), 15, 15.0, True, None],
    [],
    [None, None, None, None, None, None],
    [" E08000025 ", date(2022, 3, 31), -2, 0.1 + 0.2, False, "  spaced  "],
    ["E08000027", datetime(2023, 4, 1, 9, 30), 10**12, 15.25, None, "=1+1"],
]


def test_an_xlsx_written_by_openpyxl() -> None:
    table = open_table(_xlsx(("Data", SHEET)), filename="data.csv")  # the name does not decide
    assert (table.format, table.sheet, table.encoding, table.delimiter) == ("xlsx", "Data", None, None)
    assert table.headers == ["area_code", "date", "count", "share", "flag", "note"]
    assert table.original["area_code"] == "Area Code"
    assert [(row.number, list(row.values.values())) for row in table.rows] == [
        (2, ["E08000026", "2023-04-01", "15", "15", "true", ""]),
        (5, ["E08000025", "2022-03-31", "-2", "0.3", "false", "spaced"]),
        # A formula Excel never calculated (openpyxl wrote it) has no value to read.
        (6, ["E08000027", "2023-04-01T09:30:00", "1000000000000", "15.25", "", ""]),
    ]


def test_an_xlsx_sheet_is_chosen_by_name_in_any_case() -> None:
    buffer = _xlsx(("Notes", [["About"], ["Read me"]]), ("Data 2023", [["Code", "Value"], ["E1", 3]]))
    assert sheets(buffer) == ["Notes", "Data 2023"]
    assert open_table(buffer).sheet == "Notes"  # the first, by default
    table = open_table(buffer, sheet=" data 2023 ")
    assert table.sheet == "Data 2023"
    assert _rows(table) == [(2, {"code": "E1", "value": "3"})]


def test_a_missing_sheet_names_the_sheets_there_are() -> None:
    buffer = _xlsx(("Notes", [["About"]]), ("Data", [["Code"]]))
    with pytest.raises(
        FileProblem,
        match=re.escape('"grants.xlsx" has no sheet called "2023"; its sheets are: "Notes", "Data".'),
    ):
        open_table(buffer, filename="grants.xlsx", sheet="2023")


def test_xlsx_row_numbers_are_excels_when_rows_are_missing() -> None:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet["B3"] = "Code"
    worksheet["B7"] = "E1"
    worksheet["D9"] = "beyond"
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = open_table(buffer)
    assert table.headers == ["code"]
    assert list(table.rows) == [Row(7, {"code": "E1"}), Row(9, {"code": ""}, extra=("beyond",))]


def test_xlsx_duplicate_headers_close_the_workbook() -> None:
    with pytest.raises(FileProblem, match="these repeat"):
        open_table(_xlsx(("Data", [["Code", "code"]])))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04" + b"junk" * 100, "looks like an Excel workbook but can't be opened"),
        (b"PK\x03\x04", "looks like an Excel workbook but can't be opened"),
    ],
)
def test_a_corrupt_xlsx(data: bytes, message: str) -> None:
    with pytest.raises(FileProblem, match=message):
        _table(data)
    with pytest.raises(FileProblem, match=message):
        sheets(io.BytesIO(data))


def test_a_zip_that_is_no_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(FileProblem, match="can't be opened"):
        open_table(buffer)


def test_an_empty_sheet_has_no_header() -> None:
    with pytest.raises(FileProblem, match="has no header row"):
        open_table(_xlsx(("Data", [[], [None, "  "]])))


def test_the_xlsx_stream_stays_open() -> None:
    buffer: BinaryIO = _xlsx(("Data", [["Code"], ["E1"], ["E2"]]))
    rows = open_table(buffer).rows
    next(rows)
    del rows
    assert not buffer.closed
    assert len(list(open_table(buffer).rows)) == 2


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (15, "15"),
        (-2, "-2"),
        (15.0, "15"),
        (15.25, "15.25"),
        (0.1 + 0.2, "0.3"),
        (1e-05, "0.00001"),
        (1e16, "10000000000000000"),
        (-0.0, "0"),
        (datetime(2023, 4, 1), "2023-04-01"),
        (datetime(2023, 4, 1, 9, 30), "2023-04-01T09:30:00"),
        (date(2023, 4, 1), "2023-04-01"),
        (time(9, 30), "09:30:00"),
        ("  text ", "text"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text
