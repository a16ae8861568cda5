"""The committed OpenAPI document is the contract partners generate clients from."""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.cli import OPENAPI_FILE, render_openapi
from api.errors import PROBLEM_JSON
from tests import factories

METHODS = {"get", "post", "patch", "put", "delete"}


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    from api.main import create_app

    return create_app().openapi()


def test_committed_file_matches_the_code(schema: dict[str, Any]) -> None:
    assert OPENAPI_FILE.read_text() == render_openapi(schema), (
        "openapi/openapi.json is out of date: run `make openapi` and commit it"
    )


def test_operation_ids_are_unique_and_readable(schema: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(schema)]
    assert len(ids) == len(set(ids))
    assert "stakeholders-list" in ids and "collaborations-create-participant" in ids
    for op_id in ids:
        assert op_id == op_id.lower() and "_" not in op_id, op_id


def test_every_operation_has_a_summary_and_declares_its_errors(schema: dict[str, Any]) -> None:
    for path, method, op in operations(schema):
        # A sentence from the docstring, not FastAPI's fallback made from the function name.
        assert op.get("summary", "").endswith("."), f"{method} {path}: {op.get('summary')!r}"
        errors = {code: r for code, r in op["responses"].items() if code[0] in "45"}
        assert errors, f"{method} {path} declares no error response"
        for code, response in errors.items():
            assert response["content"] == {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }, f"{method} {path} {code}"


def test_writes_declare_their_preconditions_and_bodies_have_examples(
    schema: dict[str, Any],
) -> None:
    for path, method, op in operations(schema):
        if method in {"patch", "delete"} and path.startswith("/api/"):
            assert {"412", "428"} <= op["responses"].keys(), f"{method} {path}"
            assert any(p["name"] == "If-Match" for p in op["parameters"])
        if method == "post" and "201" in op["responses"]:  # creates a resource
            assert "Location" in op["responses"]["201"]["headers"]
            ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
            assert body.get("examples"), f"{ref} has no example"


def test_lists_are_paginated(schema: dict[str, Any]) -> None:
    for path, method, op in operations(schema):
        if method == "get" and op["operationId"].split("-")[1] == "list":
            names = {p["name"] for p in op["parameters"]}
            assert {"limit", "cursor", "sort"} <= names, path
            assert "Link" in op["responses"]["200"]["headers"], path


def test_each_list_documents_the_sorts_it_takes_and_refuses_others(
    schema: dict[str, Any], client: TestClient
) -> None:
    """`sort` is an enum per list: each value is an order the list gives, anything else a 422."""
    ids = {
        "metric_id": factories.metric(client)["id"],
        "collaboration_id": factories.collaboration(client)["id"],
    }
    lists = 0
    for path, _, op in operations(schema):
        sort = next((p for p in op.get("parameters", []) if p["name"] == "sort"), None)
        if sort is None:
            continue
        lists += 1
        url = re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
        orders = sort["schema"]["enum"]
        assert sort["schema"]["type"] == "string" and orders, path
        fields = [order for order in orders if not order.startswith("-")]
        assert orders == [o for f in fields for o in (f, f"-{f}")], f"{path}: each field, both ways"
        for order in orders:
            response = client.get(url, params={"sort": order})
            assert response.status_code == 200, f"{path}?sort={order}: {response.text}"
        for outside in ("no_such_field", f"--{fields[0]}", f"{fields[0]} ", ""):
            response = client.get(url, params={"sort": outside})
            assert response.status_code == 422, f"{path}?sort={outside!r}: {response.text}"
            assert response.headers["content-type"] == PROBLEM_JSON
            [error] = response.json()["errors"]
            assert (error["field"], error["type"]) == ("query.sort", "sort_invalid"), path
            assert ", ".join(sorted(fields)) in error["message"], error
    assert lists >= 16


def test_a_wrong_method_is_told_every_method_of_the_path(schema: dict[str, Any], client: TestClient) -> None:
    """405 with `Allow` naming the path's methods, as the document lists them, as a problem."""
    templates = {path: re.compile(re.sub(r"\{\w+\}", "[^/]+", path) + "$") for path in schema["paths"]}
    checked = 0
    for path, item in schema["paths"].items():
        documented = {method.upper() for method in item if method in METHODS}
        url = re.sub(r"\{\w+\}", "x", path)
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - documented):
            # `/support-schemes/match` is also `/support-schemes/{id}`, which takes PATCH.
            if any(
                other != path and method.lower() in schema["paths"][other] and pattern.match(url)
                for other, pattern in templates.items()
            ):
                continue
            response = client.request(method, url)
            assert response.status_code == 405, f"{method} {path}: {response.status_code}"
            assert response.headers["content-type"] == PROBLEM_JSON
            allow = response.headers["allow"].split(", ")
            assert len(allow) == len(set(allow)) and set(allow) == documented, f"{method} {path}: {allow}"
            checked += 1
    assert checked > 200


# What makes each kind of value bounded (Spectral's OWASP rules, `npm run lint:api`, say the same).
BOUNDED = {
    "string": [{"maxLength"}, {"enum"}, {"const"}],
    "integer": [{"format", "minimum", "maximum"}],
    "array": [{"maxItems"}],
}


def _schemas(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _schemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _schemas(value, f"{where}/{i}")


def test_every_string_integer_and_list_is_bounded(schema: dict[str, Any]) -> None:
    unbounded = [
        where
        for where, node in _schemas(schema)
        if isinstance(node.get("type"), str)
        and not any(needs <= node.keys() for needs in BOUNDED.get(node["type"], [set()]))
    ]
    assert not unbounded, unbounded[:20]


def _strings(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A property's string schemas (a nullable one is `anyOf` with null), a list's too."""
    for option in schema.get("anyOf", [schema]):
        if option.get("type") == "string" and "maxLength" in option:
            yield option


def _too_long(document: dict[str, Any]) -> Iterator[Any]:
    """Per bound a client must keep: the request one past it, and the field its 422 names."""
    components = document["components"]["schemas"]
    for path, method, op in operations(document):
        url = re.sub(r"\{\w+\}", "x", path)
        for p in op.get("parameters", []):
            for string in _strings(p["schema"]):
                value = "a" * (string["maxLength"] + 1)
                at = re.sub(r"\{\w+\}", "x", path.replace(f"{{{p['name']}}}", value))
                given = {"query": {"params": {p["name"]: value}}, "header": {"headers": {p["name"]: value}}}
                yield pytest.param(
                    method,
                    at,
                    given.get(p["in"], {}),
                    f"{p['in']}.{p['name']}",
                    id=f"{method} {path} {p['name']}",
                )
        body = op.get("requestBody", {}).get("content", {}).get("application/json")
        if body is None:
            continue
        properties = components[body["schema"]["$ref"].rsplit("/", 1)[1]]["properties"]
        for name, prop in properties.items():
            cases: list[tuple[Any, str]] = []
            for string in _strings(prop):
                cases.append(("a" * (string["maxLength"] + 1), name))
            for listed in (o for o in prop.get("anyOf", [prop]) if o.get("type") == "array"):
                cases.append((["a"] * (listed["maxItems"] + 1), name))
                cases += [
                    (["a" * (item["maxLength"] + 1)], f"{name}.0") for item in _strings(listed["items"])
                ]
            for value, field in cases:
                yield pytest.param(
                    method, url, {"json": {name: value}}, f"body.{field}", id=f"{method} {path} {field}"
                )


@pytest.mark.parametrize(
    ("method", "url", "given", "field"), list(_too_long(json.loads(OPENAPI_FILE.read_text())))
)
def test_a_value_past_its_documented_bound_is_refused(
    client: TestClient, method: str, url: str, given: dict[str, Any], field: str
) -> None:
    """Each maxLength and maxItems a request can break is enforced: 422, naming the value."""
    response = client.request(method, url, **given)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    assert any(
        e["field"] == field or e["field"].startswith(f"{field}.") for e in response.json()["errors"]
    ), response.json()["errors"]


def test_a_problem_lists_at_most_a_hundred_errors(client: TestClient) -> None:
    response = client.post(
        "/api/v1/stakeholders", json={"name": "x", "kind": "business", "sectors": [1] * 50}
    )
    assert len(response.json()["errors"]) == 50
    response = client.post(
        "/api/v1/stakeholders", json={"kind": "x", "area_ids": [1] * 100, "sectors": [1] * 50}
    )
    problem = response.json()
    assert response.status_code == 422 and len(problem["errors"]) == 100
    assert "the first 100 of 152" in problem["detail"]


def test_a_problem_quoting_what_it_was_sent_is_cut_to_its_bound(client: TestClient) -> None:
    response = client.get("/healthz", headers={"host": "h" * 20_000})
    assert response.status_code == 400
    assert len(response.json()["detail"]) == 10_000
