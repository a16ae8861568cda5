"""The README's first imports: every example file imports into the roadmap's own data, twice."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from api.audit.service import Actor
from api.imports import service
from api.imports.schemas import ImportRequest, ImportStatus
from api.seed import loader

EXAMPLES = Path(__file__).parents[2] / "examples"
TEAM = Actor("account", None, "digital team")
# In the order the README gives them: organisations before what names them.
RUNS = [
    ("areas-ons-lookup.csv", ImportRequest(kind="areas", format="ons-lookup")),
    ("stakeholders.csv", ImportRequest(kind="stakeholders")),
    ("collaborations.csv", ImportRequest(kind="collaborations")),
    ("support-schemes.csv", ImportRequest(kind="support-schemes")),
    (
        "observations-tidy.csv",
        ImportRequest(kind="observations", format="tidy", metric="full-fibre-coverage"),
    ),
    (
        "observations-tidy-breakdowns.csv",
        ImportRequest(kind="observations", format="tidy", metric="non-internet-users"),
    ),
    (
        "observations-wide.csv",
        ImportRequest(
            kind="observations",
            format="wide",
            date="2024-01-01",
            map=["Full fibre (% of premises)=full-fibre-coverage"],
        ),
    ),
    ("grants-360giving.csv", ImportRequest(kind="collaborations", format="360giving")),
    ("kumu-map.xlsx", ImportRequest(kind="stakeholders", format="kumu")),
    ("kumu-map.xlsx", ImportRequest(kind="collaborations", format="kumu")),
]


def _run(session_factory, name: str, asked: ImportRequest):
    data = (EXAMPLES / name).read_bytes()
    with session_factory() as session:
        record = service.create(session, asked, filename=name, size=len(data), principal=None, actor=TEAM)
        session.commit()
        import_id = record.id
    return service.run(session_factory, import_id, io.BytesIO(data), None, TEAM)


@pytest.fixture
def roadmap(session_factory) -> None:
    with session_factory() as session:
        loader.load(session, loader.read())
        session.commit()


def test_every_example_imports_and_a_second_time_changes_nothing(session_factory, roadmap):
    for name, asked in RUNS:
        checked = _run(session_factory, name, asked.model_copy(update={"dry_run": True}))
        assert checked.status == ImportStatus.succeeded, (name, checked.problems, checked.error)
        done = _run(session_factory, name, asked)
        assert done.status == ImportStatus.succeeded, (name, done.problems, done.error)
        assert done.counts == checked.counts, name  # the dry run said exactly what would happen
        assert done.counts["created"] + done.counts["updated"] > 0, name
    for name, asked in RUNS:
        again = _run(session_factory, name, asked)
        assert again.counts["unchanged"] == again.counts["rows"], (name, again.counts)


def test_every_example_is_in_the_readme():
    listed = (EXAMPLES / "README.md").read_text()
    assert {name for name, _ in RUNS} == {p.name for p in EXAMPLES.iterdir() if p.suffix in (".csv", ".xlsx")}
    assert all(name in listed for name, _ in RUNS)


def test_the_kumu_example_says_it_is_not_real():
    book = load_workbook(EXAMPLES / "kumu-map.xlsx", read_only=True)
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        described = [row[2] if sheet.title == "Elements" else row[4] for row in rows]
        assert rows and all("not a real one" in str(text) for text in described), sheet.title
    book.close()


def test_the_breakdowns_example_gives_totals_breakdowns_and_flags(session_factory, roadmap, client):
    name, asked = next(run for run in RUNS if run[0] == "observations-tidy-breakdowns.csv")
    assert _run(session_factory, name, asked).status == ImportStatus.succeeded
    [metric] = client.get("/api/v1/metrics", params={"q": "non-internet"}).json()["items"][:1]
    url = f"/api/v1/metrics/{metric['id']}/observations"
    totals = client.get(url, params={"breakdown": "total", "sort": "date"}).json()["items"]
    assert [(o["value"], o["flags"], o["note"]) for o in totals] == [
        ("19", [], None),
        ("18.2", ["provisional"], "Example: weights to be revised"),
    ]
    older = client.get(url, params={"breakdown": "age:65+"}).json()["items"]
    assert [(o["value"], o["flags"]) for o in older] == [("41", ["estimated"])]
    listed = client.get(f"/api/v1/metrics/{metric['id']}/breakdowns").json()["items"]
    assert [b["query"] for b in listed] == ["age:16-64", "age:65+"]
