"""Real processes for the tests that need them: `roadmap serve`, nginx, a PostgreSQL cluster of
the test's own to stop and start. Each is waited for until it answers, and stopped for good."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

STARTUP_SECONDS = 60  # a new server on a busy 2-core machine imports the app in up to 15 s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until `url` answers at all; the process dying first fails the test with its log."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, log.read_text() if log.exists() else ""
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Server:
    """`roadmap serve` over `database_url`, as production starts it, in a process group of its own."""

    def __init__(self, database_url: str, log: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [sys.executable, "-c", "from api.cli import app; app()", "serve", "--port", str(self.port)]
        environment = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                command, env=environment, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until_up(f"{self.base}/healthz", self.process, log)

    def kill(self) -> None:
        """SIGKILL, as the kernel's OOM killer or a lost host does: no shutdown runs."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            stop(self.process)


@contextmanager
def serving(database_url: str, log: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    server = Server(database_url, log, env)
    try:
        yield server
    finally:
        server.stop()


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class Cluster:
    """A PostgreSQL cluster of the test's own, to stop and start under a running server (the
    suite's shared one cannot be), made as scripts/with-postgres makes it. In a folder of its
    own under /tmp: as root the cluster belongs to the postgres user, who cannot enter
    pytest's private folders."""

    def __init__(self) -> None:
        bin_ = _pg_bin()
        assert bin_ is not None, "PostgreSQL's server programs are not installed"
        self.folder = Path(tempfile.mkdtemp(prefix="roadmap-pg-"))
        self.bin, self.data, self.port = bin_, self.folder / "data", free_port()
        self.as_owner: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
                subprocess.run(["useradd", "--system", "postgres"], check=True)
            shutil.chown(self.folder, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        self.options = f"-h 127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off -c full_page_writes=off"
        self.log = self.folder / "server.log"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *args: str, check: bool = True) -> None:
        done = subprocess.run(
            [*self.as_owner, str(self.bin / program), *args], capture_output=True, text=True
        )
        assert done.returncode == 0 or not check, done.stdout + done.stderr

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-o", self.options, "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session and shuts down cleanly; `immediate` is a crash (recovery at start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def close(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def cluster() -> Iterator[Cluster]:
    made = Cluster()
    try:
        made.start()
        yield made
    finally:
        made.close()
