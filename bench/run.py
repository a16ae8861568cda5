"""The project against an honest floor: the same reads, the same database, on loopback, with wrk.

    .venv/bin/python bench/run.py [--size small|medium|large[,…]] [--db sqlite|postgres|both]
        [--seconds 5] [--rounds 5] [--workers 2] [--concurrency 16] [--results bench/RESULTS.md]
    .venv/bin/python bench/run.py --smoke          # CI: small, 1 round of 2 s, fails on any error
    .venv/bin/python bench/run.py --only exports --db both   # only the exports (bench/exports.py)

For each database and size it generates the data (bench/datagen.py; a SQLite file is kept
in bench/.data/, keyed by size, schema head and generator, so a rerun starts at once;
PostgreSQL is a private throwaway cluster, or DATABASE_URL), starts the project
(`uvicorn api.main:app --workers N`) and the floor (bench/floor.py, the same reads written
bare) on 127.0.0.1, checks that both answer each read with the same rows, then measures
each read with wrk, round after round, alternating which server goes first. It reports
medians over the rounds: requests per second of the project (anonymous, and with a reader
API key) and of the floor, their ratio and p99 latencies; how flat keyset pages are (the
middle page against the first, and across sizes); each insight endpoint against the
project's own page of 50; and the peak resident memory of each project worker under load.
With --results (the default outside --smoke) it writes that as Markdown, goals marked.

Then the exports (bench/exports.py, issue 13): one metric's observations downloaded as one
CSV file (and XLSX) from the project and from the floor, 100k and 1M rows, one worker each,
the worker's memory sampled meanwhile: whether a file streams in constant memory, and how
fast against the floor. Its own section of the results file; `--only reads|exports` runs
one of the two; under --smoke, 2k and 20k rows, once, with no restarts.

Every measurement is bounded in time; servers and the cluster are stopped on the way out,
whatever the way out (an error, Ctrl-C, SIGTERM).
"""

import argparse
import base64
import contextlib
import datetime as dt
import hashlib
import inspect
import json
import os
import platform
import pwd
import re
import shlex
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import httpx
from sqlalchemy import Table, create_engine, func, select

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import datagen  # noqa: E402  (beside this file, not a package)

from api import migrate, models  # noqa: E402

DATA = BENCH / ".data"
VENV_BIN = ROOT / ".venv" / "bin"
MIB = 1024 * 1024

# Goals (issue 10).
GOAL_RATIO = 1.0  # project ÷ floor, requests per second
GOAL_FLAT = 0.9  # middle keyset page ÷ first page; largest size ÷ smallest
GOAL_INSIGHT = 0.5  # insight ÷ the project's page of 50: at most twice a page's time
GOAL_RSS_MIB = 150  # per worker, at large

READS = [  # (label, path); {names} are filled from the database
    ("one stakeholder", "/api/v1/stakeholders/{stakeholder}"),
    ("page of 50 stakeholders", "/api/v1/stakeholders?limit=50"),
    ("page of 50, kind filter", "/api/v1/stakeholders?limit=50&kind=third_sector"),
    ("middle keyset page", "/api/v1/stakeholders?limit=50&cursor={middle}"),
    ("50 observations of a metric", "/api/v1/metrics/{metric}/observations?limit=50"),
]
PAGE, MIDDLE = READS[1][0], READS[3][0]
INSIGHTS = [
    ("mission progress", "/api/v1/missions/{mission}/progress"),
    ("mission contributors", "/api/v1/missions/{mission}/contributors"),
    ("metric progress", "/api/v1/metrics/{compared}/progress"),
    ("metric comparison (authorities)", "/api/v1/metrics/{compared}/comparison?level=local_authority"),
    ("network metrics", "/api/v1/network/metrics"),
    ("network of a mission", "/api/v1/network?mission={mission}"),
    ("overlaps", "/api/v1/insights/overlaps"),
    ("support match", "/api/v1/support-schemes/match?stakeholder={business}&include_ineligible=true"),
]
PROJECT, FLOOR, KEYED = "project", "floor", "project + key"


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def table(model: Any) -> Table:
    return model.__table__  # type: ignore[no-any-return]


# Databases -------------------------------------------------------------------------------------


def cache_key(size: str) -> str:
    """Size, schema head, and what shapes the rows: the migrations' text (a revision edited
    in place changes it too), the generator, and how the models make ids."""
    digest = hashlib.sha1(Path(datagen.__file__).read_bytes())
    digest.update(inspect.getsource(models.new_id).encode())
    for migration in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(migration.read_bytes())
    return f"{size}-{migrate.head_revision()}-{digest.hexdigest()[:10]}"


def sqlite_database(size: str) -> str:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"{cache_key(size)}.db"
    if path.exists():
        log(f"sqlite {size}: cached {path.relative_to(ROOT)} ({path.stat().st_size / MIB:.0f} MiB)")
        return f"sqlite:///{path}"
    for old in DATA.glob(f"{size}-*"):  # an older schema's or generator's: superseded
        old.unlink()
    partial = path.with_suffix(".partial")
    for leftover in DATA.glob(f"{partial.name}*"):
        leftover.unlink()
    log(f"sqlite {size}: generating {path.relative_to(ROOT)}")
    started = time.perf_counter()
    counts = datagen.generate(f"sqlite:///{partial}", size, log=log)
    partial.rename(path)
    took = time.perf_counter() - started
    log(f"  {sum(counts.values()):,} rows, {path.stat().st_size / MIB:.0f} MiB, in {took:.0f} s")
    return f"sqlite:///{path}"


@contextlib.contextmanager
def private_postgres() -> Iterator[str]:
    """A throwaway cluster on 127.0.0.1, as scripts/with-postgres makes one."""
    installed = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()]
    newest = max(installed, key=lambda p: int(p.parent.name), default=None)
    pgbin = os.environ.get("PGBIN") or newest
    if not pgbin or not (Path(pgbin) / "initdb").exists():
        sys.exit("PostgreSQL not found: install it (apt-get install postgresql) or set DATABASE_URL.")
    home = Path(tempfile.mkdtemp(prefix="roadmap-bench-pg."))
    as_owner: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to the postgres user
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            subprocess.run(["useradd", "--system", "--home-dir", str(home), "postgres"], check=True)
        owner = pwd.getpwnam("postgres")
        os.chown(home, owner.pw_uid, owner.pw_gid)
        as_owner = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    options = (
        f"-h 127.0.0.1 -p {port} -k {home} -c max_connections=300 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    try:
        initdb = [f"{pgbin}/initdb", "-D", f"{home}/data", "-U", "postgres", "-A", "trust", "-E", "UTF8"]
        subprocess.run([*as_owner, *initdb, "--no-sync"], check=True, capture_output=True, timeout=120)
        pg_ctl = [f"{pgbin}/pg_ctl", "-D", f"{home}/data", "-l", f"{home}/server.log", "-w", "-o", options]
        subprocess.run([*as_owner, *pg_ctl, "start"], check=True, capture_output=True, timeout=120)
        version = subprocess.run([f"{pgbin}/postgres", "--version"], capture_output=True, text=True).stdout
        log(f"postgresql: private cluster {version.split()[2]} on 127.0.0.1:{port}")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_owner, f"{pgbin}/pg_ctl", "-D", f"{home}/data", "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(home, ignore_errors=True)


@contextlib.contextmanager
def postgres_database(size: str) -> Iterator[str]:
    given = os.environ.get("DATABASE_URL", "")
    with contextlib.ExitStack() as stack:
        url = given if given.startswith("postgresql") else stack.enter_context(private_postgres())
        if datagen.organisations_in(url):
            if not datagen.made_here(url):
                sys.exit("DATABASE_URL holds data bench/datagen.py did not make: give an empty database.")
            log("postgresql: DATABASE_URL holds generated data already; using it as it is")
        else:
            log(f"postgresql {size}: generating")
            started = time.perf_counter()
            counts = datagen.generate(url, size, log=log)
            log(f"  {sum(counts.values()):,} rows in {time.perf_counter() - started:.0f} s")
        yield url


# Servers ---------------------------------------------------------------------------------------


class Server:
    """uvicorn on 127.0.0.1 in a session of its own: stopped, with its workers, on the way out."""

    def __init__(
        self,
        name: str,
        app: str,
        url: str,
        workers: int,
        extra: list[str] | None = None,
        production: bool = False,
    ) -> None:
        """production: `roadmap serve` (its logs, keep-alive, trusted proxy headers) with the rate
        limits as configured, as a deployment runs it (bench/soak.py); else bare uvicorn."""
        self.name, self.port = name, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        if production:
            self.command = [str(VENV_BIN / "roadmap"), "serve"]
        else:
            self.command = [str(VENV_BIN / "uvicorn"), app, *(extra or []), "--log-level", "warning"]
        self.command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        # Thousands of requests a minute from one address: limits far above them, so each request
        # is still counted (its cost is in the numbers) and none is refused.
        unlimited = {
            f"RATE_LIMIT_{name}": "1000000000"
            for name in ("ANONYMOUS", "PER_CREDENTIAL", "PER_ADDRESS")
            if not production
        }
        self.env = {**unlimited, **os.environ, "DATABASE_URL": url}
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (closed on exit)
        self.workers = workers
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def restart(self) -> None:
        """Stopped and started again: what it was still computing is abandoned, its caches lost."""
        self.stop()
        self.start()
        self.wait_ready()

    def __enter__(self) -> "Server":
        try:
            self.wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.output()}")
            try:
                up = httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200
            except httpx.TransportError:
                up = False
            if up and len(self.worker_pids()) == self.workers:
                time.sleep(1.5)  # the last worker to start may still be importing the app
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer /healthz within 90 s:\n{self.output()}")

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.log.close()

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        # Workers that outlived their parent are in its session still.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def worker_pids(self) -> list[int]:
        """The worker processes (uvicorn's spawned children; a lone process is its own worker)."""
        if self.workers == 1:
            return [self.process.pid]
        pids = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
                ppid = int(re.search(r"^PPid:\s+(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
                if ppid == self.process.pid and b"spawn_main" in (status.parent / "cmdline").read_bytes():
                    pids.append(int(status.parent.name))
            except (OSError, AttributeError, ValueError):
                continue
        return sorted(pids)


def rss_mib(pid: int) -> float:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmRSS:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) / 1024 if match else 0.0


class Sampling:
    """`sample()` in a thread of its own, at once and then every `every` seconds, while the
    `with` block runs (exports.Sampler, soak.Memory, RssSampler)."""

    every = 0.25

    def __init__(self) -> None:
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def sample(self) -> None:
        raise NotImplementedError

    def run(self) -> None:
        while True:
            self.sample()
            if self.done.wait(self.every):
                return

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()


class RssSampler(Sampling):
    """The peak RSS of each worker while a measurement runs."""

    def __init__(self, server: Server, peaks: dict[int, float]) -> None:
        super().__init__()
        self.pids, self.peaks = server.worker_pids(), peaks

    def sample(self) -> None:
        for pid in self.pids:
            self.peaks[pid] = max(self.peaks.get(pid, 0.0), rss_mib(pid))


# wrk -------------------------------------------------------------------------------------------


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    return float(match.group(1)) * UNITS[match.group(2)] if match else float("nan")


def parse_wrk(output: str) -> Run:
    def find(pattern: str) -> str | None:
        match = re.search(pattern, output, re.M)
        return match.group(1) if match else None

    socket_errors = find(r"Socket errors: (.*)$")
    errors = sum(int(n) for n in re.findall(r"\d+", socket_errors)) if socket_errors else 0
    requests = int(find(r"^\s+(\d+) requests in") or 0)
    return Run(
        rps=float(find(r"^Requests/sec:\s+([\d.]+)") or 0.0),
        p50_ms=_ms(find(r"^\s+50%\s+(\S+)") or "") if requests else float("nan"),
        p99_ms=_ms(find(r"^\s+99%\s+(\S+)") or "") if requests else float("nan"),
        requests=requests,
        non_2xx=int(find(r"Non-2xx or 3xx responses: (\d+)") or 0),
        socket_errors=errors,
    )


def wrk(url: str, seconds: int, concurrency: int, headers: dict[str, str]) -> Run:
    threads = max(1, min(2, concurrency))
    command = ["wrk", f"-t{threads}", f"-c{concurrency}", f"-d{seconds}s", "--latency"]
    command += ["--timeout", f"{max(10, 2 * seconds)}s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + max(10, 2 * seconds) + 30
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    return parse_wrk(done.stdout)


# What to ask for ------------------------------------------------------------------------------


def targets(url: str) -> dict[str, str]:
    """Ids from the database: the middle stakeholder, the busiest metric and mission, …"""
    engine = create_engine(url)
    S, OBS, A = table(models.Stakeholder), table(models.Observation), table(models.Area)
    CO, Out = table(models.CollaborationOutcome), table(models.Outcome)
    try:
        with engine.connect() as conn:
            n = conn.execute(select(func.count()).select_from(S)).scalar_one()
            middle = conn.execute(
                select(S.c.id, S.c.name).order_by(S.c.name, S.c.id).offset(n // 2).limit(1)
            ).one()
            busiest = select(OBS.c.metric_id).group_by(OBS.c.metric_id).order_by(func.count().desc()).limit(1)
            authorities = (
                select(OBS.c.metric_id)
                .join(A, A.c.id == OBS.c.area_id)
                .where(A.c.kind == "local_authority")
                .group_by(OBS.c.metric_id)
                .order_by(func.count(func.distinct(OBS.c.area_id)).desc(), OBS.c.metric_id)
                .limit(1)
            )
            mission = (
                select(Out.c.mission_id)
                .join(CO, CO.c.outcome_id == Out.c.id)
                .group_by(Out.c.mission_id)
                .order_by(func.count().desc(), Out.c.mission_id)
                .limit(1)
            )
            business = (
                select(S.c.id)
                .where(S.c.kind == "business")
                .order_by(S.c.name, S.c.id)
                .offset(n // 3)
                .limit(1)
            )
            return {
                "stakeholder": middle.id,
                "middle_name": middle.name,
                "stakeholders": str(n),
                "metric": conn.execute(busiest).scalar_one(),
                "compared": conn.execute(authorities).scalar_one(),
                "mission": conn.execute(mission).scalar_one(),
                "business": conn.execute(business).scalar_one(),
            }
    finally:
        engine.dispose()


def middle_cursor(project: Server, name: str, id_: str) -> str:
    """The project's own cursor for the first page, pointed at the middle row instead."""
    first = httpx.get(f"{project.base}/api/v1/stakeholders", params={"limit": 1}, timeout=30).json()
    raw = first["next_cursor"]
    data = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    if data.get("v") != [first["items"][0]["name"], first["items"][0]["id"]]:
        raise RuntimeError(
            f"The project's cursor has changed shape ({data}): teach bench/run.py the new one."
        )
    data["v"] = [name, id_]
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def warm(url: str, n: int, timeout: float) -> bool:
    """n requests at once, so that every worker has computed (and cached) its answer;
    False if any of them failed or took over `timeout`."""
    ok: list[bool] = []

    def get() -> None:
        try:
            ok.append(httpx.get(url, timeout=timeout).status_code == 200)
        except httpx.HTTPError:
            ok.append(False)

    threads = [threading.Thread(target=get) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return all(ok) and len(ok) == n


def first_answers(
    project: Server, ids: dict[str, str], args: argparse.Namespace, result: "Measured"
) -> dict[str, str]:
    """Each insight's first (cold) answer, then one from every worker (each caches its own).

    An insight that takes longer than --insight-timeout is left out, and the project restarted
    so that no worker is still computing it while the others are measured.
    """
    insights: dict[str, str] = {}
    restarted = False
    with httpx.Client(timeout=args.insight_timeout) as client:
        for label, template in INSIGHTS:
            path = template.format(**ids)
            started = time.perf_counter()
            try:
                response = client.get(project.base + path)
                took = time.perf_counter() - started
                if response.status_code != 200:
                    result.skipped[label] = f"answered {response.status_code}: {response.text[:200]}"
                    continue
                if not warm(project.base + path, 2 * args.workers, args.insight_timeout):
                    raise httpx.ReadTimeout("warming")
            except httpx.TimeoutException:
                result.skipped[label] = f"an answer took over {args.insight_timeout:.0f} s"
                log(f"  {label}: over {args.insight_timeout:.0f} s; restarting the project")
                project.restart()
                restarted = True
                continue
            insights[label] = path
            result.info[f"first answer: {label}"] = (
                f"{took * 1000:.0f} ms, {len(response.content) / 1e3:.0f} kB"
            )
    if restarted:  # the restarts lost the others' cached answers
        for path in insights.values():
            warm(project.base + path, 2 * args.workers, args.insight_timeout)
    return insights


def check_same(
    project: Server, floor: Server, paths: dict[str, str], key: str, middle: str, info: dict[str, str]
) -> None:
    """Every read answers 200 on both, with the same rows and fields: the floor does the same work."""
    with httpx.Client(timeout=60) as client:
        for label, path in paths.items():
            mine = client.get(project.base + path)
            keyed = client.get(project.base + path, headers={"X-API-Key": key})
            bare = client.get(floor.base + path)
            for who, response in ((PROJECT, mine), (KEYED, keyed), (FLOOR, bare)):
                if response.status_code != 200:
                    raise RuntimeError(
                        f"{who} answered {label} with {response.status_code}: {response.text[:500]}"
                    )
            a, b = mine.json(), bare.json()
            ids = [[i["id"] for i in x["items"]] if "items" in x else [x["id"]] for x in (a, b)]
            if ids[0] != ids[1] or not ids[0]:
                raise RuntimeError(f"project and floor disagree on {label}: {ids[0][:3]}… vs {ids[1][:3]}…")
            if label == MIDDLE and a["items"][0]["name"] < middle:
                raise RuntimeError("the middle page does not start in the middle")
            fields = [set(x["items"][0] if "items" in x else x) for x in (a, b)]
            if fields[0] != fields[1]:
                only = fields[0] - fields[1], fields[1] - fields[0]
                log(f"  note: {label}: fields differ, project only {only[0]}, floor only {only[1]}")
            info[f"body: {label}"] = f"{len(mine.content):,} / {len(bare.content):,}"


# Measurement -----------------------------------------------------------------------------------


@dataclass
class Measured:
    runs: dict[tuple[str, str], list[Run]] = field(default_factory=lambda: defaultdict(list))
    rss: dict[int, float] = field(default_factory=dict)  # project worker pid: peak MiB
    floor_rss: dict[int, float] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    info: dict[str, str] = field(default_factory=dict)

    def median(self, label: str, who: str, attr: str = "rps") -> float:
        values = [getattr(r, attr) for r in self.runs.get((label, who), [])]
        return statistics.median(values) if values else float("nan")

    def errors(self) -> list[str]:
        """Answers other than 2xx (or 3xx, to wrk) and socket errors (timeouts included)."""
        found = []
        for (label, who), runs in self.runs.items():
            bad = sum(r.non_2xx for r in runs), sum(r.socket_errors for r in runs)
            if any(bad):
                found.append(f"{label} ({who}): {bad[0]} non-2xx, {bad[1]} socket errors")
        return found + [f"{label}: {why}" for label, why in self.skipped.items()]

    def empty(self) -> list[str]:
        """Measurements in which not one request completed: too short for that read."""
        return [
            f"{label} ({who})"
            for (label, who), runs in self.runs.items()
            if any(not r.requests for r in runs)
        ]


def measure(url: str, args: argparse.Namespace) -> Measured:
    result = Measured()
    ids = targets(url)
    key = datagen.BENCH_KEY
    with (
        Server("project", "api.main:app", url, args.workers) as project,
        Server("floor", "floor:app", url, args.workers, ["--app-dir", str(BENCH)]) as floor,
    ):
        ids["middle"] = middle_cursor(project, ids["middle_name"], ids["stakeholder"])
        reads = {label: path.format(**ids) for label, path in READS}
        check_same(project, floor, reads, key, ids["middle_name"], result.info)
        insights = first_answers(project, ids, args, result)
        plan = [(label, who) for label in reads for who in (PROJECT, FLOOR, KEYED)]
        plan += [(label, PROJECT) for label in insights]
        total = len(plan) * args.seconds * (args.rounds + (0 if args.smoke else 1))
        log(f"  measuring: {len(plan)} runs x {args.rounds} rounds x {args.seconds} s ≈ {total / 60:.1f} min")
        servers = {PROJECT: project, FLOOR: floor, KEYED: project}
        headers: dict[str, dict[str, str]] = {PROJECT: {}, FLOOR: {}, KEYED: {"X-API-Key": key}}
        paths = {**reads, **insights}
        if not args.smoke:  # warm caches, pools and the page cache: one second each
            for label, who in plan:
                wrk(servers[who].base + paths[label], 1, args.concurrency, headers[who])
        for round_ in range(args.rounds):
            for label in paths:
                group = [who for who in (PROJECT, FLOOR, KEYED) if (label, who) in plan]
                shift = round_ % len(group)  # alternate who goes first
                for who in group[shift:] + group[:shift]:
                    with contextlib.ExitStack() as stack:
                        peaks = result.rss if servers[who] is project else result.floor_rss
                        stack.enter_context(RssSampler(servers[who], peaks))
                        run = wrk(
                            servers[who].base + paths[label], args.seconds, args.concurrency, headers[who]
                        )
                    result.runs[(label, who)].append(run)
            log(f"  round {round_ + 1}/{args.rounds} done")
    result.info["stakeholders"] = ids["stakeholders"]
    return result


# Report ----------------------------------------------------------------------------------------


def mark(value: float, goal: float, higher: bool = True) -> str:
    if value != value:  # nan
        return "-"
    return "met" if (value >= goal if higher else value <= goal) else "**missed**"


def div(a: float, b: float) -> float:
    return a / b if b and b == b else float("nan")


def fmt(value: float, digits: int = 0) -> str:
    return "-" if value != value else f"{value:,.{digits}f}"


def report(results: dict[tuple[str, str], Measured], sizes: list[str], args: argparse.Namespace) -> str:
    lines: list[str] = []
    add = lines.append
    for (db, size), m in results.items():
        add(f"### {db}, {size} ({int(m.info.get('stakeholders', 0)):,} stakeholders)")
        add("")
        add(
            "| read | project req/s | floor req/s | project ÷ floor | p99 project ms | p99 floor ms "
            "| with key req/s | key ÷ floor | p99 key ms | goal ≥ 1.0 |"
        )
        add("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for label, _ in READS:
            p, f, k = (m.median(label, who) for who in (PROJECT, FLOOR, KEYED))
            ratio, key_ratio = div(p, f), div(k, f)
            goal = mark(min(ratio, key_ratio), GOAL_RATIO)
            p99 = {who: m.median(label, who, "p99_ms") for who in (PROJECT, FLOOR, KEYED)}
            add(
                f"| {label} | {fmt(p)} | {fmt(f)} | {fmt(ratio, 2)} | {fmt(p99[PROJECT], 1)} "
                f"| {fmt(p99[FLOOR], 1)} | {fmt(k)} | {fmt(key_ratio, 2)} | {fmt(p99[KEYED], 1)} | {goal} |"
            )
        add("")
        flat_p = div(m.median(MIDDLE, PROJECT), m.median(PAGE, PROJECT))
        flat_f = div(m.median(MIDDLE, FLOOR), m.median(PAGE, FLOOR))
        add(
            f"Flatness, middle keyset page ÷ first page: project {fmt(flat_p, 2)} "
            f"({mark(flat_p, GOAL_FLAT)}, goal ≥ {GOAL_FLAT}), floor {fmt(flat_f, 2)}."
        )
        add("")
        page = m.median(PAGE, PROJECT)
        add(
            f"| insight (project) | req/s | p99 ms | ÷ page of 50 ({fmt(page)} req/s) "
            f"| goal ≥ {GOAL_INSIGHT} |"
        )
        add("|---|---:|---:|---:|---|")
        for label, _ in INSIGHTS:
            if label in m.skipped:
                add(f"| {label} | - | - | - | **missed**: {m.skipped[label]} |")
                continue
            rps = m.median(label, PROJECT)
            add(
                f"| {label} | {fmt(rps, 1)} | {fmt(m.median(label, PROJECT, 'p99_ms'), 1)} "
                f"| {fmt(div(rps, page), 2)} | {mark(div(rps, page), GOAL_INSIGHT)} |"
            )
        add("")
        peaks = [f"{v:.0f}" for _, v in sorted(m.rss.items())]
        floor_peaks = [f"{v:.0f}" for _, v in sorted(m.floor_rss.items())]
        worst = max(m.rss.values(), default=float("nan"))
        add(
            f"Resident memory of each project worker, peak under load: {', '.join(peaks) or '-'} MiB "
            f"({mark(worst, GOAL_RSS_MIB, higher=False)}, goal ≤ {GOAL_RSS_MIB} MiB per worker at large); "
            f"the floor's: {', '.join(floor_peaks) or '-'} MiB."
        )
        bodies = [f"{k.split(': ', 1)[1]} {v}" for k, v in m.info.items() if k.startswith("body: ")]
        add("")
        add("Body bytes, project / floor: " + "; ".join(bodies) + ".")
        firsts = [f"{k.split(': ', 1)[1]} {v}" for k, v in m.info.items() if k.startswith("first answer")]
        add("")
        add("First (cold) answers of the insights: " + "; ".join(firsts) + ".")
        errors = m.errors()
        add("")
        add("Errors: " + ("; ".join(errors) if errors else "none (every answer 2xx, no socket errors)."))
        if empty := m.empty():
            add("")
            add(
                "No request completed within a measurement (longer --seconds needed): "
                + "; ".join(empty)
                + "."
            )
        add("")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        add(f"### Across sizes: {large} ÷ {small}, project req/s")
        add("")
        add(f"| database | read | {small} | {large} | ratio | goal ≥ {GOAL_FLAT} |")
        add("|---|---|---:|---:|---:|---|")
        for db in dict.fromkeys(d for d, _ in results):
            if (db, small) not in results or (db, large) not in results:
                continue
            for label, _ in READS:
                a, b = (
                    results[(db, small)].median(label, PROJECT),
                    results[(db, large)].median(label, PROJECT),
                )
                add(
                    f"| {db} | {label} | {fmt(a)} | {fmt(b)} | {fmt(div(b, a), 2)} "
                    f"| {mark(div(b, a), GOAL_FLAT)} |"
                )
        add("")
    return "\n".join(lines)


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError):
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        cpu = found.group(1).strip() if found else ""
    mem = ""
    with contextlib.suppress(OSError, AttributeError):
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        mem = f", {kib / MIB:.0f} GiB RAM"
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    return (
        f"{os.cpu_count()} CPUs ({cpu or platform.machine()}){mem}, "
        f"{platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{wrk_version.split(' Copyright')[0].strip()}"
    )


def write_results(path: Path, body: str, args: argparse.Namespace, started: dt.datetime) -> None:
    command = " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/run.py", *sys.argv[1:]])
    text = f"""# Benchmark results

The project against the honest floor (bench/floor.py: the same reads on the same database,
bare FastAPI + SQLAlchemy Core + orjson, no auth, checks or ETags). Medians of {args.rounds}
round(s), {args.seconds} s per measurement, wrk with {args.concurrency} connections, each
server with {args.workers} uvicorn workers, all on loopback on the same machine, rounds
alternating which server goes first. "with key": the project read with a reader API key
(`X-API-Key`; the floor ignores it). Ratios are of requests per second: above 1 is faster.

- Command: `{command}`
- Date: {started:%Y-%m-%d %H:%M} UTC
- Machine: {machine()}

Goals: project ÷ floor ≥ {GOAL_RATIO} (anonymous and with a key); keyset flatness (middle
page ÷ first page, and largest size ÷ smallest) ≥ {GOAL_FLAT}; each insight at most twice the
time of a page of 50 (req/s ratio ≥ {GOAL_INSIGHT}); resident memory ≤ {GOAL_RSS_MIB} MiB per
worker at large.

{body}"""
    # Sections other benchmarks write (imports, exports) between their markers are kept.
    marked = r"<!-- ([\w-]+): start -->.*?<!-- \1: end -->"
    kept = [m.group(0) for m in re.finditer(marked, path.read_text(), re.S)] if path.exists() else []
    path.write_text(text + "".join(f"\n{section}\n" for section in kept))
    log(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="small", help="small, medium, large, or several: small,large")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--seconds", type=int, default=5, help="per measurement (whole seconds)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16, help="wrk connections")
    parser.add_argument(
        "--insight-timeout", type=float, default=120, help="seconds for an insight's first answer"
    )
    parser.add_argument("--smoke", action="store_true", help="CI: small, 1 round of 2 s; no results file")
    parser.add_argument(
        "--results",
        type=Path,
        help="write the Markdown here (default outside --smoke: bench/RESULTS.md; '-' for none)",
    )
    parser.add_argument("--only", choices=("reads", "exports"), help="one of the two benchmarks")
    parser.add_argument("--export-rows", default="100000,1000000", help="CSV exports, rows each")
    parser.add_argument("--export-xlsx", default="100000", help="XLSX exports, rows each (0: none)")
    parser.add_argument("--export-rounds", type=int, default=3)
    parser.add_argument("--export-timeout", type=float, default=900, help="seconds, per export")
    args = parser.parse_args()
    if args.smoke:
        args.size, args.rounds = "small", 1
        if "--seconds" not in sys.argv:
            args.seconds = 2
        args.export_rows, args.export_xlsx, args.export_rounds = "2000,20000", "2000", 1
    reads, exporting = args.only != "exports", args.only != "reads"
    if args.results is None and not args.smoke:
        args.results = BENCH / "RESULTS.md"
    sizes = [s.strip() for s in args.size.split(",")]
    if unknown := [s for s in sizes if s not in datagen.SIZES]:
        parser.error(f"unknown size(s): {', '.join(unknown)}")
    sizes.sort(key=list(datagen.SIZES).index)
    if reads and shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    if len(sizes) > 1 and args.db != "sqlite" and os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        sys.exit("DATABASE_URL names one database: give one size.")

    def stop(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)  # even where a shell started us with SIGINT ignored
    started = dt.datetime.now(dt.UTC)
    results: dict[tuple[str, str], Measured] = {}
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    errors: list[str] = []
    try:
        for size in sizes if reads else []:
            for db in dbs:
                with contextlib.ExitStack() as stack:
                    url = (
                        sqlite_database(size)
                        if db == "sqlite"
                        else stack.enter_context(postgres_database(size))
                    )
                    log(f"{db} {size}: measuring")
                    results[(db, size)] = measure(url, args)
    except KeyboardInterrupt as stopped:
        log(f"interrupted ({stopped or 'Ctrl-C'}): servers stopped, nothing written")
        return 130
    if reads:
        body = report(results, sizes, args)
        print()
        print(body)
        if args.results and str(args.results) != "-":
            write_results(args.results, body, args, started)
        errors += [e for m in results.values() for e in m.errors()]
    if exporting:
        import exports  # beside this file (it imports this one's helpers)

        rows, xlsx = exports.sizes(args.export_rows), exports.sizes(args.export_xlsx)
        try:
            exported = exports.run_all(
                dbs, rows, xlsx, args.export_rounds, not args.smoke, args.export_timeout
            )
        except KeyboardInterrupt as stopped:
            log(f"interrupted ({stopped or 'Ctrl-C'}): servers stopped, exports not written")
            return 130
        command = " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/run.py", *sys.argv[1:]])
        section = exports.report(exported, rows, xlsx, command, args.export_rounds)
        print()
        print(section)
        if args.results:
            exports.splice(args.results, section)
            exports.save_raw(exported)
        errors += [f"exports, {db}: {e}" for db, m in exported.items() for e in m.errors]
    if errors:
        log(f"FAILED: {len(errors)} measurement(s) had errors")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
