"""A Kumu map's Elements and Connections, imported as stakeholders and as collaborations."""

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlmodel import Session
from typer.testing import CliRunner

from api import models
from api.audit.service import Actor
from api.cli import app
from api.imports import cli, runner
from api.imports.reading import FileProblem, open_table
from api.imports.schemas import ImportStatus
from tests import factories
from tests.factories import API
from tests.imports import running

TEAM = Actor("account", None, "digital team")
Factory = Callable[[], Session]
Sheet = list[list[object]]
ELEMENTS: Sheet = [
    ["Label", "Type", "Description", "Tags", "Website", "Areas", "Size"],
    ["Aston University", "University", "Research", "digital|skills", "www.aston.ac.uk", "Birmingham", 3],
    ["Acme Digital", "Company", "Makes apps", "", "", "", ""],
    ["Makers CIC", "Charity", "", "", "", "", ""],
    ["Smart Streets", "Project", "Sensors on lamp posts", "", "", "Coventry", ""],
    ["Lonely Ltd", "Organization", "", "", "", "", ""],
]
CONNECTIONS: Sheet = [
    ["From", "To", "Connection Type", "Label", "Strength"],
    ["Aston University", "Smart Streets", "Lead", "", 3],
    ["Smart Streets", "Acme Digital|Makers CIC", "Supplier", "", ""],
    ["Aston University", "Acme Digital", "", "Aston and Acme KTP", ""],
]


def _map(
    elements: Sheet = ELEMENTS, connections: Sheet | None = CONNECTIONS, first: str = "Elements"
) -> bytes:
    book = Workbook(write_only=True)
    for name, rows in ((first, elements), ("Connections", connections)):
        if rows is not None:
            sheet = book.create_sheet(name)
            for row in rows:
                sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def _import(factory: Factory, kind: str, data: bytes, *, dry_run: bool = False) -> Any:
    return running.run(factory, kind, data, dry_run=dry_run, format="kumu", filename="map.xlsx")


_count = running.count


def _all(factory: Factory) -> tuple[int, ...]:
    tables = (models.Stakeholder, models.Collaboration, models.Participant, models.Change)
    return tuple(_count(factory, table) for table in tables)


def _found(client: TestClient, what: str, q: str) -> dict[str, Any]:
    items = client.get(f"{API}/{what}", params={"q": q}).json()["items"]
    assert len(items) == 1, items
    return items[0]


def _roles(client: TestClient, collaboration: dict[str, Any]) -> list[tuple[str, str]]:
    people = client.get(f"{API}/collaborations/{collaboration['id']}/participants").json()["items"]
    names = {
        s["id"]: s["name"] for s in client.get(f"{API}/stakeholders", params={"limit": 100}).json()["items"]
    }
    return sorted((names[p["stakeholder_id"]], p["role"]) for p in people)


@pytest.fixture
def places(client: TestClient) -> None:
    factories.area(client, code="E08000026", name="Coventry")
    factories.area(client, code="E08000025", name="Birmingham")


def test_elements_become_stakeholders_and_again_change_nothing(client, session_factory, places):
    before = _all(session_factory)
    checked = _import(session_factory, "stakeholders", _map(), dry_run=True)
    assert checked.status == ImportStatus.succeeded, checked.problems
    assert checked.counts == {"rows": 4, "created": 4, "updated": 0, "unchanged": 0, "rejected": 0}
    assert _all(session_factory) == before  # a dry run writes nothing
    done = _import(session_factory, "stakeholders", _map())
    assert done.counts == checked.counts
    assert any("Elements typed Project are collaborations" in n for n in done.notes)
    assert any("read as business" in n and "Organization" in n for n in done.notes)
    assert "Not read from Elements (not a field of stakeholder): Size." in done.notes
    aston = _found(client, "stakeholders", "Aston University")
    assert (aston["kind"], aston["sectors"], aston["website"]) == (
        "university",
        ["digital", "skills"],
        "https://www.aston.ac.uk/",
    )
    assert (aston["source"], aston["external_id"], aston["description"]) == (
        "kumu",
        "Aston University",
        "Research",
    )
    assert len(aston["area_ids"]) == 1  # a column that is one of our fields is read as such
    assert _found(client, "stakeholders", "Makers CIC")["kind"] == "third_sector"
    again = _import(session_factory, "stakeholders", _map())
    assert again.counts == {"rows": 4, "created": 0, "updated": 0, "unchanged": 4, "rejected": 0}
    corrected = [row[:] for row in ELEMENTS]
    corrected[2][2] = "Makes apps and games"
    fixed = _import(session_factory, "stakeholders", _map(corrected))
    assert (fixed.counts["updated"], fixed.counts["unchanged"]) == (1, 3)
    assert _found(client, "stakeholders", "Acme Digital")["description"] == "Makes apps and games"


def test_with_an_id_column_an_element_is_matched_by_its_id_when_relabelled(client, session_factory):
    elements: Sheet = [["ID", "Label", "Element Type"], ["e1", "Acme Digital", "SME"]]
    assert _import(session_factory, "stakeholders", _map(elements, None)).counts["created"] == 1
    renamed = _import(
        session_factory, "stakeholders", _map([elements[0], ["e1", "Acme Digital Ltd", "SME"]], None)
    )
    assert renamed.counts["updated"] == 1, renamed.problems
    acme = _found(client, "stakeholders", "Acme Digital Ltd")
    assert (acme["external_id"], acme["kind"]) == ("e1", "business")


def test_collaboration_elements_and_their_connections(client, session_factory, places):
    aston = factories.stakeholder(client, name="Aston University", kind="university")  # here already
    done = _import(session_factory, "collaborations", _map())
    assert done.status == ImportStatus.succeeded, done.problems
    assert done.counts == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    streets = _found(client, "collaborations", "Smart Streets")
    assert (streets["kind"], streets["source"], streets["external_id"]) == (
        "project",
        "kumu",
        "Smart Streets",
    )
    assert streets["funding_status"] is None and len(streets["area_ids"]) == 1
    assert _roles(client, streets) == [
        ("Acme Digital", "partner"),
        ("Aston University", "lead"),
        ("Makers CIC", "partner"),
    ]
    ktp = _found(client, "collaborations", "Aston and Acme KTP")  # two organisations joined directly
    assert (ktp["kind"], ktp["external_id"]) == ("partnership", "Aston University→Acme Digital")
    assert _roles(client, ktp) == [("Acme Digital", "partner"), ("Aston University", "partner")]
    assert _found(client, "stakeholders", "Aston University")["id"] == aston["id"]  # matched, not added
    made = _found(client, "stakeholders", "Makers CIC")
    assert (made["kind"], made["source"], made["external_id"]) == ("third_sector", "kumu", "Makers CIC")
    assert any("read as partner" in n and "Supplier" in n for n in done.notes)
    assert any("left out of a collaborations import: Lonely Ltd." in n for n in done.notes)
    assert "Not read from Connections: Strength." in done.notes
    counts = _all(session_factory)
    again = _import(session_factory, "collaborations", _map())
    assert again.counts == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert _all(session_factory) == counts
    # Imported as stakeholders afterwards, the organisations it added are completed, not doubled.
    stakeholders = _import(session_factory, "stakeholders", _map())
    assert stakeholders.counts == {"rows": 4, "created": 1, "updated": 2, "unchanged": 1, "rejected": 0}


def test_a_corrected_map_updates_in_place_and_adds_participants(client, session_factory, places):
    _import(session_factory, "collaborations", _map())
    connections = [*CONNECTIONS, ["Lonely Ltd", "Smart Streets", "Funds", "", ""]]
    elements = [row[:] for row in ELEMENTS]
    elements[4][2] = "Sensors on every lamp post"
    done = _import(session_factory, "collaborations", _map(elements, connections))
    assert (done.counts["updated"], done.counts["unchanged"], done.counts["created"]) == (1, 1, 0), (
        done.problems
    )
    streets = _found(client, "collaborations", "Smart Streets")
    assert streets["description"] == "Sensors on every lamp post"
    assert ("Lonely Ltd", "funder") in _roles(client, streets)


def test_a_connection_to_an_unknown_element_leaves_nothing(session_factory, places):
    before = _all(session_factory)
    bad = [
        *CONNECTIONS,
        ["Aston Univeristy", "Smart Streets", "Partner", "", ""],
        ["", "Makers CIC", "", "", ""],
    ]
    done = _import(session_factory, "collaborations", _map(connections=bad))
    assert done.status == ImportStatus.failed
    assert [(p["row"], p["column"], p["value"]) for p in done.problems] == [
        (5, "Connections: From", "Aston Univeristy"),
        (6, "Connections: From", ""),
    ]
    assert "No element 'Aston Univeristy' in Elements" in done.problems[0]["problem"]
    assert _all(session_factory) == before


def test_a_bad_element_is_named_by_its_sheet_and_column(session_factory, places):
    elements = [
        *ELEMENTS,
        ["", "Company", "No label", "", "", "", ""],
        ["Nowhere Ltd", "", "", "", "", "Atlantis", ""],
    ]
    done = _import(session_factory, "stakeholders", _map(elements))
    assert [(p["row"], p["column"], p["value"]) for p in done.problems] == [
        (7, "Elements: Label", ""),
        (8, "Elements: Areas", "Atlantis"),
    ]
    long_title = [*ELEMENTS[:4], ["x" * 301, "Project", "", "", "", "", ""]]
    done = _import(session_factory, "collaborations", _map(long_title, CONNECTIONS[:1]))
    assert [(p["row"], p["column"]) for p in done.problems] == [(5, "Elements: Label")]


def test_what_is_not_a_kumu_map_is_refused_with_a_reason(session_factory, places):
    csv = _import(session_factory, "stakeholders", b"Label,Type\nAcme,Company\n")
    assert csv.status == ImportStatus.failed and "Excel workbook with Elements and Connections" in csv.error
    missing = _import(session_factory, "collaborations", _map(connections=None))
    assert (
        missing.error
        == 'A Kumu map has a sheet called "Connections"; this workbook\'s sheets are: "Elements".'
    )
    # Sheets are found by name in any case, whichever comes first.
    book = _map(first="elements")
    assert _import(session_factory, "stakeholders", book).status == ImportStatus.succeeded


def test_through_the_api(client):
    files = {
        "file": (
            "map.xlsx",
            _map(ELEMENTS[:4], CONNECTIONS[:1] + CONNECTIONS[3:]),
            "application/octet-stream",
        )
    }
    sent = client.post(f"{API}/imports", params={"kind": "collaborations", "format": "kumu"}, files=files)
    assert sent.status_code == 202, sent.text
    runner.drain()
    done = client.get(sent.headers["location"]).json()
    assert done["status"] == "succeeded", done
    assert done["counts"]["created"] == 1  # the organisations' own link; no collaboration elements
    refused = client.post(f"{API}/imports", params={"kind": "areas", "format": "kumu"}, files=files)
    assert refused.status_code == 422


def test_from_the_command_line(session_factory, places, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cli, "make_engine", lambda url: None)
    monkeypatch.setattr(cli, "sessionmaker", lambda *args, **kwargs: session_factory)
    path = tmp_path / "map.xlsx"
    path.write_bytes(_map())
    command = ["import", str(path), "--kind", "collaborations", "--format", "kumu"]
    before = _count(session_factory, models.Collaboration)
    checked = CliRunner().invoke(app, [*command, "--dry-run"])
    assert checked.exit_code == 0, checked.output
    assert _count(session_factory, models.Collaboration) == before
    done = CliRunner().invoke(app, command)
    assert done.exit_code == 0 and "Imported." in done.output, done.output
    assert "Lonely Ltd" in re.sub(r"\s+", " ", done.output)
    assert _count(session_factory, models.Collaboration) == before + 2


def test_rows_of_one_element_are_merged_and_connections_may_name_ids_or_labels(client, session_factory):
    elements: Sheet = [
        ["ID", "Label", "Type", "Description"],
        ["p1", "Smart Streets", "Programme", ""],
        ["o1", "Acme Digital", "SME", ""],
        ["o2", "Acme Digital", "Charity", ""],  # the same label, another element: told apart by ID
        ["p1", "Smart Streets", "", "Sensors"],  # the same ID: one element, as Kumu reads it
    ]
    connections: Sheet = [
        ["From", "To", "Type"],
        ["o1", "Smart Streets", "Member of"],
        ["o2", "p1", "Chairs"],
    ]
    done = _import(session_factory, "collaborations", _map(elements, connections))
    assert done.counts["created"] == 1, done.problems
    assert any("rows 2 and 5 are one element" in n for n in done.notes)
    streets = _found(client, "collaborations", "Smart Streets")
    assert (streets["kind"], streets["description"], streets["external_id"]) == ("programme", "Sensors", "p1")
    assert _roles(client, streets) == [("Acme Digital", "chair"), ("Acme Digital", "member")]
    acmes = client.get(f"{API}/stakeholders", params={"q": "Acme Digital"}).json()["items"]
    assert sorted((s["external_id"], s["kind"]) for s in acmes) == [
        ("o1", "business"),
        ("o2", "third_sector"),
    ]
    ambiguous = [*connections, ["Acme Digital", "p1", ""]]
    refused = _import(session_factory, "collaborations", _map(elements, ambiguous))
    assert "More than one element is labelled 'Acme Digital'" in refused.problems[0]["problem"]


def test_a_table_opens_its_workbooks_other_sheets_as_it_streams() -> None:
    source = io.BytesIO(_map())
    elements = open_table(source)
    assert (elements.sheet, elements.sheets) == ("Elements", ("Elements", "Connections"))
    connections = elements.open_sheet("CONNECTIONS")
    first = next(elements.rows)
    assert [row.values["from"] for row in connections.rows] == [
        "Aston University",
        "Smart Streets",
        "Aston University",
    ]
    assert first.values["label"] == "Aston University" and len(list(elements.rows)) == 4
    assert not source.closed
    with pytest.raises(FileProblem, match='no sheet called "Loops"'):
        elements.open_sheet("Loops")
    with pytest.raises(FileProblem, match="CSV"):
        open_table(io.BytesIO(b"Label\nAcme\n")).open_sheet("Connections")


def test_an_unknown_type_never_overwrites_what_an_organisation_is(client, session_factory):
    """A map's `Organization` (none of our kinds) fills a new record as business; an existing
    university, matched by name, stays a university."""
    factories.stakeholder(client, name="Lonely Ltd", kind="university")
    elements: Sheet = [["Label", "Type"], ["Lonely Ltd", "Organization"], ["New One", "Thing"]]
    done = _import(session_factory, "stakeholders", _map(elements, None))
    assert done.status == ImportStatus.succeeded, done.problems
    assert _found(client, "stakeholders", "Lonely Ltd")["kind"] == "university"
    assert _found(client, "stakeholders", "New One")["kind"] == "business"
