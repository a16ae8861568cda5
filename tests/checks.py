"""Assertions for the conventions every resource shares (DESIGN.md, "API conventions")."""

import base64
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

PROBLEM_JSON = "application/problem+json"
Json = dict[str, Any]


def problem(response: Response, status: int, field: str | None = None) -> Json:
    """An RFC 9457 problem with this status; for 422, an `errors` list naming `field`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == PROBLEM_JSON
    body: Json = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"]
    assert "Traceback" not in response.text
    if status == 422:
        fields = [e["field"] for e in body["errors"]]
        assert fields, body
        if field is not None:
            assert field in fields, body
    return body


def created(client: TestClient, response: Response) -> Json:
    """201, ETag "1", and a Location that GETs the very same resource."""
    assert response.status_code == 201, response.text
    assert response.headers["etag"] == '"1"'
    body: Json = response.json()
    assert body["version"] == 1
    assert body["id"]
    assert _when(body["updated_at"]) >= _when(body["created_at"])
    location = response.headers["location"]
    assert location.endswith(f"/{body['id']}")
    fetched = client.get(location)
    assert fetched.status_code == 200
    assert fetched.headers["etag"] == '"1"'
    assert fetched.json() == body
    return body


def fetch(client: TestClient, url: str) -> Json:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == f'"{response.json()["version"]}"'
    body: Json = response.json()
    return body


def patch(client: TestClient, url: str, body: Json, if_match: str | None = '"1"') -> Response:
    headers = {} if if_match is None else {"If-Match": if_match}
    return client.patch(url, json=body, headers=headers)


def delete(client: TestClient, url: str, if_match: str | None = "*") -> Response:
    headers = {} if if_match is None else {"If-Match": if_match}
    return client.delete(url, headers=headers)


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def check_patch_versions(client: TestClient, url: str, change: Json) -> Json:
    """A change bumps version and ETag to 2; sending the same change again bumps nothing."""
    before = fetch(client, url)
    assert before["version"] == 1
    first = patch(client, url, change, '"1"')
    assert first.status_code == 200, first.text
    assert first.headers["etag"] == '"2"'
    after: Json = first.json()
    assert after["version"] == 2
    assert after["id"] == before["id"]
    assert after["created_at"] == before["created_at"]
    assert _when(after["updated_at"]) >= _when(before["updated_at"])
    assert fetch(client, url) == after

    again = patch(client, url, change, '"2"')
    assert again.status_code == 200, again.text
    assert again.headers["etag"] == '"2"'
    assert again.json() == after
    empty = patch(client, url, {}, '"2"')
    assert empty.status_code == 200
    assert empty.json() == after
    assert fetch(client, url) == after
    return after


def check_preconditions(client: TestClient, url: str, change: Json) -> None:
    """428 without If-Match, 412 when stale (record untouched), `*` matches any version."""
    original = fetch(client, url)
    assert original["version"] == 1
    problem(patch(client, url, change, None), 428)
    problem(delete(client, url, None), 428)
    problem(patch(client, url, change, '"2"'), 412)
    problem(delete(client, url, '"2"'), 412)
    assert fetch(client, url) == original

    starred = patch(client, url, change, "*")
    assert starred.status_code == 200, starred.text
    assert starred.headers["etag"] == '"2"'
    current = starred.json()
    assert current["version"] == 2

    # Now version 1 is stale: an editor who read it cannot overwrite the change.
    problem(patch(client, url, {k: original[k] for k in change if k in original}, '"1"'), 412)
    problem(delete(client, url, '"1"'), 412)
    assert fetch(client, url) == current
    assert delete(client, url, "*").status_code == 204


def check_delete(client: TestClient, url: str) -> None:
    """204 with no body; afterwards GET, PATCH and DELETE all answer 404."""
    version = fetch(client, url)["version"]
    response = delete(client, url, f'"{version}"')
    assert response.status_code == 204, response.text
    assert response.content == b""
    check_not_found(client, url)


def check_not_found(client: TestClient, url: str) -> None:
    problem(client.get(url), 404)
    problem(patch(client, url, {}, "*"), 404)
    problem(delete(client, url, "*"), 404)


def check_delete_conflict(client: TestClient, url: str) -> None:
    """409 while something still refers to the record, which must survive untouched."""
    before = fetch(client, url)
    problem(delete(client, url, "*"), 409)
    assert fetch(client, url) == before


def walk(client: TestClient, url: str, params: Json, *, via: str) -> list[Json]:
    """Every item of a list, following `next_cursor` (via="cursor") or the Link header."""
    items: list[Json] = []
    response = client.get(url, params=params)
    for _ in range(100):
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        if page["next_cursor"] is None:
            assert "link" not in response.headers
            return items
        assert len(page["items"]) == params["limit"]
        link = response.headers["link"]
        assert link.startswith("<") and link.endswith('>; rel="next"')
        if via == "link":
            response = client.get(link[1 : link.index(">")])
        else:
            response = client.get(url, params={**params, "cursor": page["next_cursor"]})
    raise AssertionError("the pages never end")


def check_pagination(
    client: TestClient,
    url: str,
    field: str,
    expected: list[Any],
    params: Json | None = None,
    *,
    default_sort: bool = True,
) -> None:
    """Pages of 3 by `field` (ascending, by default and explicitly, then descending) hold
    every item exactly once, in order, whether followed by cursor or by Link header."""
    params = params or {}
    assert len(expected) > 3
    sorts = [field, f"-{field}"] + ([None] if default_sort else [])
    for sort in sorts:
        order = list(reversed(expected)) if sort and sort.startswith("-") else expected
        query = {**params, "limit": 3} if sort is None else {**params, "limit": 3, "sort": sort}
        for via in ("cursor", "link"):
            items = walk(client, url, query, via=via)
            assert [item[field] for item in items] == order, (sort, via)
            assert len({item["id"] for item in items}) == len(items)


def cursor(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def check_pagination_errors(client: TestClient, url: str, field: str, params: Json | None = None) -> None:
    """422s for a bad sort, a cursor of another sort order, a forged cursor, a bad limit.
    Needs at least two items in the list."""
    params = params or {}
    problem(client.get(url, params={**params, "sort": "no_such_field"}), 422, "query.sort")
    problem(client.get(url, params={**params, "sort": "-no_such_field"}), 422, "query.sort")
    first = client.get(url, params={**params, "sort": field, "limit": 1}).json()
    token = first["next_cursor"]
    assert token
    problem(client.get(url, params={**params, "sort": f"-{field}", "cursor": token}), 422, "query.cursor")
    for garbage in (
        "not-a-cursor",
        "%%%",
        cursor({"s": field}),
        cursor([1, 2]),
        cursor({"s": field, "v": [1, 2, 3]}),
        cursor({"s": field, "v": ["x", 7]}),
        cursor({"s": field, "v": [None, "x"]}),
        cursor({"s": field, "v": [1, "x"]}),
    ):
        problem(client.get(url, params={**params, "sort": field, "cursor": garbage}), 422, "query.cursor")
    for limit in (0, -1, 501, "many"):
        problem(client.get(url, params={**params, "limit": limit}), 422, "query.limit")
    ok = client.get(url, params={**params, "limit": 500})
    assert ok.status_code == 200


def check_idempotent_post(
    client: TestClient, url: str, body: Json, other_body: Json, count: Callable[[], int]
) -> Json:
    """A retried POST with the same Idempotency-Key replays the first answer; reusing the key
    with another body is refused. `count()` is how many such records exist."""
    key = str(uuid.uuid4())
    first = client.post(url, json=body, headers={"Idempotency-Key": key})
    result = created(client, first)
    assert "idempotent-replayed" not in first.headers

    second = client.post(url, json=body, headers={"Idempotency-Key": key})
    assert second.status_code == 201
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["id"] == result["id"]
    assert second.json() == result
    assert second.headers["location"] == first.headers["location"]
    assert second.headers["etag"] == '"1"'
    assert count() == 1

    problem(
        client.post(url, json=other_body, headers={"Idempotency-Key": key}), 422, "header.Idempotency-Key"
    )
    assert count() == 1
    return result
