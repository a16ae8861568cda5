"""How fast observations import, and whether memory stays flat as files grow.

For each database and size: a fresh database with the roadmap loaded, a tidy (Open SDG) CSV
of that many observations, and `roadmap import` run on it as a user would. Rows per second
are timed by the import itself (its record's start and finish: the CLI's start-up is not
the import's); peak resident memory is the whole process's. Goal: at least 5,000 rows/s on
both databases, and the largest file's peak memory within 10% of the smallest's.

    .venv/bin/python bench/imports.py --rows 100000,1000000 --db both
"""

import argparse
import contextlib
import csv
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, VENV_BIN, log, private_postgres

from api import models

START, END = "<!-- imports: start -->", "<!-- imports: end -->"
GOAL = 5_000
AREAS = [
    "E12000001", "E12000002", "E12000003", "E12000004", "E12000005", "E12000006", "E12000007",
    "E12000008", "E12000009", "E47000007", "E08000025", "E08000026", "E08000027", "E08000028",
    "E08000029", "E08000030", "E08000031", "K02000001", "W92000004", "S92000003",
]  # fmt: skip


def tidy_file(path: Path, rows: int) -> None:
    """Observations of one metric: years by areas by as many breakdowns as it takes."""
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Year", "Group", "GeoCode", "Value"])
        for n in range(rows):
            year, rest = 1900 + n % 200, n // 200
            area, group = AREAS[rest % len(AREAS)], rest // len(AREAS)
            out.writerow([year, f"g{group}" if group else "", area, f"{(n * 7919) % 1000 / 10:.1f}"])


@contextlib.contextmanager
def database(engine: str) -> Iterator[str]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="roadmap-imports.") as home:
            yield f"sqlite:///{home}/bench.db"
    else:
        with private_postgres() as url:
            yield url


def roadmap(url: str, *args: str) -> tuple[int, float]:
    """Run `roadmap ARGS` on this database: its exit status and peak resident memory (MiB)."""
    env = {**os.environ, "DATABASE_URL": url}
    process = subprocess.Popen(
        [str(VENV_BIN / "roadmap"), *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024


def measure(engine: str, rows: int, work: Path) -> dict[str, float]:
    data = work / f"observations-{rows}.csv"
    if not data.exists():
        tidy_file(data, rows)
    with database(engine) as url:
        for step in (["migrate"], ["load-roadmap"]):
            assert roadmap(url, *step)[0] == 0, step
        status, peak = roadmap(
            url,
            "import",
            str(data),
            "--kind",
            "observations",
            "--format",
            "tidy",
            "--metric",
            "non-internet-users",
        )
        assert status == 0, f"the import of {rows:,} rows failed"
        with create_engine(url).connect() as conn:
            D = models.DataImport
            started, finished = conn.execute(select(D.started_at, D.finished_at)).one()  # type: ignore[call-overload]
            imported = conn.execute(text("SELECT count(*) FROM observation")).scalar_one()
    seconds = (finished - started).total_seconds()
    load = os.getloadavg()[0]  # the machine is shared: a run beside other work reads slow
    rate = f"{rows / seconds:,.0f} rows/s"
    log(f"{engine} {rows:,} rows: {seconds:.1f} s, {rate}, peak {peak:.0f} MiB, load {load:.1f}")
    return {
        "rows": rows,
        "imported": imported,
        "seconds": seconds,
        "rate": rows / seconds,
        "peak": peak,
        "load": load,
    }


def report(results: dict[str, list[dict[str, float]]], command: str) -> str:
    lines = [
        START,
        "## Imports: observations from a tidy CSV",
        "",
        f"- Command: `{command}`",
        f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        "",
        f"Goal: ≥ {GOAL:,} rows/s on both databases; peak memory flat (largest file ÷ smallest ≤ 1.1).",
        "",
        f"Load: the machine's 1-minute load average as each import ended ({os.cpu_count()} CPUs).",
        "",
        "| database | rows | seconds | rows/s | goal | peak RSS MiB | load |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for engine, runs in results.items():
        for r in runs:
            met = "met" if r["rate"] >= GOAL else f"**missed** ({r['rate'] / GOAL:.2f} of it)"
            figures = f"{r['rows']:,.0f} | {r['seconds']:.1f} | {r['rate']:,.0f}"
            lines.append(f"| {engine} | {figures} | {met} | {r['peak']:.0f} | {r['load']:.1f} |")
        if len(runs) > 1:
            growth = runs[-1]["peak"] / runs[0]["peak"]
            flat = "met" if growth <= 1.1 else "**missed**"
            lines.append(f"| {engine} | largest ÷ smallest peak | | | {flat} | {growth:.2f} | |")
    lines += ["", END]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="100000,1000000", help="file sizes, comma-separated")
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    engines = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    sizes = [int(s) for s in args.rows.split(",")]
    results: dict[str, list[dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="roadmap-import-files.") as work:
        for engine in engines:
            results[engine] = [measure(engine, rows, Path(work)) for rows in sizes]
    body = report(results, "python bench/imports.py " + " ".join(sys.argv[1:]))
    text_now = args.results.read_text() if args.results.exists() else ""
    if START in text_now:
        before, _, rest = text_now.partition(START)
        text_now = before + body + rest.partition(END)[2]
    else:
        text_now = text_now.rstrip() + "\n\n" + body + "\n"
    args.results.write_text(text_now)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
