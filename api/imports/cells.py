"""One spreadsheet cell's text into a typed value, or a `CellProblem` a user can act on.

Cells arrive as people and Excel write them in council, ONS, Ofcom and funder files:
thousands commas, currency signs, "<15" or "c. 20", UK day-first dates, Excel date numbers,
financial years. Each parser accepts text with or without surrounding spaces.
"""

import functools
import re
from datetime import date, timedelta
from decimal import Decimal

from api.enums import Qualifier

# ONS and others mark suppressed, confidential or unavailable figures with these (and en or em dashes).
SUPPRESSED = {"..", "...", ":", "-", "\u2013", "\u2014", "*", "x", "[x]", "c", "[c]", "z", "[z]", "n/a", "na"}
MAX_PLACES = 6  # as stored: 18 digits, 6 of them after the point
MAX_WHOLE_DIGITS = 12
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 once Excel's phantom 29 Feb 1900 is counted
MAX_SERIAL = (date.max - EXCEL_EPOCH).days
YEARS = range(1900, 2101)  # a whole number in this range is a year; beyond it, an Excel date number
DATE_FORMATS = "use YYYY-MM-DD, DD/MM/YYYY, a year (2023), a financial year (2022/23) or an Excel date number"

_NUMBER = re.compile(
    r"(?P<sign>[-+]?)\s*(?P<currency>[£$€]?)\s*(?P<sign_after>[-+]?)\s*"
    r"(?P<number>[0-9][0-9,]*(?:\.[0-9]*)?|\.[0-9]+)"
)
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_QUALIFIER = re.compile(
    r"(?:(?P<lt><=?|≤|under|below|less than|fewer than)"
    r"|(?P<gt>>=?|≥|over|above|more than|greater than)"
    r"|(?P<approx>~|≈|approximately|approx\.?|around|about|circa|ca\.?|c\.?))\s*",
    re.IGNORECASE,
)
_ISO = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
    r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
# Excel's CSV writes a date-and-time cell as "01/04/2023 09:30".
_UK = re.compile(
    r"(?P<day>[0-9]{1,2})(?P<separator>[/.-])(?P<month>[0-9]{1,2})(?P=separator)(?P<year>[0-9]{4})"
    r"(?: [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
)
_FINANCIAL_YEAR = re.compile(r"(?:FY\s*)?(?P<start>[0-9]{4})[/-](?P<end>[0-9]{2}|[0-9]{4})", re.IGNORECASE)
_SERIAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# A number that needs none of the checks below: within the digits allowed, no sign but minus.
_PLAIN = re.compile(rf"-?[0-9]{{1,{MAX_WHOLE_DIGITS}}}(?:\.[0-9]{{1,{MAX_PLACES}}})?")
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


class CellProblem(ValueError):
    """A cell can't be read as what its column holds; the message says what to write instead."""


def parse_value(text: str) -> tuple[Decimal, Qualifier]:
    """`"1,234.5"` -> (1234.5, eq); `"<15"`, `"under 15"` -> (15, lt); `"c. 20"`, `"~20"` -> (20, approx).

    Also `>`/`over`/`more than` (gt), `≤`/`≥` (lt/gt: a bound is a bound), a trailing `%`
    and a leading £, $ or € (both dropped), and negative numbers.
    """
    text = shown = text.strip()
    if _PLAIN.fullmatch(text):  # most cells of a large file: skip the long way round
        return Decimal(text) + 0, Qualifier.eq
    if not text:
        raise CellProblem("empty: give a number such as 15 or 1,234.5")
    if text.casefold() in SUPPRESSED:
        raise CellProblem(
            f'"{text}" marks a suppressed or missing value, so this row can\'t be imported: '
            "leave the row out or give a number"
        )
    if text.startswith("#"):
        raise CellProblem(f'"{text}" is an Excel error, not a number: fix the formula or leave the row out')
    qualifier = Qualifier.eq
    bound = _QUALIFIER.match(text)
    if bound and bound.lastgroup and bound.end() < len(text):
        qualifier = Qualifier(bound.lastgroup)
        text = text[bound.end() :]
    value = _decimal(text.removesuffix("%").rstrip(), shown)
    whole, places = _digits(value)
    if places > MAX_PLACES:
        raise CellProblem(f'"{shown}" has more than {MAX_PLACES} decimal places: round it')
    if whole > MAX_WHOLE_DIGITS:
        raise CellProblem(f'"{shown}" is too large: at most {MAX_WHOLE_DIGITS} digits before the point')
    return value, qualifier


def parse_pence(text: str) -> int:
    """A `_pence` field's cell: whole pence (`1250000`, as the API and its files write them), or
    pounds when written with the pound sign (`£12,500`); never negative."""
    shown = text.strip()
    if "£" in shown:
        return parse_pounds(shown)
    value = _decimal(shown, shown, currencies="")
    if value < 0:
        raise CellProblem(f'"{shown}" is negative: give an amount of 0 or more')
    if value != value.to_integral_value():
        raise CellProblem(f'"{shown}" is not a whole number of pence: write pounds with £ (£12.50)')
    if value >= 2**63:
        raise CellProblem(f'"{shown}" is too large an amount')
    return int(value)


def parse_pounds(text: str) -> int:
    """An amount in pounds (`"£1,200"`, `"1200.50"`) as whole pence; never negative."""
    shown = text.strip()
    value = _decimal(shown, shown, currencies="£")
    if value < 0:
        raise CellProblem(f'"{shown}" is negative: give an amount of £0 or more')
    pence = value * 100
    if pence != pence.to_integral_value():
        raise CellProblem(f'"{shown}" has fractions of a penny: give at most 2 decimal places')
    if pence >= 2**63:
        raise CellProblem(f'"{shown}" is too large an amount')
    return int(pence)


@functools.lru_cache(maxsize=4096)  # a file repeats its few dates; a date is immutable
def parse_date(text: str) -> date:
    """A date as UK spreadsheets write it.

    - ISO `2023-04-01`, with or without a time (`2023-04-01T09:30:00`): the date part.
    - Day first, `01/04/2023`, `1/4/2023`, `01-04-2023`, `01.04.2023`, with or without a time.
    - A whole number from 1900 to 2100 is a year: 1 January of it.
    - A larger number is an Excel date number (1900 date system): `45017` is 2023-04-01. Smaller
      ones would be dates in 1900-1905, so they are refused as more likely a mistake; that also
      keeps clear of Excel's phantom 29 February 1900 (serial 60).
    - A financial year, `2022/23`, `2022-23`, `2022/2023`, `FY2022-23`: its first day, 1 April.
    """
    text = text.strip()
    if not text:
        raise CellProblem(f"empty: {DATE_FORMATS}")
    if match := _ISO.fullmatch(text) or _UK.fullmatch(text):
        year, month, day = (int(match[part]) for part in ("year", "month", "day"))
        try:
            return date(year, month, day)
        except ValueError:
            hint = " (dates are read day first, DD/MM/YYYY)" if match.re is _UK and month > 12 else ""
            raise CellProblem(f'"{text}" is not a real date{hint}') from None
    if match := _FINANCIAL_YEAR.fullmatch(text):
        start, end = int(match["start"]), match["end"]
        if int(end) != (start + 1) % 10 ** len(end) or start not in YEARS:
            raise CellProblem(f'"{text}" is not a financial year: write it like 2022/23')
        return date(start, 4, 1)
    if _SERIAL.fullmatch(text):
        number = Decimal(text)
        if number == number.to_integral_value() and int(number) in YEARS:
            return date(int(number), 1, 1)
        if YEARS.stop <= number <= MAX_SERIAL:
            return EXCEL_EPOCH + timedelta(days=int(number))  # int() drops the time of day
        raise CellProblem(f'"{text}" is neither a year (1900 to 2100) nor an Excel date number')
    raise CellProblem(f'"{text}" is not a date: {DATE_FORMATS}')


def parse_year(text: str) -> int:
    """A four-digit year from 1900 to 2100."""
    text = text.strip()
    if not (text.isascii() and text.isdigit() and int(text) in YEARS):
        raise CellProblem(f'"{text}" is not a year: give four digits from 1900 to 2100, such as 2023')
    return int(text)


def parse_bool(text: str) -> bool:
    """true/false, yes/no, y/n or 1/0, in any case."""
    word = text.strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise CellProblem(f'"{text.strip()}" is not yes or no: use true/false, yes/no, y/n or 1/0')


def parse_list(text: str) -> list[str]:
    """`"a; b;;c "` -> `["a", "b", "c"]`: a cell holding several values separated by `;`."""
    return [part for part in (part.strip() for part in text.split(";")) if part]


def _decimal(text: str, shown: str, currencies: str = "£$€") -> Decimal:
    match = _NUMBER.fullmatch(text.replace("\u2212", "-"))  # U+2212 is the typographic minus sign
    bad_sign = match and match["sign"] and match["sign_after"]
    if not match or bad_sign or (match["currency"] and match["currency"] not in currencies):
        raise CellProblem(f'"{shown}" is not a number: write it like 15, 1,234.5, 20%, <15 or c. 20')
    number = match["number"]
    if "," in number:
        if not _GROUPED.fullmatch(number):
            # "1,5" is 1.5 in much of Europe: refuse it rather than read 15.
            raise CellProblem(f'"{shown}": use a point for decimals; commas may only group thousands')
        number = number.replace(",", "")
    return Decimal(match["sign"] + match["sign_after"] + number) + 0  # + 0 turns -0 into 0


def _digits(value: Decimal) -> tuple[int, int]:
    """Digits before and after the point, not counting trailing zeros after it (as the API's schema)."""
    _, digits, exponent = value.normalize().as_tuple()
    assert isinstance(exponent, int)  # finite: only digits got this far
    return max(len(digits) + exponent, 0), max(-exponent, 0)
