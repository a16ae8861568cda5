"""Where an API import runs: one background thread per process, after its record is committed.

One at a time, because an import is one long transaction (SQLite has one writer anyway),
and because a queue of them must not take the threads that answer requests.
"""

import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from api.audit.service import Actor
from api.auth.principal import Principal
from api.imports import service

_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import")
_running: list[Future[Any]] = []


def _work(
    factory: Callable[[], Session], import_id: str, path: str, principal: Principal | None, actor: Actor
) -> None:
    try:
        with open(path, "rb") as source:
            service.run(factory, import_id, source, principal, actor)
    finally:
        os.unlink(path)


def after_commit(
    session: Session,
    factory: Callable[[], Session],
    import_id: str,
    path: str,
    principal: Principal | None,
    actor: Actor,
) -> None:
    """Start the import once the transaction that records it commits (never if it rolls back)."""

    def start(_: Session) -> None:
        _running.append(_pool.submit(_work, factory, import_id, path, principal, actor))

    def abandon(_: Session) -> None:
        if os.path.exists(path):
            os.unlink(path)

    event.listen(session, "after_commit", start, once=True)
    event.listen(session, "after_rollback", abandon, once=True)


def drain() -> None:
    """Wait for every import started so far (tests, and a clean shutdown)."""
    while _running:
        _running.pop(0).result()
