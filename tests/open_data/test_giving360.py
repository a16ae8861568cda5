"""360Giving: funded collaborations as grants, imported elsewhere as the same funded projects."""

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.seed.schemas import SeedFile
from tests import factories
from tests.open_data.conftest import OPEN, Elsewhere, codes, every, names

GRANTS = f"{OPEN}/360giving/grants"
ROLES = ("lead", "funder")  # a grant's recipient and funder


def _grants(client: TestClient) -> dict[str, dict[str, Any]]:
    """Each funded collaboration as a grant carries it, by title: its recipient and funder by name."""
    areas, who = codes(client, "/areas"), names(client)
    found = {}
    for c in every(client, "/collaborations", funding_status="funded"):
        people = every(client, f"/collaborations/{c['id']}/participants")
        first = {r: next((who[p["stakeholder_id"]] for p in people if p["role"] == r), None) for r in ROLES}
        found[c["title"]] = {
            **{k: c[k] for k in ("description", "funding_amount_pence", "start_date", "end_date")},
            "area_ids": sorted(areas[a] for a in c["area_ids"]),
            **first,
        }
    return found


def _funded(client: TestClient) -> dict[str, Any]:
    """Grants with every field, to organisations known by org-id, by 360Giving key, or by name."""
    by_code = {code: id_ for id_, code in codes(client, "/areas").items()}
    trust = factories.stakeholder(
        client, name="Skills Trust", kind="third_sector", identifiers=["GB-CHC-1234567"]
    )
    keyed = factories.stakeholder(client, name="Keyed Funder", source="360giving", external_id="360G-org-77")
    wmca = next(s for s in every(client, "/stakeholders") if s["name"] == "West Midlands Combined Authority")
    made = {}
    for title, amount, funder, lead, more in (
        ("Bootcamp", 2_500_050, wmca, trust, {"start_date": "2024-05-01", "end_date": "2025-04-30"}),
        ("Keyed grant", 100, keyed, wmca, {"source": "360giving", "external_id": "360G-wmca-001"}),
        ("Unpriced", None, None, trust, {}),
    ):
        body = {
            "title": title,
            "kind": "programme",
            "funding_status": "funded",
            "funding_amount_pence": amount,
        }
        places = [by_code["E08000026"], by_code["E08000030"]]
        made[title] = factories.collaboration(
            client, **body, description=f"{title}: a grant", area_ids=places, **more
        )
        for who, role in ((funder, "funder"), (lead, "lead")):
            if who is not None:
                factories.participant(client, made[title]["id"], who["id"], role=role)
    draft = factories.collaboration(client, title="Draft grant", funding_status="funded", publication="draft")
    factories.collaboration(client, title="Seeking grant", funding_status="seeking")
    return {"made": made, "draft": draft}


@pytest.mark.usefixtures("small_pages")
def test_grants_import_elsewhere_as_the_same_funded_projects(
    client: TestClient, anon: TestClient, roadmap: SeedFile, elsewhere: Callable[[SeedFile], Elsewhere]
) -> None:
    _funded(client)
    answer = anon.get(f"{GRANTS}.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith('attachment; filename="grants-360giving-')
    there = elsewhere(roadmap.model_copy(update={"collaborations": [], "metrics": []}))
    there.load("collaborations", answer.content, format="360giving", filename="grants.csv")
    expected = {t: g for t, g in _grants(client).items() if t != "Draft grant"}
    assert _grants(there.client) == expected
    kinds = {(c["kind"], c["source"]) for c in every(there.client, "/collaborations")}
    assert kinds == {("project", "360giving")}  # what the 360giving layout makes of every grant
    keyed = [c for c in every(there.client, "/collaborations") if c["title"] == "Keyed grant"]
    assert keyed[0]["external_id"] == "360G-wmca-001"
    trust = next(s for s in every(there.client, "/stakeholders") if s["name"] == "Skills Trust")
    assert (trust["kind"], trust["identifiers"]) == ("third_sector", ["GB-CHC-1234567"])
    book = anon.get(f"{GRANTS}.xlsx")
    assert book.status_code == 200 and book.headers["content-disposition"].endswith('.xlsx"')
    same = there.load("collaborations", book.content, format="360giving", filename="grants.xlsx")
    assert same.counts["unchanged"] == same.counts["rows"] == len(expected)


def test_the_layout_is_360giving_s(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient], roadmap: SeedFile
) -> None:
    _funded(client)
    rows = {r["Title"]: r for r in csv.DictReader(io.StringIO(anon.get(f"{GRANTS}.csv").text))}
    assert {"Bootcamp", "Keyed grant", "Unpriced"} <= set(rows)
    assert not {"Draft grant", "Seeking grant"} & set(rows)  # funded and published only
    grant = rows["Bootcamp"]
    assert grant["Identifier"].startswith("360G-roadmap-tracker-")
    assert (grant["Amount Awarded"], grant["Currency"], grant["Award Date"]) == ("25000.5", "GBP", "")
    assert (grant["Recipient Org:Identifier"], grant["Recipient Org:Name"]) == (
        "GB-CHC-1234567",
        "Skills Trust",
    )
    assert (grant["Funding Org:Identifier"], grant["Funding Org:Name"]) == (
        "",
        "West Midlands Combined Authority",
    )
    assert grant["Beneficiary Location:Geographic Code"] in ("E08000026;E08000030", "E08000030;E08000026")
    assert rows["Keyed grant"]["Identifier"] == "360G-wmca-001"
    assert rows["Keyed grant"]["Funding Org:Identifier"] == "360G-org-77"
    assert (rows["Unpriced"]["Amount Awarded"], rows["Unpriced"]["Currency"]) == ("", "")
    signed_in = client_as("reader").get(f"{GRANTS}.xlsx")
    sheet = load_workbook(io.BytesIO(signed_in.content), read_only=True).worksheets[0]
    titles = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert titles == set(rows) | {"Draft grant"}  # signed in: drafts too
