"""Credentials that are sent are checked, on every operation (RFC 6750 §3.1).

A caller whose token is wrong must hear so: answered as anonymous instead, a partner's
system would read the public view and take it for everything it may see.
"""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

# Probes, and the two operations that take credentials in their body instead.
NOT_CHECKED = {"/healthz", "/readyz", "/api/v1/auth/token", "/api/v1/auth/revoke"}
WRONG = [
    {"Authorization": "Bearer none"},
    {"X-API-Key": "rk_not-a-key"},
    {"Authorization": "Bearer rk_nokey"},
]


def operations(app: Any) -> list[tuple[str, str]]:
    paths = app.openapi()["paths"]
    return [(method, path) for path, ops in paths.items() if path not in NOT_CHECKED for method in ops]


def test_every_operation_answers_401_to_credentials_that_are_not_valid(app: Any) -> None:
    checked = operations(app)
    assert len(checked) > 100
    with TestClient(app) as client:
        for method, path in checked:
            url = re.sub(r"\{[^}]+\}", "x", path)
            for headers in WRONG:
                answer = client.request(method, url, headers={**headers, "If-Match": '"1"'})
                assert answer.status_code == 401, (method, path, headers, answer.text)
                assert answer.headers["content-type"] == "application/problem+json"
                assert answer.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize("path", ["/api/v1/missions", "/api/v1/areas", "/api/v1/stakeholders"])
def test_without_credentials_public_reads_stay_open(app: Any, path: str) -> None:
    with TestClient(app) as client:
        assert client.get(path).status_code == 200
