"""Who is running an import, and whether they still are.

An import runs in one process, in one long transaction. Readers in that process see its
counts at once (LIVE); other replicas see them, with a heartbeat, in its record. Whoever
finds an import whose process has gone marks it failed: nothing of it was committed.
"""

import datetime as dt
import os
import socket
import time
from collections.abc import Callable

from sqlalchemy import select, update
from sqlmodel import Session, col

from api import models
from api.imports.schemas import Counts, ImportStatus
from api.models import utcnow

Progress = Callable[[Counts], None]
RUNNER = f"{socket.gethostname()}:{os.getpid()}"
BEAT_SECONDS = 2.0  # how often a running import writes its counts and heartbeat
STALE_AFTER = dt.timedelta(minutes=5)  # no heartbeat for this long: its process is gone
LIVE: dict[str, Counts] = {}  # the counts so far of the imports running in this process


def beats(session: Session) -> bool:
    """Whether a running import can write its heartbeat while its own transaction is open:
    not on SQLite, where that transaction holds the only write lock until it ends."""
    return session.get_bind().dialect.name != "sqlite"


def telling(
    factory: Callable[[], Session], import_id: str, progress: Progress | None, beating: bool
) -> Progress:
    """Counts so far for whoever asks: this process's readers at once (LIVE), and, every few
    seconds where the engine allows it, the import's record, with a heartbeat, for the rest."""
    D, last = models.DataImport, [time.monotonic()]

    def tell(counts: Counts) -> None:
        LIVE[import_id] = counts.model_copy()
        if beating and time.monotonic() - last[0] >= BEAT_SECONDS:
            last[0] = time.monotonic()
            with factory() as session:
                session.execute(
                    update(D)
                    .where(col(D.id) == import_id)
                    .values(counts=counts.model_dump(), heartbeat_at=utcnow())
                )
                session.commit()
        if progress:
            progress(counts)

    return tell


def interrupted(session: Session) -> list[models.DataImport]:
    """Imports left running by a process that is gone, marked failed: on this machine, one
    whose process has stopped; on another (a replica), one whose heartbeat has stopped."""
    D = models.DataImport
    stopped = []
    silent_since = utcnow() - STALE_AFTER
    for record in session.scalars(select(D).where(col(D.status) == ImportStatus.running)):
        host, _, pid = (record.runner or "").rpartition(":")
        here = host == socket.gethostname()
        beat = record.heartbeat_at
        gone = (here and pid.isdigit() and not _alive(int(pid))) or (
            not here and beats(session) and beat is not None and beat < silent_since
        )
        if gone:
            record.status, record.finished_at = ImportStatus.failed, utcnow()
            record.error = "The import was interrupted (its process stopped). Nothing was written."
            stopped.append(record)
    return stopped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
