"""Insights (progress, contributors, the network, overlaps, benchmarks, support matching):
answers computed over many records, kept per data version.

Every write appends a change, so the newest change versions all the data: a write anywhere
makes every cached answer stale, on every replica, without any invalidation message. The
version is read from the database on each call (one primary-key lookup), never from memory.

`@per_data_version` is the one way an insight is cached. Its key is the function, every
argument but the session, the database and the data version; so an insight takes what
changes its answer as arguments: ids (not records), the date it is judged on, and what the
caller may see (`public`: published records only). A route sends a whole answer with
`.respond()`: the JSON is then made once per version, not re-validated and re-serialised on
every call. The cache is a bounded LRU: at most MAX_ENTRIES answers, MAX_WEIGHT bytes of
them (estimated: JSON as it is, a model as a multiple of its JSON, a graph by its nodes and
edges), and besides those at most MAX_BIG big ones (over BIG bytes each: a national network
and its graph), which cost minutes to compute and so are worth their memory.
"""

import functools
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Concatenate, Generic, NamedTuple, ParamSpec, TypeVar

from fastapi import Response
from pydantic import BaseModel
from sqlalchemy import select
from sqlmodel import Session, SQLModel, col

from api import models

P = ParamSpec("P")
T = TypeVar("T")
Version = tuple[int, str]
Entry = tuple[Hashable, Hashable, Version | None]  # scope (the database), key, version
MAX_ENTRIES = 256
MAX_WEIGHT = 512_000_000  # bytes, roughly, of the answers that are not big
BIG = 64_000_000
MAX_BIG = 2
OBJECTS_PER_JSON_BYTE = 4  # a model in memory takes about four times its JSON


# Read backwards along the primary key (SQLite's rowid): one index entry, however long the trail.
NEWEST_CHANGE = (
    select(col(models.Change.id), col(models.Change.at)).order_by(col(models.Change.id).desc()).limit(1)
)


def data_version(session: Session) -> Version:
    """The newest change's number and time.

    Its time is part of the version: SQLite may hand a rolled-back number out again.
    """
    newest = session.execute(NEWEST_CHANGE).first()
    return (newest[0], newest[1].isoformat()) if newest else (0, "")


def weigh(value: Any) -> int:
    """Roughly the bytes an answer holds; objects that know better say so with `weight()`."""
    if isinstance(value, BaseModel):
        return OBJECTS_PER_JSON_BYTE * len(value.__pydantic_serializer__.to_json(value))
    if isinstance(value, list | tuple):
        return 8 * len(value) + sum(weigh(v) for v in value)
    weight = getattr(value, "weight", None)
    return int(weight()) if callable(weight) else sys.getsizeof(value)


class Cache:
    """A bounded LRU; one computation per key at a time (the others wait for its answer)."""

    def __init__(
        self,
        max_entries: int = MAX_ENTRIES,
        max_weight: int = MAX_WEIGHT,
        big: int = BIG,
        max_big: int = MAX_BIG,
    ) -> None:
        assert big <= max_weight, "an answer that is not big must fit"
        self.max_entries, self.max_weight, self.big, self.max_big = max_entries, max_weight, big, max_big
        self._entries: OrderedDict[Entry, tuple[Any, int]] = OrderedDict()
        # Each scope's (database's) version asked last. A write versions all of a database's
        # answers, and an answer of an older version is never asked for again: they go as soon
        # as a newer version is asked for, rather than fill the cache to its bounds (a soak of
        # writes and insight reads grew the workers 12-19% in 5 minutes with stale answers).
        self._current: dict[Hashable, Version | None] = {}
        self._flights: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self.weight = 0  # of the answers that are not big
        self.bigs = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _get(self, entry: Entry) -> tuple[bool, Any]:
        with self._lock:
            if entry not in self._entries:
                return False, None
            self._entries.move_to_end(entry)
            return True, self._entries[entry][0]

    def _advance(self, scope: Hashable, version: Version | None) -> None:
        with self._lock:
            if scope in self._current and self._current[scope] == version:
                return
            # Whichever version came last, not the highest: versions go back after a restore
            # (or a rollback on SQLite), and the answers for the data as it is must be kept.
            self._current[scope] = version
            for entry in [e for e in self._entries if e[0] == scope and e[2] != version]:
                self._drop(entry)

    def get_or_compute(
        self, key: Hashable, compute: Callable[[], T], version: Version | None = None, scope: Hashable = None
    ) -> tuple[T, bool]:
        """The value of `key` at `version` of its `scope`'s data, and whether it came from the cache."""
        entry = (scope, key, version)
        self._advance(scope, version)
        found, value = self._get(entry)
        if found:
            return value, True
        with self._lock:
            flight = self._flights.setdefault(entry, threading.Lock())
        try:
            with flight:
                found, value = self._get(entry)
                if found:
                    return value, True
                value = compute()
                self._put(entry, value, weigh(value))
                return value, False
        finally:
            with self._lock:
                self._flights.pop(entry, None)

    def _drop(self, entry: Entry) -> None:
        if entry in self._entries:
            weight = self._entries.pop(entry)[1]
            if weight > self.big:
                self.bigs -= 1
            else:
                self.weight -= weight

    def _put(self, entry: Entry, value: Any, weight: int) -> None:
        with self._lock:
            scope, _, version = entry
            if self._current.get(scope) != version:
                return  # computed over a version since superseded: answered, not kept
            self._entries[entry] = (value, weight)
            if weight > self.big:
                self.bigs += 1
            else:
                self.weight += weight
            while len(self._entries) > self.max_entries or self.weight > self.max_weight:
                self._drop(next(iter(self._entries)))  # the least recently used
            while self.bigs > self.max_big:
                self._drop(next(k for k, (_, w) in self._entries.items() if w > self.big))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._current.clear()
            self.weight = self.bigs = 0


CACHE = Cache()


def _database(session: Session) -> str:
    """Which data an answer is of: the data version is per database."""
    return session.get_bind().engine.url.render_as_string(hide_password=True)


class Lookup(NamedTuple, Generic[T]):
    value: T
    hit: bool  # answered from the cache


class Insight(Generic[P, T]):
    """A function of (session, *arguments) whose answer is kept per data version."""

    def __init__(self, fn: Callable[Concatenate[Session, P], T], cache: Cache) -> None:
        self.fn, self.cache = fn, cache
        self.name = f"{fn.__module__}.{fn.__qualname__}"
        functools.update_wrapper(self, fn)

    def key(self, session: Session, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Hashable:
        """What the answer is of, whatever the data's version and database (the entry's scope)."""
        for value in (*args, *kwargs.values()):
            if isinstance(value, SQLModel):
                raise TypeError(f"{self.name}: pass ids, not records; a record is no cache key")
        return (self.name, args, tuple(sorted(kwargs.items())))

    def lookup(self, session: Session, *args: P.args, **kwargs: P.kwargs) -> Lookup[T]:
        value, hit = self.cache.get_or_compute(
            self.key(session, args, kwargs),
            lambda: self.fn(session, *args, **kwargs),
            data_version(session),
            _database(session),
        )
        return Lookup(value, hit)

    def __call__(self, session: Session, *args: P.args, **kwargs: P.kwargs) -> T:
        return self.lookup(session, *args, **kwargs).value

    def respond(self, session: Session, *args: P.args, **kwargs: P.kwargs) -> Response:
        """The answer as the route's JSON, as FastAPI would send it (by alias), made once per version.

        The route declares `response_model`, for the OpenAPI document; the model was validated
        when it was built.
        """
        key = (self.key(session, args, kwargs), "json")

        def compute() -> bytes:
            answer = self.fn(session, *args, **kwargs)
            assert isinstance(answer, BaseModel), f"{self.name}: only a model's answer is sent as JSON"
            return answer.__pydantic_serializer__.to_json(answer, by_alias=True)

        body, _ = self.cache.get_or_compute(key, compute, data_version(session), _database(session))
        return Response(content=body, media_type="application/json")


def per_data_version(fn: Callable[Concatenate[Session, P], T]) -> Insight[P, T]:
    """Keep `fn`'s answers per data version, keyed by all its arguments but the session."""
    return Insight(fn, CACHE)
