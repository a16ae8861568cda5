"""Each value is written as its column's type reads it, and reads back exactly."""

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import SQLModel

from api.backup.archive import DECODE, ENCODE, kind_of

COLUMNS = {c.table.name + "." + c.name: c for t in SQLModel.metadata.sorted_tables for c in t.columns}


@pytest.mark.parametrize(
    ("column", "kind"),
    [
        ("change.at", "datetime"),  # UTCDateTime, a TypeDecorator
        ("account.last_sign_in_at", "datetime"),
        ("observation.value", "decimal"),  # ExactDecimal: integer millionths on SQLite
        ("observation.date", "date"),
        ("observation.breakdown", "json"),
        ("support_scheme.eligible_kinds", "json"),
        ("change.state", "json"),
        ("idempotency_record.body", "bytes"),
        ("change.id", "plain"),
        ("collaboration.funding_amount_pence", "plain"),
        ("collaboration.lighthouse", "plain"),
        ("stakeholder.name", "plain"),
    ],
)
def test_the_kind_follows_the_column_type(column: str, kind: str) -> None:
    assert kind_of(COLUMNS[column].type) == kind


def test_every_column_has_a_kind() -> None:
    assert {kind_of(c.type) for c in COLUMNS.values()} <= ENCODE.keys()


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("datetime", datetime(2024, 2, 29, 23, 59, 59, 999_999, tzinfo=UTC)),
        ("datetime", datetime(2024, 3, 31, 1, 30, tzinfo=timezone(timedelta(hours=1)))),
        ("datetime", datetime(2024, 1, 1, 12)),  # a column without a zone stays without one
        ("date", date(1, 1, 1)),
        ("time", time(23, 59, 59, 1)),
        ("decimal", Decimal("-0.000001")),
        ("decimal", Decimal("12.500000")),  # its places kept
        ("decimal", Decimal("123456789012.123456")),
        ("bytes", b"\x00\xff binary \n"),
        ("json", {"age": "65+", "nested": [1, 2.5, None, True, "ü ✓"]}),
        ("plain", 'Ünïcode ✓ "quoted" \\ and\nnew lines'),
        ("plain", 2**62),
    ],
)
def test_values_read_back_exactly(kind: str, value: Any) -> None:
    line = json.dumps(ENCODE[kind](value), ensure_ascii=False)
    back = DECODE[kind](json.loads(line))
    assert back == value and type(back) is type(value)
    if isinstance(value, (datetime, Decimal)):
        assert str(back) == str(value)  # the same zone, the same places
