"""The bounds of every value the API takes or gives, one type per kind of value.

Every string, integer and list in the OpenAPI document is bounded (OWASP API Security, API4:
unrestricted resource consumption). On input a bound is enforced; on output it says what the
server sends, which the input's bounds (and the columns') keep true. Request bodies may hold
tighter limits of their own (a title, 300; a story's summary, 2,000).
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AwareDatetime,
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    HttpUrl,
    StringConstraints,
    UrlConstraints,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
INT32 = {"format": "int32"}
INT64 = {"format": "int64"}

ID = 36  # a UUID; an area's GSS code (9) where a field takes either
CODE = 100  # codes, keys and words of a vocabulary: the longest column of them
NAME = 320  # names and titles (300), e-mail addresses (RFC 5321: 320)
URL = 500
TEXT = 10_000  # notes, summaries, methods; and what the server writes in words
LONG_TEXT = 50_000  # descriptions (20,000) and a story's body (50,000)
CURSOR = 4096
FIELDS = 100  # a record's fields: what one change can touch
DECIMAL = 40  # a decimal as text: 18 digits, a point, a sign (an exponent on input), with room
TIMESTAMP = 32  # 2024-01-31T12:00:00.123456+00:00
DATE = 10  # 2024-01-31
YEAR_MAX = 9999  # a date's year, as Python has it
# What no request caps, only the data: a graph's nodes, a mission's organisations, a list as
# one file. These ceilings are far above national scale (bench/datagen.py `large`: 100,000
# organisations, 1,000,000 observations).
ROWS = 10_000_000
FILE = 2**40  # characters of a CSV, bytes of a workbook


@dataclass(frozen=True)
class Keywords:
    """Adds keywords to a type's JSON schema: what the type keeps true without saying so.

    Metadata rather than `Field(json_schema_extra=...)`, which would displace a field's own.
    """

    encoded: str  # JSON: metadata is hashed, and a keyword's value may be an object

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(schema), **json.loads(self.encoded)}


def keywords(**given: Any) -> Keywords:
    return Keywords(json.dumps(given))


def _at_most(limit: int) -> BeforeValidator:
    def check(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            raise ValueError(f"Expected at most {limit} characters.")
        return value

    return BeforeValidator(check)


def _clipped(limit: int) -> BeforeValidator:
    return BeforeValidator(lambda v: v[: limit - 1] + "…" if isinstance(v, str) and len(v) > limit else v)


Id = Annotated[str, StringConstraints(max_length=ID)]
Code = Annotated[str, StringConstraints(max_length=CODE)]
Name = Annotated[str, StringConstraints(max_length=NAME)]
Url = Annotated[str, StringConstraints(max_length=URL)]
Text = Annotated[str, StringConstraints(max_length=TEXT)]
LongText = Annotated[str, StringConstraints(max_length=LONG_TEXT)]
Cursor = Annotated[str, StringConstraints(max_length=CURSOR)]
# Text the server writes that quotes what it was sent (a file's cell, a refused value): cut short.
Quoted = Annotated[str, _clipped(TEXT), StringConstraints(max_length=TEXT)]
# Checked as normalised (an é in the path is sent as %C3%A9), so the column holds it.
WebUrl = Annotated[HttpUrl, UrlConstraints(max_length=URL)]

# Rows of a table, positions in a ranking, seconds: counted, never negative.
Count = Annotated[int, Field(ge=0, le=INT32_MAX), keywords(**INT32)]
# Bumped on every change from 1: the column is a 32-bit INTEGER.
Version = Annotated[int, Field(ge=1, le=INT32_MAX), keywords(**INT32)]
# A 64-bit column or a sum of them: a change's sequence, a file's bytes, pence added up.
BigCount = Annotated[int, Field(ge=0, le=INT64_MAX), keywords(**INT64)]
# One amount of money in integer pence: up to £10 trillion.
Pence = Annotated[int, Field(ge=0, le=10**15), keywords(**INT64)]
Year = Annotated[int, Field(ge=1, le=YEAR_MAX), keywords(**INT32)]

# In JSON these are strings; one longer than this is no date (schema_base.IsoDate refuses it).
Day = Annotated[date, keywords(maxLength=DATE)]
Timestamp = Annotated[datetime, keywords(maxLength=TIMESTAMP)]
# A request's: with its zone, and no longer than any this API writes (pydantic reads more digits).
AwareTimestamp = Annotated[AwareDatetime, _at_most(TIMESTAMP), keywords(maxLength=TIMESTAMP)]
