"""The committed OpenAPI document is the contract partners generate clients from."""

import re
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
