"""api.imports.cells: each accepted way of writing a cell, and what a refused one is told."""

import re
from datetime import date
from decimal import Decimal

import pytest

from api.enums import Qualifier
from api.imports.cells import (
    CellProblem,
    parse_bool,
    parse_date,
    parse_list,
    parse_pence,
    parse_pounds,
    parse_value,
    parse_year,
)

EQ, LT, GT, APPROX = Qualifier.eq, Qualifier.lt, Qualifier.gt, Qualifier.approx


@pytest.mark.parametrize(
    ("text", "value", "qualifier"),
    [
        ("15", "15", EQ),
        ("15.25", "15.25", EQ),
        ("1,234.5", "1234.5", EQ),
        ("1,234,567", "1234567", EQ),
        (" 20 ", "20", EQ),
        ("20%", "20", EQ),
        ("20 %", "20", EQ),
        ("0.5", "0.5", EQ),
        (".5", "0.5", EQ),
        ("-3.5", "-3.5", EQ),
        ("\u22123.5", "-3.5", EQ),
        ("+4", "4", EQ),
        ("-0", "0", EQ),
        ("£1,200", "1200", EQ),
        ("£ 1,200.50", "1200.5", EQ),
        ("-£5", "-5", EQ),
        ("£-5", "-5", EQ),
        ("$7", "7", EQ),
        ("€7", "7", EQ),
        ("< 15", "15", LT),
        ("<15", "15", LT),
        ("<=15", "15", LT),
        ("≤ 15", "15", LT),
        ("under 15", "15", LT),
        ("Less than 15", "15", LT),
        ("< 15%", "15", LT),
        ("> 10", "10", GT),
        (">10", "10", GT),
        ("≥10", "10", GT),
        ("over 10", "10", GT),
        ("more than 10", "10", GT),
        ("c. 20", "20", APPROX),
        ("c 20", "20", APPROX),
        ("C.20", "20", APPROX),
        ("ca. 20", "20", APPROX),
        ("circa 20", "20", APPROX),
        ("~20", "20", APPROX),
        ("approx 20", "20", APPROX),
        ("approx. 20", "20", APPROX),
        ("around 20", "20", APPROX),
        ("about 20", "20", APPROX),
        ("c. £1,200", "1200", APPROX),
        ("0.123456", "0.123456", EQ),
        ("1.2500000", "1.25", EQ),  # trailing zeros are not places
        ("123456789012.123456", "123456789012.123456", EQ),
    ],
)
def test_values(text: str, value: str, qualifier: Qualifier) -> None:
    parsed, parsed_qualifier = parse_value(text)
    assert (parsed, parsed_qualifier) == (Decimal(value), qualifier)
    assert parsed.is_signed() is value.startswith("-")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("fifteen", "not a number"),
        ("15 people", "not a number"),
        ("..", "suppressed or missing"),
        ("x", "suppressed or missing"),
        ("[x]", "suppressed or missing"),
        ("-", "suppressed or missing"),
        ("c", "suppressed or missing"),
        ("#DIV/0!", "Excel error"),
        ("1,5", "use a point for decimals"),
        ("12,34.5", "use a point for decimals"),
        ("1e5", "not a number"),
        ("--5", "not a number"),
        ("-£-5", "not a number"),
        ("<", "not a number"),
        ("c. ", "not a number"),
        ("0.1234567", "more than 6 decimal places"),
        ("1234567890123", "too large"),
        ("1,234,567,890,123", "too large"),
        (
            "\u0661\u0665",
            "not a number",
        ),  # Arabic-Indic digits: Decimal would take them; a spreadsheet has none
    ],
)
def test_values_refused(text: str, message: str) -> None:
    with pytest.raises(CellProblem, match=message) as problem:
        parse_value(text)
    if text.strip():
        assert f'"{text.strip()}"' in str(problem.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-04-01", date(2023, 4, 1)),
        (" 2023-4-1 ", date(2023, 4, 1)),
        ("2023-04-01T00:00:00", date(2023, 4, 1)),
        ("2023-04-01T09:30:00.5+01:00", date(2023, 4, 1)),
        ("2023-04-01 09:30", date(2023, 4, 1)),
        ("01/04/2023", date(2023, 4, 1)),
        ("1/4/2023", date(2023, 4, 1)),
        ("01-04-2023", date(2023, 4, 1)),
        ("01.04.2023", date(2023, 4, 1)),
        ("01/04/2023 09:30", date(2023, 4, 1)),
        ("31/12/2023", date(2023, 12, 31)),
        ("45017", date(2023, 4, 1)),
        ("45017.75", date(2023, 4, 1)),
        ("2101", date(1905, 10, 1)),  # the smallest number read as an Excel date
        ("2958465", date(9999, 12, 31)),
        ("2023", date(2023, 1, 1)),
        ("1900", date(1900, 1, 1)),
        ("2100", date(2100, 1, 1)),
        ("2022/23", date(2022, 4, 1)),
        ("2022-23", date(2022, 4, 1)),
        ("2022/2023", date(2022, 4, 1)),
        ("1999/00", date(1999, 4, 1)),
        ("FY2022-23", date(2022, 4, 1)),
        ("fy 2022/23", date(2022, 4, 1)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty: use YYYY-MM-DD, DD/MM/YYYY"),
        ("soon", "not a date: use YYYY-MM-DD, DD/MM/YYYY, a year (2023), a financial year (2022/23)"),
        ("April 2023", "not a date"),
        ("01/04/23", "not a date"),  # a two-digit year could be any century
        ("2023-02-30", "not a real date"),
        ("31/02/2023", "not a real date"),
        ("04/13/2023", "not a real date (dates are read day first, DD/MM/YYYY)"),
        ("01/04-2023", "not a date"),
        ("2022/24", "not a financial year: write it like 2022/23"),
        ("2023-04", "not a financial year"),
        ("1800/01", "not a financial year"),
        ("60", "neither a year"),  # Excel's 29 February 1900, which never was
        ("61", "neither a year"),  # 1900-03-01 as a serial: far likelier a mistake
        ("1899", "neither a year"),
        ("2023.5", "neither a year"),
        ("2958466", "neither a year"),
        ("-45017", "not a date"),
    ],
)
def test_dates_refused(text: str, message: str) -> None:
    with pytest.raises(CellProblem, match=re.escape(message)):
        parse_date(text)


@pytest.mark.parametrize(("text", "expected"), [("2023", 2023), (" 1900 ", 1900), ("2100", 2100)])
def test_years(text: str, expected: int) -> None:
    assert parse_year(text) == expected


@pytest.mark.parametrize(
    "text", ["", "23", "1899", "2101", "2023.0", "2022/23", "\uff12\uff10\uff12\uff13", "year"]
)
def test_years_refused(text: str) -> None:
    with pytest.raises(CellProblem, match="not a year: give four digits from 1900 to 2100"):
        parse_year(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[(word, True) for word in ["true", "TRUE", "True", "yes", "Yes", "y", "Y", "1", " yes "]],
        *[(word, False) for word in ["false", "FALSE", "no", "No", "n", "N", "0", " no "]],
    ],
)
def test_bools(text: str, expected: bool) -> None:
    assert parse_bool(text) is expected


@pytest.mark.parametrize("text", ["", "maybe", "2", "t", "ja", "yes please"])
def test_bools_refused(text: str) -> None:
    with pytest.raises(CellProblem, match="is not yes or no: use true/false, yes/no, y/n or 1/0"):
        parse_bool(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a;b;c", ["a", "b", "c"]),
        (" a ; b ;; c ; ", ["a", "b", "c"]),
        ("one item", ["one item"]),
        ("Coventry, Warwickshire", ["Coventry, Warwickshire"]),
        ("", []),
        (" ; ; ", []),
    ],
)
def test_lists(text: str, expected: list[str]) -> None:
    assert parse_list(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,200", 120_000),
        ("1200.50", 120_050),
        ("1200.5", 120_050),
        (" £ 0.01 ", 1),
        ("0", 0),
        ("1,234,567.89", 123_456_789),
        ("£92,233,720,368,547,758.07", 2**63 - 1),
    ],
)
def test_pounds(text: str, expected: int) -> None:
    assert parse_pounds(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a number"),
        ("-5", "is negative: give an amount of £0 or more"),
        ("-£5", "is negative"),
        ("£-5", "is negative"),
        ("1.005", "fractions of a penny: give at most 2 decimal places"),
        ("$5", "not a number"),
        ("1.2m", "not a number"),
        ("1,20", "use a point for decimals"),
        ("£92,233,720,368,547,758.08", "too large"),
    ],
)
def test_pounds_refused(text: str, message: str) -> None:
    with pytest.raises(CellProblem, match=message):
        parse_pounds(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1250000", 1_250_000), ("1,250,000", 1_250_000), (" 0 ", 0), ("£12,500", 1_250_000), ("£0.01", 1)],
)
def test_pence_are_pence_unless_written_as_pounds(text: str, expected: int) -> None:
    assert parse_pence(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1200.50", "not a whole number of pence: write pounds with £"),
        ("-5", "is negative"),
        ("$5", "not a number"),
        ("9223372036854775808", "too large"),
    ],
)
def test_pence_refused(text: str, message: str) -> None:
    with pytest.raises(CellProblem, match=message):
        parse_pence(text)
