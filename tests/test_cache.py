"""The cache of insights: per data version, keyed by every argument, bounded, one computation per key."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import Session

from api import cache, models


def _write(session: Session) -> None:
    """What every write does: append a change."""
    session.add(
        models.Change(
            actor_kind="system", actor_name="test", resource="areas", resource_id="x", action="create"
        )
    )
    session.flush()


def test_the_data_version_reads_one_entry_of_the_primary_key(session: Session) -> None:
    statement = str(cache.NEWEST_CHANGE.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
    if session.get_bind().dialect.name == "sqlite":
        plan = " ".join(row[-1] for row in session.execute(text(f"EXPLAIN QUERY PLAN {statement}")))
        assert "SCAN change" in plan and "TEMP B-TREE" not in plan, plan  # the rowid, backwards
    else:
        session.execute(text("SET LOCAL enable_seqscan = off"))  # a small table would be scanned
        plan = " ".join(row[0] for row in session.execute(text(f"EXPLAIN {statement}")))
        assert "Index Scan Backward using change_pkey" in plan and "Sort" not in plan, plan


def test_answers_are_kept_per_data_version_and_argument(session: Session) -> None:
    calls: list[tuple[str, bool]] = []

    @cache.per_data_version
    def answer(session: Session, id_: str, public: bool) -> str:
        calls.append((id_, public))
        return f"{id_}:{public}:{len(calls)}"

    first = answer.lookup(session, "a", True)
    assert not first.hit and answer(session, "a", True) == first.value
    assert answer(session, "a", False) != first.value  # what the caller may see is in the key
    assert answer(session, "b", True) != first.value
    assert calls == [("a", True), ("a", False), ("b", True)]
    _write(session)
    again = answer.lookup(session, "a", True)
    assert not again.hit and again.value != first.value and len(calls) == 4


def test_records_are_no_keys(session: Session) -> None:
    @cache.per_data_version
    def answer(session: Session, record: Any) -> str:
        return "never"

    with pytest.raises(TypeError, match="pass ids"):
        answer(session, models.Area(name="A", kind="region"))


def test_a_newer_version_replaces_the_answer_of_an_older_one(session: Session) -> None:
    computed: list[int] = []

    @cache.per_data_version
    def answer(session: Session, n: int) -> int:
        computed.append(n)
        return n

    _write(session)
    answer(session, 7)
    before = len(cache.CACHE)
    for _ in range(4):  # a write, then the same insight asked again: one entry, not one a version
        _write(session)
        assert answer(session, 7) == 7 and answer(session, 7) == 7
    assert len(computed) == 5 and len(cache.CACHE) == before


def test_a_key_keeps_the_version_asked_last_even_when_versions_go_back() -> None:
    kept = cache.Cache()
    kept.get_or_compute("k", lambda: "new", version=(2, "b"))
    # After a restore the newest change can be an older one: its answer must be kept too.
    assert kept.get_or_compute("k", lambda: "restored", version=(1, "a")) == ("restored", False)
    assert kept.get_or_compute("k", lambda: "again", version=(1, "a")) == ("restored", True)
    assert len(kept) == 1


def test_a_newer_version_of_a_database_drops_its_older_answers_and_no_other_databases() -> None:
    kept = cache.Cache()
    for key in ("a", "b"):
        kept.get_or_compute(key, lambda: "old", version=(1, "x"), scope="db1")
    kept.get_or_compute("a", lambda: "other", version=(1, "x"), scope="db2")
    # A write to db1: its answers of the version before will never be asked for again.
    assert kept.get_or_compute("c", lambda: "new", version=(2, "y"), scope="db1") == ("new", False)
    assert len(kept) == 2
    assert kept.get_or_compute("a", lambda: "again", version=(1, "x"), scope="db2") == ("other", True)


def test_an_answer_of_a_version_superseded_while_it_was_computed_is_answered_not_kept() -> None:
    kept = cache.Cache()

    def slow() -> str:  # meanwhile another request sees the data after a write
        kept.get_or_compute("k", lambda: "new", version=(2, "y"), scope="db")
        return "old"

    assert kept.get_or_compute("k", slow, version=(1, "x"), scope="db") == ("old", False)
    assert kept.get_or_compute("k", lambda: "again", version=(2, "y"), scope="db") == ("new", True)
    assert len(kept) == 1


def test_the_cache_is_bounded_in_entries_weight_and_big_answers() -> None:
    few = cache.Cache(max_entries=2)
    for key in "abc":
        few.get_or_compute(key, lambda key=key: key)
    assert len(few) == 2 and few.get_or_compute("a", lambda: "again") == ("again", False)  # the oldest went
    light = cache.Cache(max_weight=1_000, big=500, max_big=1)
    for key in ("one", "two", "three"):
        light.get_or_compute(key, lambda: b"x" * 400)  # 433 bytes each
    assert len(light) == 2 and light.weight <= 1_000
    assert light.get_or_compute("one", lambda: b"again") == (b"again", False)  # the oldest made way
    light.get_or_compute("big", lambda: b"y" * 600)
    assert light.get_or_compute("big", lambda: b"recomputed") == (b"y" * 600, True)  # kept, beside the rest
    assert len(light) == 4 and light.bigs == 1
    light.get_or_compute("bigger", lambda: b"z" * 700)
    assert light.get_or_compute("big", lambda: b"recomputed") == (b"recomputed", False)  # one big at most
    assert light.bigs == 1 and light.weight <= 1_000


def test_one_computation_per_key_at_a_time() -> None:
    shared = cache.Cache()
    computed: list[int] = []

    def slow() -> int:
        time.sleep(0.2)
        computed.append(1)
        return 42

    results: list[tuple[int, bool]] = []

    def ask(compute: Callable[[], int]) -> None:
        results.append(shared.get_or_compute("key", compute))

    threads = [threading.Thread(target=ask, args=(slow,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert computed == [1]
    assert sorted(results) == [(42, False), (42, True), (42, True), (42, True)]


def test_a_failed_computation_is_not_kept() -> None:
    shared = cache.Cache()

    def fail() -> int:
        raise LookupError("not found")

    with pytest.raises(LookupError):
        shared.get_or_compute("key", fail)
    assert shared.get_or_compute("key", lambda: 1) == (1, False)
