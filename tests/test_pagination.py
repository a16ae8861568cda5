"""Keyset pagination (api/pagination.py): every row exactly once and in order, however the sort
column ties; and a deep page of any list is an index seek, not a scan and a sort."""

import random
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, event
from sqlmodel import Session, SQLModel

from api import models
from tests import factories
from tests.checks import cursor
from tests.conftest import ClientAs
from tests.factories import API

Json = dict[str, Any]


def walk(client: TestClient, url: str, params: Json) -> list[Json]:
    """Every item, following `next_cursor` page by page."""
    items: list[Json] = []
    query = dict(params)
    for _ in range(200):
        response = client.get(url, params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= params["limit"]
        items += page["items"]
        if page["next_cursor"] is None:
            return items
        query = {**params, "cursor": page["next_cursor"]}
    raise AssertionError("the pages never end")


def ordered(rows: list[Any], sort: str) -> list[str]:
    """The ids in the API's order: by the sort column, then by id (both descending for `-`)."""
    field = sort.lstrip("-")
    keyed = sorted(rows, key=lambda r: (getattr(r, field), r.id))
    return [r.id for r in (reversed(keyed) if sort.startswith("-") else keyed)]


# Lower-case ASCII letters and digits only, so PostgreSQL's collation orders them as Python does.
def shuffled_ids(prefix: str, n: int) -> list[str]:
    ids = [f"{prefix}{i:03d}" for i in range(n)]
    random.Random(n).shuffle(ids)  # so id order is not insertion order
    return ids


@pytest.fixture
def stakeholders(session: Session) -> list[models.Stakeholder]:
    """17 organisations whose names, kinds and timestamps tie in groups."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        models.Stakeholder(
            id=id_,
            name=["tiea", "tieb", "tiec", "solo"][n % 4 if n < 16 else 3],
            kind=["business", "university"][n % 2],
            status="active" if n % 3 else "dormant",
            created_at=start + timedelta(days=n % 5),
            updated_at=start + timedelta(hours=n % 3),
        )
        for n, id_ in enumerate(shuffled_ids("st", 17))
    ]
    session.add_all(rows)
    session.commit()
    return rows


@pytest.mark.parametrize("limit", [1, 2, 5])
@pytest.mark.parametrize(
    "sort", ["name", "-name", "kind", "-kind", "created_at", "-created_at", "updated_at", "-updated_at"]
)
def test_pages_of_stakeholders_hold_every_row_once_in_order(
    client: TestClient, stakeholders: list[models.Stakeholder], sort: str, limit: int
) -> None:
    items = walk(client, f"{API}/stakeholders", {"sort": sort, "limit": limit})
    assert [s["id"] for s in items] == ordered(stakeholders, sort)


@pytest.mark.parametrize("sort", [None, "-name", "created_at", "-created_at"])
def test_pages_of_a_filtered_list_hold_every_match_once_in_order(
    client: TestClient, stakeholders: list[models.Stakeholder], sort: str | None
) -> None:
    params: Json = {"kind": "university", "status": "active", "limit": 2}
    items = walk(client, f"{API}/stakeholders", params if sort is None else {**params, "sort": sort})
    matching = [s for s in stakeholders if s.kind == "university" and s.status == "active"]
    assert len(matching) > 3
    assert [s["id"] for s in items] == ordered(matching, sort or "name")


@pytest.mark.parametrize("sort", ["value", "-value", "date", "-date", "created_at", "-created_at"])
def test_pages_of_metric_values_hold_every_row_once_in_order(
    client: TestClient, session: Session, sort: str
) -> None:
    """Decimals (stored as integer millionths on SQLite) and dates that tie, within one metric."""
    metric = models.Metric(code="keyset", name="Keyset", unit="percent", direction="higher_is_better")
    other = models.Metric(code="other", name="Other", unit="percent", direction="higher_is_better")
    places = [models.Area(name=f"place{n}", kind="local_authority") for n in range(4)]
    session.add_all([metric, other, *places])
    session.flush()
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        models.Observation(
            id=id_,
            metric_id=metric.id,
            area_id=places[n % 4].id,
            value=[Decimal("1.5"), Decimal("-2.25"), Decimal("1000000.000001")][n % 3],
            date=date(2025, 1, 1) + timedelta(days=n // 4),
            created_at=start + timedelta(minutes=n % 2),
        )
        for n, id_ in enumerate(shuffled_ids("ob", 14))
    ]
    noise = models.Observation(
        metric_id=other.id, area_id=places[0].id, value=Decimal(1), date=date(2025, 1, 1)
    )
    session.add_all([*rows, noise])
    session.commit()
    items = walk(client, f"{API}/metrics/{metric.id}/observations", {"sort": sort, "limit": 3})
    assert [o["id"] for o in items] == ordered(rows, sort)


# --- Query plans ---------------------------------------------------------------------------

Statement = tuple[str, Any]


@pytest.fixture
def statements(connection: Connection) -> Iterator[list[Statement]]:
    """The SQL the app sends (with its parameters), as the database receives it."""
    seen: list[Statement] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", record)
    yield seen
    event.remove(connection, "before_cursor_execute", record)


# `ORDER BY stakeholder.name ASC, stakeholder.id ASC`: the order of a keyset page.
KEYSET_ORDER = re.compile(r'ORDER BY "?(\w+)"?\."?(\w+)"? (ASC|DESC), "?\1"?\."?id"? \3')


def explain(connection: Connection, statement: str, parameters: Any) -> list[str]:
    if connection.dialect.name == "sqlite":
        return [row[3] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    return [row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)]


def check_seek(connection: Connection, statement: str, parameters: Any) -> str:
    """The keyset query seeks an index on (…, column, id) to its first row and needs no sort.
    Returns `table.column` it pages on."""
    found = KEYSET_ORDER.search(statement)
    assert found, statement
    table, column, direction = found.groups()
    op = ">" if direction == "ASC" else "<"
    # A NULL sort value would fall out of every row-value comparison: the rows would vanish.
    assert not SQLModel.metadata.tables[table].c[column].nullable, f"{table}.{column} is nullable"
    # A unique column has no ties: its own index serves, seeking on the column alone.
    unique = SQLModel.metadata.tables[table].c[column].unique
    lines = explain(connection, statement, parameters)
    plan = "\n".join(lines)
    index = r"\w+" if unique else rf"ix_{table}_(?:\w+_)?{column}_id"
    if connection.dialect.name == "sqlite":
        # e.g. SEARCH collaboration USING INDEX ix_collaboration_publication_title_id
        #      (publication=? AND (title,id)>(?,?))
        key = rf"\({column},id\){op}\(\?,\?\)" + (rf"|{column}{op}\?" if unique else "")
        seek = rf"SEARCH {table} USING (?:COVERING )?INDEX {index} \((?:\w+=\? AND )*(?:{key})\)"
        assert any(re.fullmatch(seek, line) for line in lines), plan
        assert "ORDER BY" not in plan, plan  # USE TEMP B-TREE FOR (RIGHT PART OF) ORDER BY
    else:
        # e.g. Index Scan Backward using ix_stakeholder_name_id on stakeholder
        #        Index Cond: (ROW((name)::text, (id)::text) < ROW('x'::text, 'y'::text))
        assert re.search(rf"Index (?:Only )?Scan (?:Backward )?using {index} on {table}\b", plan), plan
        nodes = [line.strip().removeprefix("->").strip() for line in lines]
        sorts = [node for node in nodes if re.match(r"(?:Incremental )?Sort  \(", node)]
        if unique and sorts:
            # PostgreSQL knows no ties on a unique column, yet still orders each value's one
            # row by id: a sort of one-row groups, as the index reads on from the seek.
            assert all(node.startswith("Incremental Sort") for node in sorts), plan
            assert f"Presorted Key: {column}\n" in f"{plan}\n", plan
            assert re.search(rf"Index Cond: \(\(?{column}\)?(?:::\w+)? {op}= ", plan), plan
        else:
            assert not sorts, plan
            cond = rf"Index Cond: .*ROW\(\(?{column}\)?(?:::\w+)?, \(?id\)?(?:::\w+)?\) {op} ROW\("
            assert re.search(cond, plan), plan
    return f"{table}.{column}"


@pytest.fixture
def planner(connection: Connection) -> Connection:
    if connection.dialect.name == "postgresql":
        # The test tables hold a handful of rows: for them a scan and a sort is cheapest, and
        # PostgreSQL would rightly choose it. Make both dear, so the plan shows whether an
        # index can serve the page at all (if none can, the sort is still there). A sort of
        # presorted groups (incremental) stays allowed, and is checked below.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_sort = off")
        connection.exec_driver_sql("SET LOCAL jit = off")  # the costs would tempt it
    return connection


# A value each sort column's type accepts in a cursor (strings take any of them).
CURSOR_VALUES = ("2026-01-01T00:00:00+00:00", "2026-01-01", "1.5")

# Equality filters a list is often asked for: each, with the list's default order, seeks too.
FILTERS: dict[str, list[Json]] = {
    "/areas": [{"kind": "ward"}],
    "/stakeholders": [{"kind": "business"}, {"status": "active"}, {"new_to_innovation": True}],
    "/collaborations": [
        {"kind": "project"},
        {"scale": "regional"},
        {"funding_status": "funded"},
        {"lighthouse": True},
        {"publication": "draft"},
        {"publication": "published", "kind": "project"},
    ],
    "/stories": [{"kind": "success"}, {"metric": "m1"}, {"publication": "published"}],
    "/support-schemes": [{"status": "open"}, {"provider": "p1"}],
    "/referrals": [{"stakeholder": "s1"}, {"scheme": "s1"}, {"status": "referred"}],
    "/metrics/{metric_id}/observations": [{"area": "area"}],
}


def keyset_statement(seen: list[Statement]) -> Statement:
    found = [(s, p) for s, p in seen if KEYSET_ORDER.search(s)]
    assert len(found) == 1, [s for s, _ in seen]
    return found[0]


def sorts_of(client: TestClient, url: str) -> list[str]:
    """The orders a list takes (each field, both ways), as its 422 for an unknown one names them."""
    response = client.get(url, params={"sort": "no_such_field"})
    assert response.status_code == 422, response.text
    found = re.search(r"choose one of: ([a-z_, ]+)\.", response.json()["detail"])
    assert found, response.text
    return [sort for field in found.group(1).split(", ") for sort in (field, f"-{field}")]


def forged_cursor(client: TestClient, url: str, sort: str) -> str:
    """A cursor of this sort order: a plan needs only a value of the sort column's type."""
    for value in CURSOR_VALUES:
        token = cursor({"s": sort, "v": [value, "00000000-0000-0000-0000-000000000000"]})
        response = client.get(url, params={"sort": sort, "cursor": token, "limit": 5})
        if response.status_code == 200:
            return token
        assert response.json()["errors"][0]["field"] == "query.cursor", response.text
    raise AssertionError(f"no cursor value fits {url} sorted by {sort}")


def test_a_deep_page_of_every_list_is_an_index_seek(
    client_as: ClientAs,
    anon: TestClient,
    shared_app: Any,
    planner: Connection,
    statements: list[Statement],
) -> None:
    """Every list that takes `sort`, by each field both ways, as an admin and as the public
    (who see only published collaborations and stories); and with each of its common filters,
    in its default order and the reverse."""
    admin = client_as("admin")
    ids = {
        "metric_id": factories.metric(admin)["id"],
        "collaboration_id": factories.collaboration(admin)["id"],
        "area": factories.area(admin)["id"],
    }
    lists = [
        path.removeprefix(API)
        for path, operations in shared_app.openapi()["paths"].items()
        if any(p["name"] == "sort" for p in operations.get("get", {}).get("parameters", []))
    ]
    assert len(lists) >= 16, lists
    assert set(FILTERS) <= set(lists)

    def seeks(client: TestClient, url: str, params: Json) -> str:
        statements.clear()
        response = client.get(url, params={**params, "limit": 5})
        assert response.status_code == 200, response.text
        return check_seek(planner, *keyset_statement(statements))

    checked: set[str] = set()
    for path in lists:
        url = API + re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)
        tokens: dict[str, str] = {}
        for sort in sorts_of(admin, url):
            statements.clear()
            tokens[sort] = forged_cursor(admin, url, sort)  # its last request: a deep page
            checked.add(check_seek(planner, *keyset_statement(statements)))
        if anon.get(url).status_code == 200:  # the public's lists: published rows only
            for sort, token in tokens.items():
                seeks(anon, url, {"sort": sort, "cursor": token})
        if path not in FILTERS:
            continue
        # A cursor of the default order is the one taken without `sort`.
        default = [s for s, t in tokens.items() if admin.get(url, params={"cursor": t}).status_code == 200]
        assert len(default) == 1, (url, default)
        reverse = default[0][1:] if default[0].startswith("-") else f"-{default[0]}"
        for filters in FILTERS[path]:
            params = {k: ids.get(v, v) for k, v in filters.items()}
            seeks(admin, url, {**params, "cursor": tokens[default[0]]})
            seeks(admin, url, {**params, "sort": reverse, "cursor": tokens[reverse]})
    # Every sort column of every paginated table (49 as written), each by an index seek.
    assert len(checked) >= 45, sorted(checked)
