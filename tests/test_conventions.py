"""Cross-cutting behaviour every endpoint shares: errors, limits, health, CORS."""

from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


def test_unknown_path_is_a_problem(client: TestClient) -> None:
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["title"] == "Not Found"


def test_wrong_method_is_a_problem(client: TestClient) -> None:
    r = client.put("/api/v1/stakeholders")
    assert r.status_code == 405
    assert r.headers["content-type"] == PROBLEM


def test_malformed_json_is_a_validation_problem(client: TestClient) -> None:
    r = client.post("/api/v1/areas", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["errors"][0]["type"] == "json_invalid"


def test_body_over_the_limit_is_refused_before_parsing(client: TestClient) -> None:
    big = b'{"name": "' + b"x" * 2_000_000 + b'"}'
    r = client.post("/api/v1/areas", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.headers["content-type"] == PROBLEM
    assert client.get("/api/v1/areas").json()["items"] == []


def test_streamed_body_over_the_limit_is_refused(client: TestClient) -> None:
    def chunks():  # no Content-Length: the limit is counted as the body arrives
        for _ in range(40):
            yield b"x" * 50_000

    r = client.post("/api/v1/areas", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"


def test_cors_allows_the_web_app_and_exposes_conditional_headers(client: TestClient) -> None:
    r = client.options(
        "/api/v1/areas",
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "if-match",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "http://localhost:5173"
    got = client.get("/api/v1/areas", headers={"Origin": "http://localhost:5173"})
    assert "ETag" in got.headers["access-control-expose-headers"]


def test_times_carry_a_zone(client: TestClient) -> None:
    area = client.post("/api/v1/areas", json={"name": "Ward", "kind": "ward"}).json()
    assert area["created_at"].endswith("Z") or "+00:00" in area["created_at"]


def test_nul_characters_are_refused_not_stored(client: TestClient) -> None:
    r = client.post("/api/v1/stakeholders", json={"name": "A\u0000B", "kind": "business"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.name"]
    for url in ("/api/v1/stakeholders?q=%00", "/api/v1/stakeholders/%00"):
        r = client.get(url)
        assert r.status_code == 422, url
        assert r.headers["content-type"] == PROBLEM
