"""An import whose process is killed half-way leaves nothing, and is marked failed at the next start."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlmodel import Session

from api import models
from api.imports import liveness
from api.imports.schemas import ImportStatus
from api.seed import loader

ROOT = Path(__file__).parents[2]


def _state(url: str) -> tuple[str | None, int]:
    with Session(create_engine(url)) as session:
        status = session.scalars(select(models.DataImport.status)).first()
        return status, session.scalar(select(func.count()).select_from(models.Observation)) or 0


def test_a_killed_import_leaves_nothing_and_is_marked_failed(scratch_database: str, tmp_path: Path) -> None:
    with Session(create_engine(scratch_database)) as session:
        loader.load(session, loader.read())
        session.commit()
    before = _state(scratch_database)[1]
    big = tmp_path / "big.csv"
    with big.open("w") as f:
        f.write("Year,Group,GeoCode,Value\n")
        for n in range(400_000):
            f.write(f"{1900 + n % 200},g{n // 200},E12000005,{n % 100}\n")
    command = [
        str(Path(sys.executable).parent / "roadmap"),
        "import",
        str(big),
        "--kind",
        "observations",
        "--format",
        "tidy",
        "--metric",
        "non-internet-users",
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": scratch_database},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while _state(scratch_database)[0] != ImportStatus.running and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)  # well into the rows: some batches written, none committed
    assert process.poll() is None, "the import finished before it could be killed: make the file bigger"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _state(scratch_database) == (ImportStatus.running, before)  # nothing written, still "running"
    with Session(create_engine(scratch_database)) as session:
        [stopped] = liveness.interrupted(session)  # what the API does at start-up
        session.commit()
        assert stopped.status == ImportStatus.failed and "interrupted" in (stopped.error or "")
    assert _state(scratch_database) == (ImportStatus.failed, before)
