"""api/tabular.py: an XLSX list is sent as it is written, and goes on to a new sheet when full."""

import io
import zipfile
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from pydantic import BaseModel

from api import tabular


class Thing(BaseModel):
    name: str
    count: int


COLS = tabular.columns(Thing)


def pages(read: list[int], number: int, size: int = 500) -> Iterator[list[Thing]]:
    for page in range(number):
        read.append(page)
        yield [Thing(name=f"organisation {page}-{i} " * 4, count=i) for i in range(size)]


def test_the_first_bytes_leave_before_the_last_page_is_read() -> None:
    read: list[int] = []
    chunks = tabular.xlsx_chunks(pages(read, 40), COLS, "things")
    first = next(chunk for chunk in chunks if chunk)
    assert first.startswith(b"PK\x03\x04")  # a zip's first entry
    assert len(read) < 40
    book = load_workbook(io.BytesIO(first + b"".join(chunks)), read_only=True)
    rows = list(book["things"].values)
    assert rows[0] == ("name", "count") and len(rows) == 1 + 40 * 500
    assert rows[-1] == ("organisation 39-499 " * 4, 499)


def test_a_list_longer_than_a_sheet_goes_on_to_a_new_sheet_with_the_headings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tabular, "SHEET_ROWS", 300)
    data = b"".join(tabular.xlsx_chunks(pages([], 2, 400), COLS, "things"))
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["things", "things (2)", "things (3)"]
    sheets = [list(book[name].values) for name in book.sheetnames]
    assert [len(rows) for rows in sheets] == [301, 301, 201]
    assert all(rows[0] == ("name", "count") for rows in sheets)
    assert sheets[1][1] == ("organisation 0-300 " * 4, 300)
