"""Whether a list downloaded as one file streams in constant memory, and how fast (issue 13).

Every list answers `?format=csv|xlsx` with every page as one file (api/listing.py: pages of
500 rows, each read in a session of its own). This downloads one metric's observations,
100k and 1M rows, as CSV (and 100k as XLSX) from the project (`uvicorn api.main:app`, one
worker) and from the floor (bench/floor.py: the same keyset pages of 500 from SQLAlchemy
Core rows, written with the csv module or openpyxl's write-only workbook, no ORM, no
pydantic), side by side on the same database, rounds alternating who goes first. Each
download is from a worker started afresh and warmed by a 1,000-row export of the same
format, and streamed by httpx to nowhere (bytes and rows counted); the worker's resident
memory (VmRSS, and RssAnon, from /proc/<pid>/status) is read every 50 ms meanwhile. It
reports medians over the rounds: rows/s, MB/s, RSS before, peak and growth (peak less before),
and the project ÷ floor ratios, against the goals below.

    .venv/bin/python bench/run.py --only exports --db both      # 100k and 1M rows; writes bench/RESULTS.md
    .venv/bin/python bench/exports.py --rows 100000,1000000 --xlsx 100000 --db both   # the same
    .venv/bin/python bench/run.py --smoke                       # with the reads: 2k and 20k rows, 1 round

The data: a fresh database (migrations, the roadmap seed), and one metric per size whose
observations are written in bulk (executemany on SQLite, COPY on PostgreSQL): the seed's 25
areas, by day, by ten breakdowns, a few flags and notes. SQLite files are kept in bench/.data
(keyed by sizes, schema head and this generator); PostgreSQL is a private throwaway cluster.
Every server and cluster is stopped on the way out, whatever the way out.
"""

import argparse
import contextlib
import hashlib
import inspect
import json
import os
import random
import re
import shlex
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, Table, insert, select, text
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import datagen
from run import BENCH, DATA, MIB, ROOT, Sampling, Server, log, private_postgres

from api import migrate, models
from api.db import make_engine
from api.seed import loader

# Goals (issue 13).
GOAL_GROWTH_MIB = 64  # a 1M-row CSV export: peak RSS less RSS before, at most
GOAL_FLAT_MIB = 16  # the 1M export's growth at most the 100k export's + this: flat in rows
GOAL_RATIO = 0.25  # project ÷ floor, rows per second of a CSV export

START, END = "<!-- exports: start -->", "<!-- exports: end -->"
WARM = 1_000  # rows of the metric that warms a fresh worker
SAMPLE = 0.05  # seconds between RSS samples
PROJECT, FLOOR = "project", "floor"
PATH = "/api/v1/metrics/{metric}/observations?format={fmt}"
BREAKDOWNS: list[dict[str, str]] = [
    {},
    {"age": "16-24"},
    {"age": "25-44"},
    {"age": "45-64"},
    {"age": "65+"},
    {"sex": "female"},
    {"sex": "male"},
    {"age": "65+", "sex": "female"},
    {"disability": "disabled"},
    {"disability": "not_disabled"},
]


# Data ------------------------------------------------------------------------------------------


def code(rows: int) -> str:
    return f"bench-export-{rows}"


def metric_row(rows: int) -> dict[str, Any]:
    return {
        "id": models.new_id(),
        "version": 1,
        "created_at": datetime(2025, 1, 1, tzinfo=UTC),
        "updated_at": datetime(2025, 1, 1, tzinfo=UTC),
        "code": code(rows),
        "name": f"Bench export: {rows:,} observations",
        "unit": "percent",
        "direction": "higher_is_better",
        "frequency": "annual",
        "progress_method": "pace",
    }


def observation_rows(conn: Connection, metric_id: str, areas: list[str], n: int) -> Iterator[tuple[Any, ...]]:
    """n observations of one metric, as the driver takes them: by day, area and breakdown."""
    T: Table = models.Observation.__table__  # type: ignore[attr-defined]
    dialect = conn.dialect

    def bind(column: str) -> Callable[[Any], Any]:
        processor = T.c[column].type.dialect_impl(dialect).bind_processor(dialect)
        return processor or (lambda value: value)

    moment, number, day, as_json = bind("created_at"), bind("value"), bind("date"), bind("breakdown")
    stamp = moment(datetime(2025, 3, 1, 9, 30, 15, 250_000, tzinfo=UTC))
    breakdowns = [(as_json(b), models.breakdown_key(b)) for b in BREAKDOWNS]
    flags = [as_json([]), as_json(["provisional"]), as_json(["revised", "estimated"])]
    row = itemgetter(*(c.name for c in T.columns))
    rng = random.Random(n)
    per_day = len(areas) * len(breakdowns)
    first = date(2024, 12, 31) - timedelta(days=-(-n // per_day) - 1)
    for i in range(n):
        d, rest = divmod(i, per_day)
        a, b = divmod(rest, len(breakdowns))
        yield row(
            {
                "id": str(uuid.uuid4()),
                "version": 1 + (i % 97 == 0),
                "created_at": stamp,
                "updated_at": stamp,
                "metric_id": metric_id,
                "area_id": areas[a],
                "collaboration_id": None,
                "value": number(Decimal(f"{rng.uniform(2, 40):.1f}")),
                "date": day(first + timedelta(days=d)),
                "source": "Bench: generated, by area and breakdown",
                "note": 'Revised, see "methodology"; was higher' if i % 101 == 0 else None,
                "breakdown": breakdowns[b][0],
                "breakdown_key": breakdowns[b][1],
                "flags": flags[1 if i % 50 == 0 else 2 if i % 199 == 0 else 0],
                "qualifier": "approx" if i % 37 == 0 else "eq",
            }
        )


def write_rows(conn: Connection, rows: Iterator[tuple[Any, ...]], batch: int = 20_000) -> None:
    """In bulk: COPY on PostgreSQL, one executemany a batch on SQLite."""
    T: Table = models.Observation.__table__  # type: ignore[attr-defined]
    quote = conn.dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in T.columns)
    if conn.dialect.name == "postgresql":
        driver = conn.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(f"COPY observation ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
            for r in rows:
                copy.write_row(r)
        return
    statement = f"INSERT INTO observation ({names}) VALUES ({', '.join('?' * len(T.columns))})"
    chunk: list[tuple[Any, ...]] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) == batch:
            conn.exec_driver_sql(statement, chunk)
            chunk = []
    if chunk:
        conn.exec_driver_sql(statement, chunk)


def build(url: str, sizes: list[int]) -> None:
    """Migrations, the seed, then a metric of each size (and the warm-up one) in bulk."""
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with sessionmaker(engine, class_=Session)() as session:
            loader.load(session)
            session.commit()
    finally:
        engine.dispose()
    bulk = datagen._bulk_engine(url)
    M: Table = models.Metric.__table__  # type: ignore[attr-defined]
    A: Table = models.Area.__table__  # type: ignore[attr-defined]
    try:
        with bulk.begin() as conn:
            areas = sorted(conn.scalars(select(A.c.id)))
            for n in [WARM, *sizes]:
                started = time.perf_counter()
                metric = metric_row(n)
                conn.execute(insert(M), [metric])
                write_rows(conn, observation_rows(conn, metric["id"], areas, n))
                log(f"  {n:>9,} observations in {time.perf_counter() - started:.0f} s")
        with bulk.connect() as conn:
            if bulk.dialect.name == "postgresql":
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
            else:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")  # as the project keeps it
    finally:
        bulk.dispose()


def metrics_in(url: str) -> dict[int, str]:
    """The bench metrics' ids by their number of rows."""
    engine = make_engine(url)
    M: Table = models.Metric.__table__  # type: ignore[attr-defined]
    try:
        with engine.connect() as conn:
            found = conn.execute(select(M.c.code, M.c.id).where(M.c.code.like("bench-export-%")))
            return {int(c.rsplit("-", 1)[1]): i for c, i in found}
    finally:
        engine.dispose()


def cache_key(sizes: list[int]) -> str:
    """The sizes, the schema head, and what shapes the rows: the migrations' text, the seed,
    the generator (build() only calls these)."""
    digest = hashlib.sha1(repr((BREAKDOWNS, WARM)).encode())
    for source in (metric_row, observation_rows, write_rows, models.new_id):
        digest.update(inspect.getsource(source).encode())
    digest.update(loader.WEST_MIDLANDS.read_bytes())
    for migration in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(migration.read_bytes())
    return f"exports-{'-'.join(map(str, sizes))}-{migrate.head_revision()}-{digest.hexdigest()[:10]}"


@contextlib.contextmanager
def database(engine: str, sizes: list[int]) -> Iterator[str]:
    """A database holding a metric of each size: a kept SQLite file, or a private cluster."""
    if engine == "postgres":
        with private_postgres() as url:
            log(f"postgresql: generating {', '.join(f'{n:,}' for n in sizes)} observations")
            build(url, sizes)
            yield url
        return
    DATA.mkdir(exist_ok=True)
    path = DATA / f"{cache_key(sizes)}.db"
    if path.exists():
        log(f"sqlite: cached {path.relative_to(ROOT)} ({path.stat().st_size / MIB:.0f} MiB)")
    else:
        for old in DATA.glob(f"exports-{'-'.join(map(str, sizes))}-*"):  # superseded
            old.unlink()
        partial = path.with_suffix(".partial")
        log(f"sqlite: generating {path.relative_to(ROOT)}")
        build(f"sqlite:///{partial}", sizes)
        for suffix in ("-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        partial.rename(path)
    yield f"sqlite:///{path}"


# Measurement -----------------------------------------------------------------------------------


def memory(pid: int) -> tuple[float, float]:
    """VmRSS and RssAnon of a process, MiB (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0, 0.0
    found = [re.search(rf"^{name}:\s+(\d+) kB", status, re.M) for name in ("VmRSS", "RssAnon")]
    rss, anon = (int(m.group(1)) / 1024 if m else 0.0 for m in found)
    return rss, anon


class Sampler(Sampling):
    """The worker's peak VmRSS and RssAnon, read every SAMPLE seconds while a download runs."""

    every = SAMPLE

    def __init__(self, pid: int) -> None:
        super().__init__()
        self.pid, self.peak, self.peak_anon, self.samples = pid, 0.0, 0.0, 0

    def sample(self) -> None:
        rss, anon = memory(self.pid)
        self.peak, self.peak_anon = max(self.peak, rss), max(self.peak_anon, anon)
        self.samples += 1


@dataclass
class Download:
    who: str
    round: int
    fmt: str
    rows: int  # the metric's
    got: int  # rows in the file
    bytes: int
    seconds: float
    first_byte: float
    before: float
    peak: float
    after: float
    before_anon: float
    peak_anon: float
    samples: int
    digest: str
    load: float  # the machine's 1-minute load average as the download ended

    @property
    def growth(self) -> float:
        return self.peak - self.before

    @property
    def growth_anon(self) -> float:
        return self.peak_anon - self.before_anon


def xlsx_rows(path: Path) -> int:
    """Data rows in a workbook (its sheets' <row> elements less each heading), read as a stream."""
    rows = 0
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with book.open(name) as sheet:
                    tail = b""
                    while chunk := sheet.read(1 << 20):
                        rows += (tail + chunk).count(b"<row")
                        tail = chunk[-3:]
                rows -= 1
    return rows


def download(server: Server, path: str, fmt: str, rows: int, timeout: float, round_: int = 0) -> Download:
    """One file, streamed from the server to nowhere while its worker's memory is sampled."""
    pid = server.worker_pids()[0]
    time.sleep(0.3)  # settled after the warm-up
    before, before_anon = memory(pid)
    size = newlines = 0
    first = 0.0
    digest = hashlib.sha1()
    with contextlib.ExitStack() as keep:  # an XLSX is kept on disk, to count its rows after
        sink = keep.enter_context(tempfile.NamedTemporaryFile(suffix=".xlsx")) if fmt == "xlsx" else None
        with Sampler(pid) as sampler, httpx.Client(timeout=httpx.Timeout(timeout, connect=10)) as client:
            started = time.perf_counter()
            with client.stream("GET", server.base + path, headers={"Accept-Encoding": "identity"}) as answer:
                if answer.status_code != 200:
                    answer.read()
                    raise RuntimeError(f"{server.name}: {path}: {answer.status_code} {answer.text[:300]}")
                for chunk in answer.iter_raw(64 * 1024):
                    if not size:
                        first = time.perf_counter() - started
                    size += len(chunk)
                    newlines += chunk.count(b"\n")
                    digest.update(chunk)
                    if sink is not None:
                        sink.write(chunk)
                    if time.perf_counter() - started > timeout:
                        raise TimeoutError(f"{server.name}: {path} took over {timeout:.0f} s")
            seconds = time.perf_counter() - started
        after, _ = memory(pid)
        if sink is not None:
            sink.flush()
            got = xlsx_rows(Path(sink.name))
        else:
            got = newlines - 1  # the heading (no cell of these rows holds a line break)
    return Download(
        server.name, round_, fmt, rows, got, size, seconds, first, before, sampler.peak, after,
        before_anon, sampler.peak_anon, sampler.samples, digest.hexdigest(), os.getloadavg()[0],
    )  # fmt: skip


def fetch_text(server: Server, path: str) -> bytes:
    response = httpx.get(server.base + path, timeout=120)
    if response.status_code != 200:
        raise RuntimeError(f"{server.name} answered {path}: {response.status_code} {response.text[:300]}")
    return response.content


@dataclass
class Measured:
    downloads: list[Download] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fresh: bool = True

    def of(self, fmt: str, rows: int, who: str) -> list[Download]:
        return [d for d in self.downloads if (d.fmt, d.rows, d.who) == (fmt, rows, who)]

    def median(self, fmt: str, rows: int, who: str, value: Callable[[Download], float]) -> float:
        found = [value(d) for d in self.of(fmt, rows, who)]
        return statistics.median(found) if found else float("nan")

    def worst(self, fmt: str, rows: int, who: str) -> float:
        return max((d.growth for d in self.of(fmt, rows, who)), default=float("nan"))

    def ratios(self, fmt: str, rows: int) -> list[float]:
        """Project ÷ floor rows/s in each round (the two measured back to back, so under much
        the same load from whatever else the machine runs)."""
        floors = {d.round: d.seconds for d in self.of(fmt, rows, FLOOR)}
        return [floors[d.round] / d.seconds for d in self.of(fmt, rows, PROJECT) if d.round in floors]

    def ratio(self, fmt: str, rows: int) -> float:
        ratios = self.ratios(fmt, rows)
        return statistics.median(ratios) if ratios else float("nan")


def check(project: Server, floor: Server, metric: str, result: Measured) -> None:
    """The warm-up metric's CSV from both: the same rows, in the same order, the same bytes."""
    path = PATH.format(metric=metric, fmt="csv")
    mine, bare = (fetch_text(s, path).decode().splitlines() for s in (project, floor))
    if len(mine) != WARM + 1 or len(bare) != WARM + 1:
        raise RuntimeError(f"the warm-up CSV has {len(mine) - 1:,} rows (project), {len(bare) - 1:,} (floor)")
    if [line.split(",", 1)[0] for line in mine] != [line.split(",", 1)[0] for line in bare]:
        raise RuntimeError("project and floor give the observations in different orders")
    if mine != bare:
        at = next(i for i, (a, b) in enumerate(zip(mine, bare, strict=True)) if a != b)
        result.notes.append(f"the CSVs differ from line {at + 1}: project `{mine[at]}`, floor `{bare[at]}`")


def measure(url: str, rows: list[int], xlsx: list[int], rounds: int, fresh: bool, timeout: float) -> Measured:
    result = Measured(fresh=fresh)
    metrics = metrics_in(url)
    cases = [("csv", n) for n in rows] + [("xlsx", n) for n in xlsx]
    if url.startswith("sqlite:///"):  # into the page cache, so that round 1 reads no disk either
        with Path(url.removeprefix("sqlite:///")).open("rb") as f:
            while f.read(1 << 24):
                pass
    with contextlib.ExitStack() as stack:  # both start at once; both stopped on the way out
        project = Server(PROJECT, "api.main:app", url, 1)
        stack.push(project)
        floor = Server(FLOOR, "floor:app", url, 1, ["--app-dir", str(BENCH)])
        stack.push(floor)
        project.wait_ready()
        floor.wait_ready()
        servers = {PROJECT: project, FLOOR: floor}
        check(project, floor, metrics[WARM], result)
        for round_ in range(rounds):
            for case, (fmt, n) in enumerate(cases):
                order = [PROJECT, FLOOR] if (round_ + case) % 2 == 0 else [FLOOR, PROJECT]
                for who in order:
                    server = servers[who]
                    if fresh:
                        server.restart()
                    fetch_text(server, PATH.format(metric=metrics[WARM], fmt=fmt))  # the warm-up
                    got = download(server, PATH.format(metric=metrics[n], fmt=fmt), fmt, n, timeout, round_)
                    if got.got != n:
                        result.errors.append(f"{who} {fmt} of {n:,} rows gave {got.got:,}")
                    result.downloads.append(got)
                    log(
                        f"  {who:7} {fmt} {n:>9,} rows: {got.seconds:6.1f} s, "
                        f"{n / got.seconds:8,.0f} rows/s, RSS {got.before:.0f} → peak {got.peak:.0f} MiB "
                        f"(+{got.growth:.1f}), after {got.after:.0f}, load {got.load:.1f}"
                    )
            log(f"  round {round_ + 1}/{rounds} done")
    for fmt, n in cases:  # the project's file and the floor's: the same bytes (CSV)?
        digests = {d.who: d.digest for d in result.downloads if (d.fmt, d.rows) == (fmt, n)}
        if fmt == "csv" and len(set(digests.values())) > 1:
            result.notes.append(f"the {n:,}-row CSVs are not byte for byte the same")
    return result


def run_all(
    dbs: list[str], rows: list[int], xlsx: list[int], rounds: int, fresh: bool, timeout: float
) -> dict[str, Measured]:
    results: dict[str, Measured] = {}
    for db in dbs:
        with database(db, sorted(set(rows + xlsx))) as url:
            log(f"{db}: exports, {rounds} round(s)")
            results[db] = measure(url, rows, xlsx, rounds, fresh, timeout)
    return results


def save_raw(results: dict[str, Measured]) -> None:
    """Every figure of the run just written up, for another look (bench/.data: not in git)."""
    DATA.mkdir(exist_ok=True)
    raw = {db: [asdict(d) for d in m.downloads] for db, m in results.items()}
    (DATA / "exports-last.json").write_text(json.dumps(raw, indent=1))


# Report ----------------------------------------------------------------------------------------


def _f(value: float, digits: int = 0) -> str:
    return "-" if value != value else f"{value:,.{digits}f}"


def _mark(ok: bool, value: float) -> str:
    return "-" if value != value else ("met" if ok else "**missed**")


def goals(m: Measured, rows: list[int]) -> list[tuple[str, str]]:
    """Each goal: what it is, and the figures and verdict on this database."""
    out: list[tuple[str, str]] = []
    small, large = min(rows), max(rows)
    worst = m.worst("csv", large, PROJECT)
    out.append(
        (
            f"CSV of {large:,} rows: growth ≤ {GOAL_GROWTH_MIB} MiB (worst round)",
            f"{_f(worst, 1)} MiB, {_mark(worst <= GOAL_GROWTH_MIB, worst)}",
        )
    )
    if small != large:
        base = m.worst("csv", small, PROJECT)
        out.append(
            (
                f"flat: growth at {large:,} ≤ growth at {small:,} + {GOAL_FLAT_MIB} MiB",
                f"{_f(worst, 1)} ≤ {_f(base, 1)} + {GOAL_FLAT_MIB}: "
                + _mark(worst <= base + GOAL_FLAT_MIB, worst),
            )
        )
    for n in rows:
        ratio = m.ratio("csv", n)
        verdict = _mark(ratio >= GOAL_RATIO, ratio)
        if ratio == ratio and ratio < GOAL_RATIO:
            verdict += f" ({ratio / GOAL_RATIO:.2f} of it)"
        goal = f"CSV of {n:,} rows: project ÷ floor rows/s ≥ {GOAL_RATIO}"
        each = ", ".join(f"{r:.2f}" for r in m.ratios("csv", n))
        out.append((goal, f"{_f(ratio, 2)} (rounds: {each}), {verdict}"))
    return out


def table_rows(m: Measured, fmt: str, n: int) -> list[str]:
    rate = {w: m.median(fmt, n, w, lambda d: d.rows / d.seconds) for w in (PROJECT, FLOOR)}
    out = []
    for who in (PROJECT, FLOOR):
        if not m.of(fmt, n, who):
            continue

        def med(value: Callable[[Download], float], who: str = who) -> float:
            return m.median(fmt, n, who, value)

        ratio = m.ratio(fmt, n) if who == PROJECT else float("nan")
        out.append(
            f"| {fmt.upper()} {n:,} rows, {med(lambda d: d.bytes) / 1e6:,.1f} MB | {who} "
            f"| {_f(med(lambda d: d.seconds), 1)} | {_f(med(lambda d: d.first_byte), 2)} "
            f"| {_f(rate[who])} | {_f(med(lambda d: d.bytes / d.seconds / 1e6), 1)} | {_f(ratio, 2)} "
            f"| {_f(med(lambda d: d.before))} | {_f(med(lambda d: d.peak))} "
            f"| {_f(med(lambda d: d.growth), 1)} ({_f(m.worst(fmt, n, who), 1)}) "
            f"| {_f(med(lambda d: d.growth_anon), 1)} | {_f(med(lambda d: d.after))} |"
        )
    return out


def report(results: dict[str, Measured], rows: list[int], xlsx: list[int], command: str, rounds: int) -> str:
    lines = [
        START,
        "## Exports: a list as one streamed file (issue 13)",
        "",
        f"- Command: `{command}`",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- Machine: {machine()}",
        f"- Code: {revision()}",
        "",
        "One metric's observations as `GET /api/v1/metrics/{id}/observations?format=csv` (and",
        "`xlsx`), streamed by httpx to nowhere, from the project (`uvicorn api.main:app`, one worker)",
        "and from the floor (bench/floor.py: the same keyset pages of 500 from Core rows, the csv",
        "module or openpyxl write-only; no ORM, no pydantic), on the same database, rounds",
        f"alternating who goes first; medians of {rounds} round(s). "
        + (
            "Each download from a worker started afresh and warmed by a 1,000-row export of the same format; "
            if all(m.fresh for m in results.values())
            else "One worker for every download (no restarts), warmed by a 1,000-row export; "
        )
        + f"its VmRSS read from /proc every {SAMPLE * 1000:.0f} ms during the download. Growth: "
        "the peak less the RSS just before. *after*: RSS once the file is sent. Rows/s and MB/s: "
        "from the request to the last byte. Project ÷ floor: the median of each round's ratio.",
        "",
        f"Goals: a CSV export of {max(rows):,} rows grows the worker by ≤ {GOAL_GROWTH_MIB} MiB, and by "
        f"no more than one of {min(rows):,} rows + {GOAL_FLAT_MIB} MiB (flat); project ÷ floor rows/s "
        f"≥ {GOAL_RATIO}.",
        "",
    ]
    for db, m in results.items():
        lines += [
            f"### {db}",
            "",
            "| export | who | seconds | first byte s | rows/s | MB/s | project ÷ floor | RSS before MiB "
            "| peak MiB | growth MiB (max) | anon growth MiB | after MiB |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for fmt, n in [("csv", n) for n in rows] + [("xlsx", n) for n in xlsx]:
            lines += table_rows(m, fmt, n)
        loads = [d.load for d in m.downloads]
        if loads:
            lines += [
                "",
                f"Load (the machine's 1-minute average as each download ended, {os.cpu_count()} CPUs): "
                f"median {statistics.median(loads):.1f}, {min(loads):.1f} to {max(loads):.1f}.",
            ]
        lines += ["", "| goal | result |", "|---|---|"]
        lines += [f"| {goal} | {verdict} |" for goal, verdict in goals(m, rows)]
        lines.append("")
        for note in m.notes:
            lines += [f"Note: {note}.", ""]
        errors = "; ".join(m.errors) if m.errors else "none (every download 200, every row there)."
        lines += [f"Errors: {errors}", ""]
    lines.append(END)
    return "\n".join(lines)


def revision() -> str:
    """The commit measured, and whether the API's code differed from it."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout
    dirty = subprocess.run([*git, "status", "--porcelain", "api"], capture_output=True, text=True).stdout
    return f"{head.strip() or 'unknown'}" + (" with uncommitted changes in api/" if dirty.strip() else "")


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError, AttributeError):
        cpu = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M).group(1)  # type: ignore[union-attr]
    python = sys.version.split()[0]
    return f"{os.cpu_count()} CPUs ({cpu.strip()}); Python {python}, SQLite {sqlite3.sqlite_version}"


def splice(path: Path, section: str) -> None:
    """This section into the results file, in place of the last one (or at the end). Its first
    line is its start marker (`<!-- exports: start -->`; bench/soak.py's too)."""
    start = section.partition("\n")[0]
    end, name = start.replace(": start", ": end"), start.removeprefix("<!-- ").partition(":")[0]
    text_now = path.read_text() if path.exists() else ""
    if start in text_now:
        before, _, rest = text_now.partition(start)
        text_now = before + section + rest.partition(end)[2]
    else:
        text_now = text_now.rstrip() + "\n\n" + section + "\n"
    path.write_text(text_now)
    log(f"wrote the {name} section of {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def sizes(text_: str) -> list[int]:
    return [int(s.replace("_", "")) for s in text_.split(",") if s.strip() and int(s.replace("_", ""))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="100000,1000000", help="CSV exports, rows (comma-separated)")
    parser.add_argument("--xlsx", default="100000", help="XLSX exports, rows (comma-separated; 0 for none)")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900, help="seconds, per download")
    parser.add_argument("--no-restart", action="store_true", help="one worker for every download")
    parser.add_argument("--results", type=Path, default=BENCH / "RESULTS.md", help="'-' for none")
    args = parser.parse_args()

    def stop(signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows, xlsx = sizes(args.rows), sizes(args.xlsx)
    try:
        results = run_all(dbs, rows, xlsx, args.rounds, not args.no_restart, args.timeout)
    except KeyboardInterrupt as stopped:
        log(f"interrupted ({stopped or 'Ctrl-C'}): servers stopped, nothing written")
        return 130
    command = " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/exports.py", *sys.argv[1:]])
    section = report(results, rows, xlsx, command, args.rounds)
    print(section)
    if str(args.results) != "-":
        splice(args.results, section)
        save_raw(results)
    return 1 if any(m.errors for m in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
