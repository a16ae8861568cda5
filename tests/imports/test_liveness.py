"""An import's counts while it runs, and an import whose process has gone marked failed."""

import datetime as dt
import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api import models
from api.audit.service import Actor
from api.imports import liveness, service
from api.imports.schemas import Counts, ImportRequest, ImportStatus
from api.models import utcnow

TEAM = Actor("account", None, "digital team")
Factory = Callable[[], Session]
WARDS = "code,name,kind\n" + "".join(f"E05{i:06d},Ward {i},ward\n" for i in range(1200))
HOST = liveness.RUNNER.rpartition(":")[0]


def _queued(factory: Factory, **fields: object) -> str:
    with factory() as session:
        asked = ImportRequest(kind="areas")
        record = service.create(session, asked, filename="wards.csv", size=0, principal=None, actor=TEAM)
        for name, value in fields.items():
            setattr(record, name, value)
        session.commit()
        return record.id


def test_a_running_import_tells_its_counts_so_far(session_factory, monkeypatch):
    monkeypatch.setattr(liveness, "BEAT_SECONDS", 0.0)  # every report also reaches the record
    import_id = _queued(session_factory)
    seen: list[tuple[str, int, int]] = []

    def ask(counts: Counts) -> None:
        with session_factory() as session:  # as another request would, mid-import
            record = session.get(models.DataImport, import_id)
            assert record is not None
            shown = service.read(session, record)
            seen.append((shown.status, shown.counts.rows, record.counts.get("rows", 0)))

    with io.BytesIO(WARDS.encode()) as source:
        done = service.run(session_factory, import_id, source, None, TEAM, progress=ask)
    assert done.status == ImportStatus.succeeded and done.counts["created"] == 1200
    mid = [s for s in seen if 0 < s[1] < 1200]
    assert mid and all(status == ImportStatus.running for status, _, _ in mid)
    with session_factory() as session:
        if liveness.beats(session):  # other replicas read the record: it was kept up to date
            assert all(stored == rows for _, rows, stored in seen)
        else:  # SQLite: one writer, the import; the record waits for the end
            assert all(stored == 0 for _, _, stored in seen)
    assert import_id not in liveness.LIVE


def test_an_import_left_running_by_a_stopped_process_is_marked_failed(session_factory):
    import_id = _queued(session_factory, status=ImportStatus.running, runner=f"{HOST}:999999999")
    with session_factory() as session:
        [stopped] = liveness.interrupted(session)
        assert stopped.id == import_id and stopped.status == ImportStatus.failed
        assert "interrupted" in (stopped.error or "")


@pytest.mark.parametrize("silent_for, failed", [(dt.timedelta(minutes=10), True), (dt.timedelta(0), False)])
def test_on_another_machine_an_import_is_failed_once_its_heartbeat_stops(
    client: TestClient, session_factory, silent_for, failed
):
    beat = utcnow() - silent_for
    import_id = _queued(
        session_factory, status=ImportStatus.running, runner="replica-2:41", heartbeat_at=beat
    )
    status = client.get(f"/api/v1/imports/{import_id}").json()["status"]
    with session_factory() as session:
        beating = liveness.beats(session)
    # SQLite is one machine's file: there, only a stopped process on this machine counts.
    assert status == (ImportStatus.failed if failed and beating else ImportStatus.running)
