"""Throughput of the read paths (and one audited write) against a real server on loopback.

    .venv/bin/python bench/api_bench.py [--rows 10000] [--seconds 5] [--concurrency 16]

Builds a throwaway SQLite database (or uses DATABASE_URL if it names PostgreSQL), loads
the West Midlands roadmap plus `--rows` generated organisations, starts uvicorn on
127.0.0.1, and measures requests per second for: get one stakeholder, a page of 50
stakeholders, a filtered page, a deep keyset page, a page of 50 observations, the same
read with an API key, and a PATCH of a stakeholder by an editor (with its audit record).
Bounded in time and count; stops by itself.
"""

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, select
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from api import migrate, models
from api.auth.service import token_hash
from api.db import make_engine
from api.seed import loader

KINDS = ["business", "university", "public_body", "third_sector", "network"]


def populate(url: str, rows: int) -> dict[str, str]:
    migrate.upgrade(url)
    engine = make_engine(url)
    with sessionmaker(engine, class_=Session)() as session:
        loader.load(session)
        session.flush()
        area_ids = list(session.scalars(select(models.Area.id)))
        orgs = [
            models.Stakeholder(name=f"Generated org {i:06}", kind=random.choice(KINDS)) for i in range(rows)
        ]
        session.add_all(orgs)
        session.flush()
        session.execute(
            insert(models.StakeholderArea),
            [{"stakeholder_id": o.id, "area_id": random.choice(area_ids)} for o in orgs],
        )
        session.execute(
            insert(models.StakeholderSector),
            [{"stakeholder_id": o.id, "sector": random.choice(["digital", "health", "data"])} for o in orgs],
        )
        metric = session.scalars(select(models.Metric)).first()
        assert metric is not None
        start = date(2000, 1, 1)
        session.add_all(
            models.Observation(
                metric_id=metric.id,
                area_id=area_ids[0],
                value=random.randint(0, 100),
                date=start + timedelta(days=d),
            )
            for d in range(2000)
        )
        secret = "rk_bench-editor-key"
        key = models.ApiKey(name="bench", role="editor", prefix=secret[:11], secret_hash=token_hash(secret))
        session.add(key)
        session.commit()
        return {
            "stakeholder": orgs[rows // 2].id,
            "metric": metric.id,
            "key": secret,
            "orgs": [o.id for o in orgs[:64]],
        }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


Call = Callable[[httpx.Client, int, int], httpx.Response]


def get(path: str, headers: dict[str, str] | None = None) -> Call:
    return lambda client, worker, n: client.get(path, headers=headers)


def hammer(base: str, call: Call, seconds: float, concurrency: int) -> tuple[float, float]:
    """Requests per second and median latency (ms); every answer must be a 200."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker(number: int) -> None:
        with httpx.Client(base_url=base) as client:
            mine = []
            while time.perf_counter() < deadline and len(mine) < 100_000:
                t = time.perf_counter()
                response = call(client, number, len(mine))
                assert response.status_code == 200, response.text
                mine.append(time.perf_counter() - t)
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - started), statistics.median(latencies) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgresql"):
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        ids = populate(url, args.rows)
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "api.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            deep = httpx.get(f"{base}/api/v1/stakeholders", params={"limit": 500}).json()["next_cursor"]
            editor = {"Authorization": f"Bearer {ids['key']}"}
            one = f"/api/v1/stakeholders/{ids['stakeholder']}"

            def patch(client: httpx.Client, worker: int, n: int) -> httpx.Response:
                # Each worker edits its own organisation, and each edit changes something.
                url = f"/api/v1/stakeholders/{ids['orgs'][worker % 64]}"
                body = {"description": f"edit {n}"}
                return client.patch(url, json=body, headers={**editor, "If-Match": "*"})

            cases: dict[str, Call] = {
                "get one stakeholder": get(one),
                "get one stakeholder with an API key": get(one, editor),
                "page of 50 stakeholders": get("/api/v1/stakeholders?limit=50"),
                "filtered page (kind, area within WM)": get(
                    "/api/v1/stakeholders?limit=50&kind=university&area=E12000005"
                ),
                "keyset page after 500 rows": get(f"/api/v1/stakeholders?limit=50&cursor={deep}"),
                "page of 50 observations": get(f"/api/v1/metrics/{ids['metric']}/observations?limit=50"),
                "PATCH a stakeholder (editor, audited)": patch,
            }
            backend = url.split(":", 1)[0]
            print(
                f"{backend}, {args.rows} generated organisations, {args.concurrency} clients, "
                f"{args.seconds}s each"
            )
            for name, call in cases.items():
                rate, median = hammer(base, call, args.seconds, args.concurrency)
                print(f"  {name:40} {rate:8.0f} req/s   median {median:6.1f} ms")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
