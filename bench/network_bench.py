"""How long /api/v1/network/metrics takes, cold and warm, on a large generated ecosystem.

    .venv/bin/python bench/network_bench.py [--orgs 10000] [--collaborations 4000]

Builds a throwaway SQLite database (or uses DATABASE_URL if it names PostgreSQL) with the
West Midlands roadmap plus generated organisations and collaborations of 2 to 6 participants,
starts uvicorn on 127.0.0.1 and times the first call (computed) and the next (cached).
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import insert, select
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from api import migrate, models
from api.db import make_engine
from api.seed import loader

sys.path.insert(0, str(Path(__file__).parent))
from api_bench import KINDS, free_port


def populate(url: str, orgs: int, collaborations: int) -> None:
    migrate.upgrade(url)
    rng = random.Random(0)
    engine = make_engine(url)
    with sessionmaker(engine, class_=Session)() as session:
        loader.load(session)
        session.flush()
        area_ids = list(session.scalars(select(models.Area.id)))
        made = [models.Stakeholder(name=f"Generated org {i:06}", kind=rng.choice(KINDS)) for i in range(orgs)]
        session.add_all(made)
        session.flush()
        session.execute(
            insert(models.StakeholderArea),
            [{"stakeholder_id": o.id, "area_id": rng.choice(area_ids)} for o in made],
        )
        projects = [
            models.Collaboration(title=f"Generated project {i:05}", kind="project")
            for i in range(collaborations)
        ]
        session.add_all(projects)
        session.flush()
        # Clustered: most partners come from a neighbourhood of the project's first partner.
        rows = []
        for project in projects:
            anchor = rng.randrange(orgs)
            members = {anchor} | {(anchor + rng.randint(-50, 50)) % orgs for _ in range(rng.randint(1, 5))}
            if rng.random() < 0.1:
                members.add(rng.randrange(orgs))
            rows += [
                {
                    "id": str(models.new_id()),
                    "collaboration_id": project.id,
                    "stakeholder_id": made[m].id,
                    "role": "partner",
                }
                for m in members
            ]
        session.execute(insert(models.Participant), rows)
        session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--collaborations", type=int, default=4_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgresql"):
            url = f"sqlite:///{Path(tmp) / 'network.db'}"
        populate(url, args.orgs, args.collaborations)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.main:app", "--port", str(port), "--log-level", "warning"],
            env={**os.environ, "DATABASE_URL": url},
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            for label in ("cold", "warm", "warm"):
                started = time.perf_counter()
                body = httpx.get(f"{base}/api/v1/network/metrics", timeout=600).json()
                took = time.perf_counter() - started
                print(
                    f"{label}: {took * 1000:8.0f} ms  cached={body['cached']}  nodes={body['nodes']} "
                    f"edges={body['edges']}  communities={len(body['communities'])}+  "
                    f"betweenness: {body['methods']['betweenness']}"
                )
            started = time.perf_counter()
            graph = httpx.get(f"{base}/api/v1/network", timeout=600)
            print(
                f"GET /network (cached analysis): {(time.perf_counter() - started) * 1000:.0f} ms, "
                f"{len(graph.content) / 1e6:.1f} MB"
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
