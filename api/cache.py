"""Answers computed over the whole dataset (the network, overlaps), kept per data version.

Every write appends a change, so the newest change versions all the data: a write anywhere
makes every cached answer stale, on every replica, without any invalidation message.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlmodel import Session, col

from api import models

T = TypeVar("T")
CACHE_SIZE = 32
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()


def data_version(session: Session) -> tuple[int, str]:
    """Every write appends a change, so the latest change versions all the data.

    Its time is part of the version: SQLite may hand a rolled-back number out again.
    """
    C = models.Change
    newest = session.execute(select(col(C.id), col(C.at)).order_by(col(C.id).desc()).limit(1)).first()
    return (newest[0], newest[1].isoformat()) if newest else (0, "")


def cached(key: tuple[Any, ...], compute: Callable[[], T]) -> tuple[T, bool]:
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key], True
    value = compute()
    with _lock:
        _cache[key] = value
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value, False
