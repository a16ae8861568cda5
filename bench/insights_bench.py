"""How long the insight endpoints take on a large generated ecosystem, cold and warm.

    .venv/bin/python bench/insights_bench.py [--orgs 10000] [--collaborations 4000]

Builds a throwaway SQLite database (or uses DATABASE_URL if it names PostgreSQL) with the
West Midlands roadmap plus generated organisations and collaborations of 2 to 6 participants
(a tenth of them serving a roadmap outcome), starts uvicorn on 127.0.0.1 and times each
insight endpoint: twice where the answer is cached per data version (cold, then warm).
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
            api = f"{base}/api/v1"
            mission = httpx.get(f"{api}/missions", params={"q": "economy"}).json()["items"][0]["id"]
            metric = httpx.get(f"{api}/metrics", params={"q": "full fibre"}).json()["items"][0]["id"]
            org = httpx.get(f"{api}/stakeholders", params={"q": "Generated org 000500"}).json()["items"][0][
                "id"
            ]
            calls = [
                ("GET /network/metrics (cold)", "/network/metrics"),
                ("GET /network/metrics (warm)", "/network/metrics"),
                ("GET /network (whole graph)", "/network"),
                ("GET /insights/overlaps (cold)", "/insights/overlaps"),
                ("GET /insights/overlaps (warm)", "/insights/overlaps"),
                ("GET /missions/{M4}/progress", f"/missions/{mission}/progress"),
                ("GET /missions/{M4}/contributors", f"/missions/{mission}/contributors"),
                ("GET /metrics/{fibre}/progress", f"/metrics/{metric}/progress"),
                ("GET /metrics/{fibre}/comparison", f"/metrics/{metric}/comparison?level=local_authority"),
                ("GET /support-schemes/match", f"/support-schemes/match?stakeholder={org}"),
                ("GET /stories", "/stories"),
            ]
            print(f"{args.orgs} organisations, {args.collaborations} collaborations")
            for label, path in calls:
                started = time.perf_counter()
                response = httpx.get(f"{api}{path}", timeout=600)
                took = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.text
                body = response.json()
                extra = ""
                if "methods" in body:
                    extra = (
                        f"  nodes={body['nodes']} edges={body['edges']} ({body['methods']['betweenness']})"
                    )
                print(f"  {label:36} {took:8.0f} ms  {len(response.content) / 1e3:8.0f} kB{extra}")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
