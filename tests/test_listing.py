"""Every list as a file (api/listing.py): `?format=csv|xlsx` or `Accept` gives every page, with
the same filters and access rules, as one CSV or XLSX whose rows are the JSON items."""

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from api import models
from api.config import Settings
from api.db import make_engine
from api.main import create_app
from api.schema_base import Page
from api.seed import loader
from tests import factories
from tests.checks import problem
from tests.conftest import ClientAs, make_key
from tests.factories import API
from tests.imports import running

Json = dict[str, Any]


@pytest.fixture
def roadmap(client: TestClient, session_factory: Callable[[], Session]) -> Json:
    """The loaded roadmap, plus a record of each kind the seed does not hold; ids to fill paths with."""
    with session_factory() as session:
        loader.load(session)
        session.commit()

    def first(path: str, **params: Any) -> Json:
        answer = client.get(f"{API}{path}", params={"limit": 1, **params})
        assert answer.status_code == 200, answer.text
        return answer.json()["items"][0]

    metric = first("/metrics")
    area = first("/areas", kind="local_authority")
    for n, breakdown in enumerate([{}, {"age": "65+", "sex": "female"}, {"age": "16-24"}]):
        factories.observation(
            client, metric["id"], area["id"], value=f"{12.5 + n}", breakdown=breakdown, flags=["provisional"]
        )
    collaboration = first("/collaborations")
    stakeholder = first("/stakeholders", kind="business")
    scheme = first("/support-schemes")
    referral = client.post(
        f"{API}/referrals",
        json={"stakeholder_id": stakeholder["id"], "scheme_id": scheme["id"], "note": "=SUM(A1)"},
    )
    assert referral.status_code == 201, referral.text
    story = factories.post(
        client,
        "/stories",
        {
            "title": "Devices on loan",
            "kind": "success",
            "summary": "Reached 2,000 adults.",
            "stakeholder_ids": [stakeholder["id"]],
        },
    )
    return {
        "metric_id": metric["id"],
        "collaboration_id": collaboration["id"],
        "stakeholder": stakeholder["id"],
        "mission": first("/missions")["id"],
        "referral": referral.json()["id"],
        "story": story["id"],
    }


# Each list with a filter that narrows it (history lists have none: they are one record's).
FILTERS: dict[str, Json] = {
    "/accounts": {},
    "/api-keys": {},
    "/roadmaps": {"q": "digital"},
    "/missions": {"foundation": "data"},
    "/outcomes": {"mission": "{mission}"},
    "/metrics": {"q": "broadband"},
    "/metrics/{metric_id}/baselines": {"sort": "-date"},
    "/metrics/{metric_id}/targets": {"sort": "date"},
    "/metrics/{metric_id}/observations": {"sort": "-value"},
    "/stakeholders": {"kind": "business"},
    "/collaborations": {"mission": "{mission}"},
    "/collaborations/{collaboration_id}/participants": {"sort": "-created_at"},
    "/areas": {"kind": "local_authority"},
    "/insights/overlaps": {"min_score": "0.1"},
    "/stories": {},
    "/support-schemes": {"sort": "-name"},
    "/support-schemes/match": {"stakeholder": "{stakeholder}", "include_ineligible": "true"},
    "/referrals": {"stakeholder": "{stakeholder}"},
    "/changes/recent": {"resource": "stakeholders"},
    "/imports": {},
}


def list_paths(app: Any) -> list[str]:
    return [
        route.path.removeprefix(API)
        for route in app.routes
        if "GET" in getattr(route, "methods", ())
        and isinstance(getattr(route, "response_model", None), type)
        and issubclass(route.response_model, Page)
    ]


def test_every_list_is_in_the_table(app: Any) -> None:
    lists = {p for p in list_paths(app) if not p.endswith("/history")}
    assert lists == set(FILTERS), "give each new list a filter in FILTERS"


def _fill(template: str, ids: Json, client: TestClient) -> str:
    path = template
    if "/history" in template:  # the record's own id: the first item of its collection
        collection = template.removesuffix("/{id}/history")
        path = collection.format(**ids) + "/" + _first_id(client, collection.format(**ids))
        return path + "/history"
    return path.format(**ids)


def _first_id(client: TestClient, collection: str) -> str:
    items = client.get(f"{API}{collection}").json()["items"]
    assert items, f"nothing in {collection} to take the history of"
    return str(items[0]["id"])


def every_item(client: TestClient, url: str, params: Json) -> list[Json]:
    """The JSON list, page after page."""
    items: list[Json] = []
    query = {**params, "limit": 200}
    while True:
        answer = client.get(url, params=query)
        assert answer.status_code == 200, answer.text
        items += answer.json()["items"]
        if answer.json()["next_cursor"] is None:
            return items
        query = {**query, "cursor": answer.json()["next_cursor"]}


PAIRS = {"breakdown"}  # text to text: `name:value;…`
WHOLE = {"state", "options"}  # free-form objects: JSON text


def as_cell(value: Any, name: str) -> str:
    """What the documentation says a cell holds, written independently of api/tabular.py."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if name in PAIRS:
        return ";".join(f"{k}:{v}" for k, v in value.items())
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ";".join(as_cell(v, name) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def flatten(item: Json, prefix: str = "") -> Json:
    """A nested object's fields as `field.sub` columns."""
    out: Json = {}
    for key, value in item.items():
        if isinstance(value, dict) and key not in PAIRS | WHOLE:
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = as_cell(value, key)
    return out


def read_csv(text: str) -> tuple[list[str], list[Json]]:
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


@pytest.mark.parametrize(
    "template", [*sorted(FILTERS), "/stakeholders/{id}/history", "/metrics/{id}/history"]
)
def test_each_list_as_csv_is_its_json_with_the_same_filter(
    client: TestClient, roadmap: Json, template: str
) -> None:
    url = f"{API}{_fill(template, roadmap, client)}"
    params = {k: v.format(**roadmap) for k, v in FILTERS.get(template, {}).items()}
    expected = [flatten(item) for item in every_item(client, url, params)]

    answer = client.get(url, params={**params, "format": "csv"})

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    headings, rows = read_csv(answer.text)
    if expected:
        assert set(headings) >= set(expected[0]), "every JSON field is a column"
    assert [{k: row[k] for k in item} for row, item in zip(rows, expected, strict=True)] == expected


def test_a_file_holds_every_page(client: TestClient, session: Session) -> None:
    """More rows than a file reads at a time: each once, in the list's order."""
    session.add_all(models.Area(name=f"Place {n:04d}", kind="ward") for n in range(1234))
    session.commit()
    expected = every_item(client, f"{API}/areas", {"kind": "ward", "sort": "-name"})

    answer = client.get(
        f"{API}/areas", params={"kind": "ward", "sort": "-name"}, headers={"Accept": "text/csv"}
    )

    _, rows = read_csv(answer.text)
    assert [r["name"] for r in rows] == [a["name"] for a in expected]
    assert len(rows) == 1234


def test_xlsx_holds_the_same_rows_with_numbers_as_numbers_and_text_never_a_formula(
    client: TestClient, roadmap: Json
) -> None:
    url = f"{API}/metrics/{roadmap['metric_id']}/observations"
    expected = every_item(client, url, {})

    answer = client.get(url, params={"format": "xlsx"})

    assert (
        answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(answer.content), read_only=True).worksheets[0]
    headings, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    by_name = [dict(zip(headings, r, strict=True)) for r in rows]
    assert [r["id"] for r in by_name] == [o["id"] for o in expected]
    assert all(isinstance(r["value"], int | float) for r in by_name)
    assert [str(r["value"]) for r in by_name] != [], "the metric has values"

    referrals = client.get(f"{API}/referrals", params={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(referrals.content)).worksheets[0]
    notes = [c.value for c in sheet["1"]].index("note") + 1
    cell = sheet.cell(row=2, column=notes)
    assert (cell.value, cell.data_type) == ("=SUM(A1)", "s")


def test_a_file_is_read_with_the_callers_own_access(
    client_as: ClientAs, anon: TestClient, roadmap: Json
) -> None:
    reader, editor = client_as("reader"), client_as("editor")
    draft = factories.collaboration(editor, title="Unpublished plan", publication="draft")

    public = read_csv(anon.get(f"{API}/collaborations", params={"format": "csv"}).text)[1]
    assert draft["id"] not in {r["id"] for r in public}
    assert draft["id"] in {r["id"] for r in read_csv(editor.get(f"{API}/collaborations?format=csv").text)[1]}

    person = factories.stakeholder(editor, name="Ada", kind="person", email="ada@example.org")
    seen_by_reader, _ = read_csv(reader.get(f"{API}/stakeholders?format=csv").text)
    _, rows = read_csv(editor.get(f"{API}/stakeholders?format=csv").text)
    assert "email" not in seen_by_reader and "phone" not in seen_by_reader
    assert next(r for r in rows if r["id"] == person["id"])["email"] == "ada@example.org"
    assert anon.get(f"{API}/accounts?format=csv").status_code == 401


def test_bad_requests_for_a_file_are_problems_before_anything_is_sent(client: TestClient) -> None:
    problem(client.get(f"{API}/areas", params={"format": "pdf"}), 422)
    problem(client.get(f"{API}/areas", params={"format": "csv", "sort": "colour"}), 422)
    problem(client.get(f"{API}/areas", params={"format": "xlsx", "cursor": "not-ours"}), 422)


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        ("text/csv", "text/csv"),
        ("application/json;q=0.5, text/csv", "text/csv"),
        ("text/csv;q=0.2, application/json", "application/json"),
        ("*/*", "application/json"),
        ("text/html", "application/json"),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.openxml"),
    ],
)
def test_accept_chooses_the_format_and_format_wins(client: TestClient, accept: str, kind: str) -> None:
    answer = client.get(f"{API}/areas", headers={"Accept": accept})
    assert answer.headers["content-type"].startswith(kind)
    assert "Accept" in answer.headers.get("vary", "")
    forced = client.get(f"{API}/areas", params={"format": "json"}, headers={"Accept": accept})
    assert forced.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("kind", ["stakeholders", "areas", "collaborations", "support-schemes"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_list_downloaded_imports_back_unchanged(
    client: TestClient, roadmap: Json, session_factory: Callable[[], Session], kind: str, fmt: str
) -> None:
    """The file a partner downloads is one `roadmap import` reads: every row found, none changed."""
    factories.collaboration(
        client, title="Costed pilot", funding_status="funded", funding_amount_pence=1_250_050
    )
    file = client.get(f"{API}/{kind}", params={"format": fmt})

    done = running.run(session_factory, kind, file.content, dry_run=True, filename=f"{kind}.{fmt}")

    assert done.problems == [], done.problems
    rows = len(every_item(client, f"{API}/{kind}", {}))
    assert done.counts == {**done.counts, "created": 0, "updated": 0, "unchanged": rows}


class Caller:
    """One request driven by hand, as a server would: the client reads the answer's headers,
    then nothing more (its socket buffer full, so the app's send waits) until it reads on or
    hangs up."""

    def __init__(self, app: Any, key: str, path: str, query: str = "") -> None:
        self.app, self.key, self.path, self.query = app, key, path, query
        self.reading, self.gone, self.started, self.done = (anyio.Event() for _ in range(4))
        self.status, self.headers, self.body = 0, dict[str, str](), b""
        self.complete = False  # the last of the body was taken

    async def run(self) -> None:
        scope = {
            "type": "http",
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": self.path,
            "raw_path": self.path.encode(),
            "query_string": self.query.encode(),
            "root_path": "",
            "headers": [(b"host", b"testserver"), (b"x-api-key", self.key.encode())],
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 50000),
        }
        asked = False

        async def receive() -> dict[str, Any]:
            nonlocal asked
            if not asked:
                asked = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await self.gone.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
                self.headers = {k.decode(): v.decode() for k, v in message["headers"]}
                self.started.set()
            else:
                self.body += message.get("body", b"")
                await self.reading.wait()
                self.complete = not message.get("more_body", False)

        try:
            await self.app(scope, receive, send)
        finally:
            self.started.set()
            self.done.set()

    async def answer(self) -> "Caller":
        """A client that reads everything: the whole answer."""
        self.reading.set()
        await self.run()
        return self


@pytest.fixture
def small_worker(scratch_database: str) -> Iterator[Callable[..., tuple[Any, str]]]:
    """An app of its own over a committed roadmap: 2 requests in at once, 3 downloads. (app, a key)"""
    engine = make_engine(scratch_database, pool_size=1)
    factory = sessionmaker(engine, class_=Session)
    with factory() as session:
        loader.load(session)
        session.commit()
    key = make_key(factory, "reader")
    engine.dispose()
    apps: list[Any] = []

    def make(**settings: Any) -> tuple[Any, str]:
        # A request that cannot get in is shed after 2 s: a download holding a place shows as a 503.
        limits = {"max_in_flight": 2, "max_downloads": 3, "max_wait_seconds": 2, **settings}
        apps.append(create_app(Settings(database_url=scratch_database, **limits)))
        return apps[-1], key

    yield make
    for app in apps:
        app.state.engine.dispose()


def test_downloads_that_are_not_read_hold_no_place_of_the_apis_and_are_bounded(
    small_worker: tuple[Any, str],
) -> None:
    """More files open than requests may run at once, their clients reading nothing: the API
    still answers; one file more is refused at once; a file's place is free again once it
    ends, whether it was read to the end, its client hung up, or it was refused (422)."""
    app, key = small_worker()
    areas, csv_ = f"{API}/areas", "format=csv"

    async def scenario() -> None:
        with anyio.fail_after(60):  # far beyond any answer: a hang fails, not blocks, the suite
            async with anyio.create_task_group() as tg:
                for _ in range(4):  # a refused file (a bad sort, after its place was taken) keeps none
                    assert (await Caller(app, key, areas, f"{csv_}&sort=colour").answer()).status == 422
                files = [Caller(app, key, areas, csv_) for _ in range(3)]
                for file in files:
                    tg.start_soon(file.run)
                    await file.started.wait()
                assert [f.status for f in files] == [200] * 3 and not any(f.done.is_set() for f in files)

                for _ in range(3):  # admitted at once, not shed after waiting behind the files
                    assert (await Caller(app, key, f"{API}/missions").answer()).status == 200
                extra = await Caller(app, key, areas, csv_).answer()
                assert extra.status == 503 and extra.headers["retry-after"] == "5"
                assert extra.headers["content-type"] == "application/problem+json"

                files[0].gone.set()  # hangs up mid-file
                files[1].reading.set()  # reads on, to the end
                await files[0].done.wait()
                await files[1].done.wait()
                assert files[1].body.decode().count("\n") > 1  # the whole file: headings and rows
                more = [Caller(app, key, areas, csv_) for _ in range(2)]
                for file in more:
                    tg.start_soon(file.run)
                    await file.started.wait()
                assert [f.status for f in more] == [200, 200]
                assert (await Caller(app, key, areas, csv_).answer()).status == 503
                for file in [files[2], *more]:
                    file.reading.set()

    anyio.run(scenario)


def test_a_download_whose_client_stops_reading_is_cut_off_and_its_place_freed(
    small_worker: Callable[..., tuple[Any, str]],
) -> None:
    app, key = small_worker(max_downloads=1, download_stall_seconds=0.5)
    areas, csv_ = f"{API}/areas", "format=csv"

    async def scenario() -> None:
        with anyio.fail_after(60):  # without the stall limit the file would wait for ever
            async with anyio.create_task_group() as tg:
                stalled = Caller(app, key, areas, csv_)
                tg.start_soon(stalled.run)
                await stalled.started.wait()
                assert stalled.status == 200
                await stalled.done.wait()  # though its client never read on
                whole = await Caller(app, key, areas, csv_).answer()
                assert whole.status == 200 and whole.complete  # the one place is free again
                assert not stalled.complete

    anyio.run(scenario)
