"""Kumu: the network as a map, imported elsewhere as the same organisations and collaborations."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.imports.activity import COLLABORATIONS
from api.imports.kumu import CONNECTION_HEADINGS
from api.imports.reading import normalise_header
from api.imports.records import STAKEHOLDERS
from api.open_data.kumu import FIELDS
from api.seed.schemas import SeedFile
from tests import factories
from tests.open_data.conftest import OPEN, Elsewhere, codes, every, names

MAP = f"{OPEN}/kumu.xlsx"
# What a map does not carry: an organisation's status and size, a collaboration's scale, the
# dates a participant joined and left, and the keys records have in other systems.
UNCARRIED = {"id", "version", "created_at", "updated_at", "status", "size", "scale", "source", "external_id"}


def _network(client: TestClient) -> tuple[dict[str, Any], dict[str, Any]]:
    """Organisations by name and collaborations by title, as a map carries them."""
    areas, outcomes, who = codes(client, "/areas"), codes(client, "/outcomes"), names(client)
    organisations = {
        s["name"]: {k: v for k, v in s.items() if k not in UNCARRIED}
        | {"area_ids": sorted(areas[a] for a in s["area_ids"])}
        for s in every(client, "/stakeholders")
    }
    collaborations = {}
    for c in every(client, "/collaborations"):
        people = every(client, f"/collaborations/{c['id']}/participants")
        collaborations[c["title"]] = {k: v for k, v in c.items() if k not in UNCARRIED} | {
            "area_ids": sorted(areas[a] for a in c["area_ids"]),
            "outcome_ids": sorted(outcomes[o] for o in c["outcome_ids"]),
            "participants": sorted((who[p["stakeholder_id"]], p["role"]) for p in people),
        }
    return organisations, collaborations


def _sheets(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    found = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    book.close()
    return found


def _more(client: TestClient) -> dict[str, Any]:
    """Besides the roadmap: a pair of partners, a draft, and organisations and projects with every field."""
    by_code = {code: id_ for id_, code in codes(client, "/areas").items()}
    outcome = next(iter(codes(client, "/outcomes")))
    maker = factories.stakeholder(
        client,
        name="Makers CIC",
        kind="third_sector",
        sectors=["digital", "making"],
        area_ids=[by_code["E08000026"]],
        website="https://example.org/makers",
        description="=SUM(A1) is not a formula here",
        new_to_innovation=True,
        identifiers=["GB-CHC-7654321", "GB-COH-01234567"],
    )
    acme = factories.stakeholder(client, name="Acme Digital", source="kumu", external_id="acme")
    pair = factories.collaboration(client, title="Makers and Acme", kind="partnership", description="A pair")
    for who in (maker, acme):
        factories.participant(client, pair["id"], who["id"], role="partner")
    full = factories.collaboration(
        client,
        title="Smart Streets",
        kind="funding_bid",
        funding_status="seeking",
        funding_route="Investment case",
        funding_amount_pence=1_250_050,
        lighthouse=True,
        start_date="2024-04-01",
        end_date="2026-03-31",
        area_ids=[by_code["E08000026"], by_code["E08000025"]],
        outcome_ids=[outcome],
    )
    factories.participant(client, full["id"], maker["id"], role="lead")
    factories.participant(client, full["id"], maker["id"], role="funder")
    factories.participant(client, full["id"], acme["id"], role="ambassador")
    draft = factories.collaboration(client, title="Draft idea", publication="draft")
    factories.participant(client, draft["id"], acme["id"], role="lead")
    return {"pair": pair, "draft": draft}


@pytest.mark.usefixtures("small_pages")
def test_the_map_imports_elsewhere_as_the_same_network(
    client: TestClient,
    client_as: Callable[..., TestClient],
    roadmap: SeedFile,
    elsewhere: Callable[[SeedFile], Elsewhere],
) -> None:
    _more(client)
    answer = client_as("reader").get(MAP)
    assert answer.status_code == 200 and answer.headers["content-disposition"].endswith('.xlsx"')
    empty = roadmap.model_copy(
        update={"stakeholders": [], "collaborations": [], "support_schemes": [], "metrics": []}
    )
    there = elsewhere(empty)
    there.load("stakeholders", answer.content, format="kumu", filename="map.xlsx")
    there.load("collaborations", answer.content, format="kumu", filename="map.xlsx")
    assert _network(there.client) == _network(client)
    again = there.load("collaborations", answer.content, format="kumu", filename="map.xlsx")
    assert again.counts["unchanged"] == again.counts["rows"]


def test_the_layout_is_kumu_s(client: TestClient, anon: TestClient, roadmap: SeedFile) -> None:
    made = _more(client)
    sheets = _sheets(anon.get(MAP).content)
    assert list(sheets) == ["Elements", "Connections"]
    elements, connections = sheets["Elements"], sheets["Connections"]
    heading = elements[0]
    rows = {row[1]: dict(zip(heading, row, strict=False)) for row in elements[1:]}  # short: blanks
    assert "Draft idea" not in rows  # not public
    assert rows["Makers CIC"]["Type"] == "Third sector" and rows["Makers CIC"]["Tags"] == "digital|making"
    assert rows["Makers CIC"]["Description"] == "=SUM(A1) is not a formula here"
    assert rows["Acme Digital"]["ID"] == "acme"  # its key in Kumu, where it came from
    assert "Makers and Acme" not in rows  # two partners and nothing more: a connection
    [pair] = [c for c in connections[1:] if c[0] == made["pair"]["id"]]
    assert pair[1:] == (rows["Makers CIC"]["ID"], "acme", "Partnership", "Makers and Acme", "A pair")
    smart = rows["Smart Streets"]
    assert (smart["Type"], smart["Funding amount pence"], smart["Lighthouse"]) == (
        "Funding bid",
        "£12,500.50",
        "true",
    )
    roles = sorted(c[3] for c in connections[1:] if c[1] == smart["ID"])
    assert roles == ["Ambassador", "Funder", "Lead"]
    assert connections[0] == CONNECTION_HEADINGS


def test_its_columns_are_the_import_s_fields() -> None:
    """Each Elements column besides Kumu's own is read back as the field it is written from."""
    for field, heading in FIELDS.items():
        readers = [i for i in (STAKEHOLDERS, COLLABORATIONS) if field in i.columns]
        assert readers, field
        for importer in readers:
            assert importer.aliases.get(normalise_header(heading), normalise_header(heading)) == field
