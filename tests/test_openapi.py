"""The committed OpenAPI document is the contract partners generate clients from."""

from typing import Any

import pytest

from api.cli import OPENAPI_FILE, render_openapi

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
