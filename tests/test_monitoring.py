"""/metrics: the Prometheus text format, with bounded labels, the pool, admission and refusals."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import anyio
import httpx
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from api.config import Settings
from api.main import create_app
from api.middleware import Admission

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> Samples:
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain; version=")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(r.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_requests_are_timed_and_counted_by_route_template_not_raw_path(anon: TestClient) -> None:
    route = "/api/v1/stakeholders/{id}"
    before = scrape(anon)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for id_ in ids:
        assert anon.get(f"/api/v1/stakeholders/{id_}").status_code == 404
    assert anon.get("/api/v1/areas").status_code == 200
    after = scrape(anon)
    count = "http_request_duration_seconds_count"
    assert grew(before, after, count, route=route, method="GET") == 3
    assert value(after, "http_request_duration_seconds_bucket", route=route, method="GET", le="+Inf") >= 3
    responses = "http_responses_total"
    assert grew(before, after, responses, route=route, method="GET", status="404") == 3
    assert value(after, responses, route="/api/v1/areas", method="GET", status="200") >= 1
    assert not any(id_ in label for id_ in ids for _, labels in after for _, label in labels)


def test_unknown_paths_and_methods_share_one_label_each(anon: TestClient) -> None:
    before = scrape(anon)
    for n in range(3):
        anon.get(f"/no/such/{n}")
    anon.request("BREW", "/api/v1/areas")
    after = scrape(anon)
    count = "http_request_duration_seconds_count"
    assert grew(before, after, count, route="unmatched", method="GET") == 3
    assert value(after, count, route="/api/v1/areas", method="OTHER") >= 1
    assert not any("/no/such" in label or "BREW" in label for _, labels in after for _, label in labels)


def test_the_pool_is_read_at_scrape_time(anon: TestClient, engine: Engine) -> None:
    samples = scrape(anon)
    assert value(samples, "roadmap_db_pool_size", engine="api") == engine.pool.size()  # type: ignore[attr-defined]
    assert ("roadmap_db_pool_checked_out", frozenset({("engine", "api")})) in samples
    assert ("roadmap_db_pool_overflow", frozenset({("engine", "api")})) in samples


def test_sign_in_refusals_count_as_rate_limited(anon: TestClient) -> None:
    before = value(scrape(anon), "roadmap_rate_limited_total", limit="sign-in")
    form = {"username": "nobody@example.org", "password": "guess"}
    statuses = [anon.post("/api/v1/auth/token", data=form).status_code for _ in range(7)]
    assert statuses == [401] * 5 + [429] * 2
    assert value(scrape(anon), "roadmap_rate_limited_total", limit="sign-in") - before == 2


def test_metrics_are_left_out_of_the_document_and_of_admission(app: Any) -> None:
    assert "/metrics" not in app.openapi()["paths"]
    stack = app.middleware_stack
    while not isinstance(stack, Admission):
        stack = stack.app
    assert "/metrics" in stack.exempt


def test_a_metrics_token_when_set_is_required(engine: Engine, database_url: str) -> None:
    app = create_app(Settings(database_url=database_url, metrics_token="s3cret"), engine=engine)
    with TestClient(app) as c:
        refused = c.get("/metrics")
        assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert c.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200


async def _admission_counts() -> tuple[list[int], float, float]:
    """Admission(limit=1, queue=0): the second request is shed while the first is in flight."""
    from prometheus_client import REGISTRY

    release = anyio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    guarded = Admission(app, limit=1, queue=0, wait=1.0, exempt=(), downloads=1)
    shed_before = REGISTRY.get_sample_value("roadmap_admission_shed_total") or 0.0
    statuses: list[int] = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=guarded), base_url="http://t") as c:

        async def call() -> None:
            statuses.append((await c.get("/")).status_code)

        async with anyio.create_task_group() as tg:
            tg.start_soon(call)
            await anyio.sleep(0.05)
            in_flight = REGISTRY.get_sample_value("roadmap_admission_in_flight") or 0.0
            await call()
            release.set()
    shed = (REGISTRY.get_sample_value("roadmap_admission_shed_total") or 0.0) - shed_before
    return statuses, in_flight, shed


def test_admission_counts_what_is_in_flight_and_what_it_sheds() -> None:
    statuses, in_flight, shed = anyio.run(_admission_counts)
    assert sorted(statuses) == [200, 503]
    assert in_flight >= 1 and shed == 1


MULTIPROCESS_RUN = """
import sys
from fastapi.testclient import TestClient
from api.config import Settings
from api.main import create_app
with TestClient(create_app(Settings(database_url=sys.argv[1]))) as c:
    c.get("/healthz")
    sys.stdout.write(c.get("/metrics").text)
"""


def test_with_a_multiprocess_folder_the_workers_counts_are_read_from_it(
    tmp_path: Path, database_url: str
) -> None:
    """A worker's counts go to the folder, where every worker's are summed (prometheus_client's job)."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, "-c", MULTIPROCESS_RUN, database_url],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert list(tmp_path.glob("counter_*.db")) and list(tmp_path.glob("histogram_*.db"))
    samples = {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(run.stdout)
        for s in family.samples
    }
    assert value(samples, "http_responses_total", route="/healthz", method="GET", status="200") == 1
    assert ("roadmap_db_pool_size", frozenset({("engine", "api")})) in samples
