"""Open Referral UK: support schemes as services, imported elsewhere (and back) with nothing lost."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from typer.testing import CliRunner

from api.cli import app
from api.imports import cli, runner
from api.imports.oruk import EXTENSION, GEOGRAPHY
from api.imports.schemas import ImportStatus
from api.seed.schemas import SeedFile
from tests import factories
from tests.imports import running
from tests.open_data.conftest import API, OPEN, Elsewhere, codes, every, names

SERVICES = f"{OPEN}/oruk/services"


def _schemes(client: TestClient) -> list[dict[str, Any]]:
    """Every scheme as a file can carry it: areas, missions and providers by code and name."""
    areas, missions, who = codes(client, "/areas"), codes(client, "/missions"), names(client)
    found = []
    for s in every(client, "/support-schemes"):
        found.append(
            {
                **{k: v for k, v in s.items() if k not in ("id", "version", "created_at", "updated_at")},
                "provider_id": who.get(s["provider_id"] or ""),
                "area_ids": sorted(areas[a] for a in s["area_ids"]),
                "mission_ids": sorted(missions[m] for m in s["mission_ids"]),
            }
        )
    return sorted(found, key=lambda s: s["name"])


def _full_scheme(client: TestClient) -> dict[str, Any]:
    """A scheme with every field given, run by an organisation with org-id identifiers."""
    provider = {s["name"]: s for s in every(client, "/stakeholders")}["Aston University"]
    answer = client.patch(
        f"{API}/stakeholders/{provider['id']}",
        json={"identifiers": ["GB-EDU-133781"]},
        headers={"If-Match": f'"{provider["version"]}"'},
    )
    assert answer.status_code == 200, answer.text
    by_code = {code: id_ for id_, code in codes(client, "/areas").items()}
    missions = {code: id_ for id_, code in codes(client, "/missions").items()}
    return factories.post(
        client,
        "/support-schemes",
        {
            "name": "Focus Digital Plus",
            "provider_id": provider["id"],
            "offer": "Grants of up to £5,000; advice",
            "description": 'Digital adoption for SMEs: "hands on".\nTwo lines.',
            "url": "https://example.org/focus",
            "status": "closed",
            "closes_on": "2025-03-31",
            "area_ids": [by_code["E08000025"], by_code["E08000026"]],
            "eligible_kinds": ["business", "third_sector"],
            "eligible_sizes": ["micro", "small"],
            "eligible_sectors": ["digital", "advanced manufacturing"],
            "mission_ids": [missions["M2"], missions["M4"]],
        },
    )


@pytest.mark.usefixtures("small_pages")
def test_services_import_elsewhere_and_back_as_they_were(
    client: TestClient,
    anon: TestClient,
    roadmap: SeedFile,
    elsewhere: Callable[[SeedFile], Elsewhere],
    session_factory: Callable[[], Session],
) -> None:
    _full_scheme(client)
    factories.post(client, "/support-schemes", {"name": "Bare", "offer": "Anything"})  # no provider
    answer = anon.get(SERVICES)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    assert answer.headers["content-disposition"].startswith('attachment; filename="oruk-services-')
    there = elsewhere(roadmap.model_copy(update={"support_schemes": []}))
    done = there.load("support-schemes", answer.content, format="oruk", filename="services.json")
    assert done.counts["created"] == len(_schemes(client)) == 7
    assert _schemes(there.client) == _schemes(client)
    back = running.run(session_factory, "support-schemes", answer.content, format="oruk")
    assert back.status == ImportStatus.succeeded, back.problems
    assert back.counts["unchanged"] == back.counts["rows"] == 7  # home again: nothing changes


def test_a_service_in_oruk_s_terms(client: TestClient, anon: TestClient, roadmap: SeedFile) -> None:
    made = _full_scheme(client)
    feed = anon.get(SERVICES).json()
    assert {k: feed[k] for k in ("total_items", "size", "page_number", "total_pages", "empty")} == {
        "total_items": 6,
        "size": 6,
        "page_number": 1,
        "total_pages": 1,
        "empty": False,
    }
    [service] = [s for s in feed["contents"] if s["id"] == made["id"]]
    assert (service["name"], service["status"], service["url"]) == (made["name"], "inactive", made["url"])
    assert service[EXTENSION] == {"offer": made["offer"], "closes_on": "2025-03-31"}
    assert service["organization"]["name"] == "Aston University"
    assert service["organization"]["organization_identifiers"][0] | {"id": ""} == {
        "id": "",
        "organization_id": made["provider_id"],
        "identifier_scheme": "GB-EDU",
        "identifier": "133781",
    }
    assert sorted((a["name"], a["uri"]) for a in service["service_areas"]) == [
        ("Birmingham", f"{GEOGRAPHY}E08000025"),
        ("Coventry", f"{GEOGRAPHY}E08000026"),
    ]
    terms = sorted((a["link_type"], a["taxonomy_term"]["term"]) for a in service["attributes"])
    assert terms == [
        ("eligibility", "advanced manufacturing"),
        ("eligibility", "business"),
        ("eligibility", "digital"),
        ("eligibility", "micro"),
        ("eligibility", "small"),
        ("eligibility", "third_sector"),
        ("mission", "M2"),
        ("mission", "M4"),
    ]
    assert "Micro, Small" in service["eligibility_description"]
    assert anon.get(SERVICES).json() == feed  # the same ids each time


def test_bad_files_are_named_problems_not_failures(client: TestClient, session_factory, roadmap) -> None:
    def run(data: str | bytes) -> Any:
        return running.run(session_factory, "support-schemes", data, format="oruk", filename="feed.json")

    broken = run('{"contents": [{"name": "A",}]}')
    assert broken.status == ImportStatus.failed and "not valid JSON" in broken.error
    assert "line 1, column" in broken.error
    assert "none of these" in run('"just text"').error
    assert "Excel workbook" in run(b"PK\x03\x04rest").error
    services = [
        {"name": "Fine", "status": "active", EXTENSION: {"offer": "Advice"}},
        {"name": 12, EXTENSION: {"offer": "Advice"}},
        "not a service",
        {"name": "No area", "service_areas": [{"id": "x"}], EXTENSION: {"offer": "Advice"}},
        {"name": "Odd status", "status": "paused", EXTENSION: {"offer": "Advice"}},
        {"name": "Nobody", "organization": {"name": "No such organisation"}, EXTENSION: {"offer": "A"}},
    ]
    done = run(json.dumps(services))
    assert done.status == ImportStatus.failed  # and so nothing was written
    problems = [(p["row"], p["column"]) for p in done.problems]
    assert problems == [(2, "name"), (3, None), (4, "service_areas"), (5, "status"), (6, "organization")]
    assert "text, not a number" in done.problems[0]["problem"]
    lenient = run(json.dumps({"name": "Words only", "description": "Advice for anyone."}))
    assert lenient.status == ImportStatus.succeeded, lenient.problems
    assert any("take their description as the offer" in note for note in lenient.notes)


def test_the_api_and_the_command_line_take_the_oruk_format(
    client: TestClient, session_factory: Callable[[], Session], tmp_path: Path, monkeypatch: Any
) -> None:
    feed = json.dumps([{"name": "From a feed", EXTENSION: {"offer": "Advice"}}]).encode()
    files = {"file": ("services.json", feed, "application/json")}
    sent = client.post(f"{API}/imports", params={"kind": "support-schemes", "format": "oruk"}, files=files)
    assert sent.status_code == 202, sent.text
    runner.drain()
    assert client.get(sent.headers["location"]).json()["counts"]["created"] == 1
    refused = client.post(f"{API}/imports", params={"kind": "stakeholders", "format": "oruk"}, files=files)
    assert refused.status_code == 422 and "support-schemes" in refused.text
    monkeypatch.setattr(cli, "make_engine", lambda url: None)
    monkeypatch.setattr(cli, "sessionmaker", lambda *args, **kwargs: session_factory)
    path = tmp_path / "services.json"
    path.write_bytes(feed.replace(b"From a feed", b"From the command line"))
    done = CliRunner().invoke(app, ["import", str(path), "--kind", "support-schemes", "--format", "oruk"])
    assert done.exit_code == 0 and "Imported." in done.output, done.output
    assert [s["name"] for s in every(client, "/support-schemes", q="From the")] == ["From the command line"]
