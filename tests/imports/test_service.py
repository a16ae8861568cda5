"""An import end to end on the test database: checked whole, all or nothing, idempotent."""

import dataclasses
import io
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select
from sqlmodel import Session, col

from api import models
from api.audit.service import Actor
from api.imports import kinds, records
from api.imports.schemas import ImportRequest, ImportStatus
from tests import factories
from tests.imports import running

TEAM = Actor("account", None, "digital team")
Factory = Callable[[], Session]


_import = running.run
_count = running.count


@pytest.fixture
def places(client: TestClient) -> dict[str, dict]:
    region = factories.area(client, code="E12000005", name="West Midlands", kind="region")
    return {
        "region": region,
        "coventry": factories.area(client, code="E08000026", name="Coventry", parent_ids=[region["id"]]),
        "birmingham": factories.area(client, code="E08000025", name="Birmingham", parent_ids=[region["id"]]),
    }


ORGS = (
    "Name,Kind,Sectors,Area IDs,Identifiers\n"
    "Aston University,university,digital;skills,E08000025,GB-EDU-133781\n"
    "Coventry University,University,,Coventry,\n"
)


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(session_factory, places):
    before = (_count(session_factory, models.Stakeholder), _count(session_factory, models.Change))
    done = _import(session_factory, "stakeholders", ORGS, dry_run=True)
    assert done.status == ImportStatus.succeeded and done.dry_run
    assert done.counts == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert (_count(session_factory, models.Stakeholder), _count(session_factory, models.Change)) == before


def test_the_same_file_twice_changes_nothing_and_a_corrected_one_updates_in_place(session_factory, places):
    first = _import(session_factory, "stakeholders", ORGS)
    assert first.status == ImportStatus.succeeded and first.counts["created"] == 2
    changes = _count(session_factory, models.Change)
    again = _import(session_factory, "stakeholders", ORGS)
    assert again.counts == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert _count(session_factory, models.Change) == changes  # nothing written, nothing recorded
    corrected = ORGS.replace("digital;skills", "digital;skills;data")
    fixed = _import(session_factory, "stakeholders", corrected)
    assert fixed.counts["updated"] == 1 and fixed.counts["unchanged"] == 1
    with session_factory() as session:
        aston = session.scalars(
            select(models.Stakeholder).where(col(models.Stakeholder.name) == "Aston University")
        ).one()
        assert aston.version == 2
        sectors = session.scalars(
            select(col(models.StakeholderSector.sector)).where(
                col(models.StakeholderSector.stakeholder_id) == aston.id
            )
        )
        assert sorted(sectors) == ["data", "digital", "skills"]
        trail = session.scalars(select(models.Change).where(col(models.Change.resource_id) == aston.id)).all()
        assert [(c.action, c.actor_name) for c in trail] == [
            ("create", "digital team"),
            ("update", "digital team"),
        ]


def test_one_bad_row_leaves_the_database_as_it_was(session_factory, places):
    before = (_count(session_factory, models.Stakeholder), _count(session_factory, models.Change))
    text = ORGS + "Bad Org,spaceship,,Nowhere,\nUnplaced,business,,Atlantis,\n"
    done = _import(session_factory, "stakeholders", text)
    assert done.status == ImportStatus.failed
    assert done.counts == {"rows": 4, "created": 2, "updated": 0, "unchanged": 0, "rejected": 2}
    assert [(p["row"], p["column"], p["value"]) for p in done.problems] == [
        (4, "Area IDs", "Nowhere"),
        (5, "Area IDs", "Atlantis"),
    ]
    assert (_count(session_factory, models.Stakeholder), _count(session_factory, models.Change)) == before


def test_a_crash_half_way_leaves_nothing_and_is_recorded(session_factory, places, monkeypatch):
    real, calls = records.STAKEHOLDERS.make, []

    def crash_on_second(session, values, data):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(session, values, data)

    monkeypatch.setitem(
        kinds.IMPORTERS,
        "stakeholders",
        dataclasses.replace(records.STAKEHOLDERS, make=crash_on_second),
    )
    before = _count(session_factory, models.Stakeholder)
    done = _import(session_factory, "stakeholders", ORGS)
    assert done.status == ImportStatus.failed and "RuntimeError" in done.error
    assert _count(session_factory, models.Stakeholder) == before


def test_a_file_that_is_not_a_table_fails_with_a_reason(session_factory):
    done = _import(session_factory, "stakeholders", b"")
    assert done.status == ImportStatus.failed and done.error


def test_observations_as_spreadsheets_write_them(client, session_factory, places):
    metric = factories.metric(client, code="full-fibre", name="Full fibre")
    text = (
        "Metric,Area,Date,Value,Breakdown,Flags,Source\n"
        "full-fibre,E08000026,01/04/2023,< 15,,provisional,Ofcom\n"
        "full-fibre,Birmingham,45017,c. 20,,,Ofcom\n"
        "full-fibre,Coventry,2024,20%,age:65+,,Ofcom\n"
    )
    done = _import(session_factory, "observations", text)
    assert done.status == ImportStatus.succeeded, done.problems
    values = client.get(f"/api/v1/metrics/{metric['id']}/observations", params={"sort": "date"}).json()[
        "items"
    ]
    seen = sorted((v["date"], v["value"], v["qualifier"], v["breakdown"], v["flags"]) for v in values)
    assert seen == [
        ("2023-04-01", "15", "lt", {}, ["provisional"]),
        ("2023-04-01", "20", "approx", {}, []),
        ("2024-01-01", "20", "eq", {"age": "65+"}, []),
    ]
    assert _import(session_factory, "observations", text).counts["unchanged"] == 3


def test_values_name_their_metric_once_for_a_file_without_a_metric_column(client, session_factory, places):
    metric = factories.metric(client, code="gigabit", name="Gigabit")
    done = _import(
        session_factory, "baselines", "area,value,date\nCoventry,12,2020-01-01\n", metric="gigabit"
    )
    assert done.status == ImportStatus.succeeded, done.problems
    assert client.get(f"/api/v1/metrics/{metric['id']}/baselines").json()["items"][0]["value"] == "12"
    missing = _import(session_factory, "baselines", "area,value,date\nCoventry,12,2020-01-01\n")
    assert missing.problems[0]["problem"].startswith("Which metric?")


def test_an_xlsx_workbook_imports_like_a_csv(session_factory, places):
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "kind", "area_ids"])
    sheet.append(["Birmingham City University", "university", "Birmingham"])
    data = io.BytesIO()
    book.save(data)
    done = _import(session_factory, "stakeholders", data.getvalue())
    assert done.status == ImportStatus.succeeded and done.counts["created"] == 1, (done.problems, done.notes)


# --- layouts -------------------------------------------------------------------------------


def test_a_tidy_open_sdg_file_gives_totals_and_breakdowns(client, session_factory, places):
    metric = factories.metric(client, code="online", name="Online")
    text = (
        "Year,Series,Units,Age,Sex,GeoCode,Value\n"
        "2022,,Percentage,,,E08000026,91.5\n"
        "2022,,Percentage,65+,,E08000026,70\n"
        "2022,,Percentage,65+,Female,E08000026,68\n"
        "2023,,Percentage,,,E08000025,93\n"
    )
    done = _import(session_factory, "observations", text, format="tidy", metric="online")
    assert done.status == ImportStatus.succeeded, done.problems
    assert done.counts["created"] == 4 and any("Units" in n for n in done.notes)
    url = f"/api/v1/metrics/{metric['id']}/observations"
    totals = client.get(url, params={"breakdown": "total", "sort": "date"}).json()["items"]
    assert [(v["date"], v["value"]) for v in totals] == [("2022-01-01", "91.5"), ("2023-01-01", "93")]
    both = client.get(url, params={"breakdown": "age:65+;sex:Female"}).json()["items"]
    assert [v["value"] for v in both] == ["68"]


def test_a_wide_table_maps_columns_to_metrics(client, session_factory, places):
    fibre = factories.metric(client, code="full-fibre", name="Full fibre")
    gigabit = factories.metric(client, code="gigabit", name="Gigabit")
    text = (
        "LAD23CD,LAD23NM,Full fibre availability (%),Gigabit (%),Premises\n"
        "E08000026,Coventry,55.1,80,150000\n"
        "E08000025,Birmingham,x,82.5,500000\n"
    )
    options = {
        "format": "wide",
        "date": "2024-01-01",
        "map": ["Full fibre availability (%)=full-fibre", "Gigabit (%)=gigabit"],
    }
    done = _import(session_factory, "observations", text, **options)
    assert done.status == ImportStatus.failed  # Birmingham's full fibre figure is suppressed
    assert [(p["row"], p["column"], p["value"]) for p in done.problems] == [
        (3, "Full fibre availability (%)", "x")
    ]
    assert any("Premises" in n for n in done.notes)
    fixed = text.replace(",x,", ",60,")
    assert _import(session_factory, "observations", fixed, **options).counts["created"] == 4
    for metric, expected in ((fibre, ["55.1", "60"]), (gigabit, ["80", "82.5"])):
        items = client.get(f"/api/v1/metrics/{metric['id']}/observations", params={"sort": "value"}).json()[
            "items"
        ]
        assert [v["value"] for v in items] == expected and {v["date"] for v in items} == {"2024-01-01"}


def test_a_wide_table_without_a_map_reads_columns_named_as_metrics(client, session_factory, places):
    factories.metric(client, code="full-fibre", name="Full fibre")
    done = _import(
        session_factory, "observations", "area,full-fibre,other\nCoventry,50,1\n", format="wide", date="2024"
    )
    assert done.status == ImportStatus.succeeded and done.counts["created"] == 1, (done.problems, done.notes)


def test_an_ons_lookup_builds_the_hierarchy_and_adds_to_existing_parents(client, session_factory, places):
    lep = factories.area(client, code="E37000062", name="Coventry and Warwickshire", kind="lep")
    client.patch(
        f"/api/v1/areas/{places['coventry']['id']}",
        json={"parent_ids": [places["region"]["id"], lep["id"]]},
        headers={"If-Match": "*"},
    )
    text = (
        "WD23CD,WD23NM,LAD23CD,LAD23NM,CAUTH23CD,CAUTH23NM,RGN23CD,RGN23NM\n"
        "E05001218,Foleshill,E08000026,Coventry,E47000007,West Midlands,E12000005,West Midlands\n"
        "E05001219,Henley,E08000026,Coventry,E47000007,West Midlands,E12000005,West Midlands\n"
    )
    done = _import(session_factory, "areas", text, format="ons-lookup")
    assert done.status == ImportStatus.succeeded, done.problems
    # The region existed; the combined authority and two wards are new; Coventry gains a parent.
    assert (done.counts["created"], done.counts["updated"], done.counts["unchanged"]) == (3, 1, 1)
    coventry = client.get("/api/v1/areas/E08000026").json()
    wmca = client.get("/api/v1/areas/E47000007").json()
    assert set(coventry["parent_ids"]) == {places["region"]["id"], lep["id"], wmca["id"]}
    ward = client.get("/api/v1/areas/E05001218").json()
    assert ward["kind"] == "ward" and coventry["id"] in ward["parent_ids"]
    assert _import(session_factory, "areas", text, format="ons-lookup").counts["unchanged"] == 5


def test_collaborations_with_their_participants(client, session_factory, places):
    factories.stakeholder(client, name="Aston University", kind="university", identifiers=["GB-EDU-133781"])
    factories.stakeholder(client, name="Acme Digital", kind="business")
    text = (
        "title,kind,funding_status,funding_amount_pence,area_ids,participants\n"
        'Smart Streets,project,funded,"£12,500",Coventry,GB-EDU-133781:lead;Acme Digital:partner\n'
    )
    done = _import(session_factory, "collaborations", text)
    assert done.status == ImportStatus.succeeded, done.problems
    found = client.get("/api/v1/collaborations", params={"q": "Smart Streets"}).json()["items"][0]
    assert found["funding_amount_pence"] == 1_250_000 and found["area_ids"] == [places["coventry"]["id"]]
    roles = client.get(f"/api/v1/collaborations/{found['id']}/participants").json()["items"]
    assert sorted(p["role"] for p in roles) == ["lead", "partner"]
    assert _import(session_factory, "collaborations", text).counts["unchanged"] == 1
    more = text.replace("Acme Digital:partner", "Acme Digital:partner;Acme Digital:funder")
    assert _import(session_factory, "collaborations", more).counts["updated"] == 1
    bad = _import(session_factory, "collaborations", text.replace(":lead", ":boss"))
    assert "'boss' is not a role" in bad.problems[0]["problem"]


def test_support_schemes_by_name(client, session_factory, places):
    factories.stakeholder(client, name="Coventry University", kind="university")
    text = (
        "name,offer,provider_id,eligible_kinds,area_ids\n"
        "Focus Digital,Advice,Coventry University,business,Coventry\n"
    )
    done = _import(session_factory, "support-schemes", text)
    assert done.status == ImportStatus.succeeded, done.problems
    assert _import(session_factory, "support-schemes", text).counts["unchanged"] == 1
    changed = _import(session_factory, "support-schemes", text.replace("Advice", "Advice and grants"))
    assert changed.counts["updated"] == 1


def test_360giving_grants_become_funded_collaborations(client, session_factory, places):
    factories.stakeholder(client, name="WMCA", kind="combined_authority", identifiers=["GB-GOR-PB0001"])
    text = (
        "Identifier,Title,Description,Amount Awarded,Award Date,Recipient Org:Identifier,Recipient Org:Name,"
        "Funding Org:Identifier,Funding Org:Name,Beneficiary Location:Geographic Code\n"
        "360G-wmca-001,Digital skills bootcamp,Training,25000,2024-05-01,GB-CHC-1234567,Skills Trust,"
        "GB-GOR-PB0001,WMCA,E08000026\n"
    )
    done = _import(session_factory, "collaborations", text, format="360giving")
    assert done.status == ImportStatus.succeeded, done.problems
    assert any("Skills Trust" in n for n in done.notes)
    grant = client.get("/api/v1/collaborations", params={"q": "bootcamp"}).json()["items"][0]
    assert (grant["external_id"], grant["funding_status"], grant["funding_amount_pence"]) == (
        "360G-wmca-001",
        "funded",
        2_500_000,
    )
    assert grant["start_date"] == "2024-05-01"
    people = client.get(f"/api/v1/collaborations/{grant['id']}/participants").json()["items"]
    assert sorted(p["role"] for p in people) == ["funder", "lead"]
    trust = client.get("/api/v1/stakeholders", params={"q": "Skills Trust"}).json()["items"][0]
    assert trust["kind"] == "third_sector" and trust["identifiers"] == ["GB-CHC-1234567"]
    again = _import(session_factory, "collaborations", text, format="360giving")
    assert again.counts == {"rows": 1, "created": 0, "updated": 0, "unchanged": 1, "rejected": 0}


def test_a_layout_holds_only_its_kinds():
    with pytest.raises(ValueError, match="holds areas"):
        ImportRequest(kind="stakeholders", format="ons-lookup")


def test_values_in_bulk_keep_the_audit_trail_and_let_a_later_row_win(client, session_factory, places):
    metric = factories.metric(client, code="speed", name="Speed")
    text = (
        "metric,area,date,value,flags\n"
        "speed,Coventry,2024-01-01,10,provisional\n"
        "speed,Birmingham,2024-01-01,20,\n"
        "speed,Coventry,2024-01-01,11,\n"  # the same value again: the later row wins
    )
    done = _import(session_factory, "observations", text)
    assert done.status == ImportStatus.succeeded, done.problems
    assert (done.counts["created"], done.counts["updated"]) == (2, 1)
    values = client.get(f"/api/v1/metrics/{metric['id']}/observations", params={"sort": "value"}).json()[
        "items"
    ]
    assert [(v["value"], v["flags"]) for v in values] == [("11", []), ("20", [])]
    coventry = values[0]
    trail = client.get(f"/api/v1/metrics/{metric['id']}/observations/{coventry['id']}/history").json()[
        "items"
    ]
    assert [(c["action"], c["actor"]["name"], c["state"]["value"]) for c in trail] == [
        ("create", "digital team", "11")
    ]
    corrected = _import(
        session_factory, "observations", "metric,area,date,value\nspeed,Coventry,2024-01-01,12\n"
    )
    assert corrected.counts["updated"] == 1
    trail = client.get(f"/api/v1/metrics/{metric['id']}/observations/{coventry['id']}/history").json()[
        "items"
    ]
    assert trail[0]["action"] == "update" and trail[0]["version"] == 2, trail[0]
    assert [c for c in trail[0]["changes"] if c["field"] == "value"] == [
        {"field": "value", "before": "11", "after": "12", "redacted": False}
    ]
    feed = client.get("/api/v1/changes", params={"resources": "observations"}).json()["items"]
    assert len([c for c in feed if c["resource_id"] == coventry["id"]]) == 2


def test_a_partner_imports_values_only_on_collaborations_it_leads(client, client_as, session_factory, places):
    metric = factories.metric(client, code="reach", name="Reach")
    lead = factories.stakeholder(client)
    mine = factories.collaboration(client, title="Mine")
    theirs = factories.collaboration(client, title="Theirs")
    client.post(
        f"/api/v1/collaborations/{mine['id']}/participants",
        json={"stakeholder_id": lead["id"], "role": "lead"},
    )
    partner = client_as("partner", lead["id"])
    text = f"metric,area,collaboration_id,date,value\nreach,Coventry,{mine['id']},2024-01-01,5\n"
    files = {"file": ("v.csv", text.encode(), "text/csv")}
    sent = partner.post("/api/v1/imports", params={"kind": "observations"}, files=files)
    assert sent.status_code == 202
    from api.imports import runner

    runner.drain()
    assert partner.get(sent.headers["location"]).json()["status"] == "succeeded"
    other = text.replace(mine["id"], theirs["id"])
    sent = partner.post(
        "/api/v1/imports", params={"kind": "observations"}, files={"file": ("v.csv", other.encode())}
    )
    runner.drain()
    refused = partner.get(sent.headers["location"]).json()
    assert refused["status"] == "failed" and "partner" in refused["problems"][0]["problem"]
    assert metric["id"]


def test_an_imported_target_on_the_wrong_side_of_its_baseline_is_a_row_problem(
    client, session_factory, places
):
    metric = factories.metric(client, code="fibre-side", name="Fibre")  # higher is better
    factories.baseline(client, metric["id"], places["coventry"]["id"], value="15", date="2021-01-01")
    text = "area,value,date\nCoventry,60,2030-01-01\nCoventry,10,2031-01-01\nBirmingham,5,2030-01-01\n"
    done = _import(session_factory, "targets", text, metric="fibre-side")
    assert done.status == ImportStatus.failed and done.counts["rejected"] == 1
    [bad] = done.problems
    assert (bad["row"], bad["column"]) == (3, "value") and "baseline is 15 and the target 10" in bad[
        "problem"
    ]
    assert client.get(f"/api/v1/metrics/{metric['id']}/targets").json()["items"] == []  # nothing written
