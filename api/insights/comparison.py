"""Benchmarks across areas: ranks, gaps and the best value, direction-aware. Pure functions."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Entry:
    area_id: str
    name: str
    value: Decimal


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    rank: int  # 1 is best; ties broken by name, so ranks are always 1..n
    gap_to_national: Decimal | None  # value - national: positive is above it
    gap_to_average: Decimal
    best: bool


def compare(entries: Sequence[Entry], higher_is_better: bool, national: Decimal | None) -> list[Ranked]:
    """Rank every area, best first; gaps are signed value differences (not "better by")."""
    if not entries:
        return []
    average = sum((e.value for e in entries), Decimal(0)) / len(entries)
    ordered = sorted(entries, key=lambda e: (-e.value if higher_is_better else e.value, e.name, e.area_id))
    best = ordered[0].value
    return [
        Ranked(
            entry=e,
            rank=i + 1,
            gap_to_national=None if national is None else e.value - national,
            gap_to_average=e.value - average,
            best=e.value == best,
        )
        for i, e in enumerate(ordered)
    ]
