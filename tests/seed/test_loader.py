"""The West Midlands roadmap data: what `make run` loads into an empty database."""

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.seed import loader

SEED_TEXT = loader.WEST_MIDLANDS.read_text(encoding="utf-8")
CONSTITUENT = {
    "E08000025": "Birmingham",
    "E08000026": "Coventry",
    "E08000027": "Dudley",
    "E08000028": "Sandwell",
    "E08000029": "Solihull",
    "E08000030": "Walsall",
    "E08000031": "Wolverhampton",
}
# People named in the source documents: never data for the product.
PEOPLE = [
    "Hawksbee",
    "Windrum",
    "Geary",
    "Waddell",
    "Kirwan",
    "Middleton",
    "Cadman",
    "Ed Cox",
    "Harley",
    "Louise Miles",
    "Momenabadi",
    "Lester Knight",
    "Anne Shaw",
    "Shapps",
]


@pytest.fixture
def loaded(session_factory: Callable[[], Session]) -> dict[str, int]:
    with session_factory() as session:
        created = loader.load(session)
        session.commit()
    return dict(created)


def everything(client: TestClient, path: str, **params: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = client.get(path, params={**params, "limit": "500", **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


def test_the_five_missions_with_their_foundations(loaded: dict[str, int], client: TestClient) -> None:
    missions = everything(client, "/api/v1/missions")
    assert [m["code"] for m in missions] == ["M1", "M2", "M3", "M4", "M5"]
    assert [m["foundation"] for m in missions] == [
        "access",
        "data",
        "infrastructure",
        "digital_economy",
        "digital_government",
    ]
    assert missions[2]["title"] == "Becoming the UK's best-connected region"
    for mission in missions:
        outcomes = everything(client, "/api/v1/outcomes", mission=mission["id"])
        assert len(outcomes) >= 2, mission["code"]
        assert all(o["code"].startswith(mission["code"] + ".") for o in outcomes)


def test_the_seven_local_authorities_by_gss_code(loaded: dict[str, int], client: TestClient) -> None:
    wm = client.get("/api/v1/areas/E12000005").json()
    wmca = client.get("/api/v1/areas/E47000007").json()
    for code, name in CONSTITUENT.items():
        area = client.get(f"/api/v1/areas/{code}").json()
        assert area["name"] == name and area["kind"] == "local_authority"
        assert {wm["id"], wmca["id"]} <= set(area["parent_ids"])
    las = everything(client, "/api/v1/areas", kind="local_authority", parent="E47000007")
    assert {a["code"] for a in las} == set(CONSTITUENT)
    regions = everything(client, "/api/v1/areas", kind="region")
    assert {f"E1200000{i}" for i in range(1, 10)} <= {r["code"] for r in regions}
    assert len(everything(client, "/api/v1/areas", kind="lep")) == 3


def test_every_baseline_has_its_source_and_qualifier(loaded: dict[str, int], client: TestClient) -> None:
    seed = loader.read()
    expected = sum(len(m.baselines) for m in seed.metrics)
    seen = 0
    for metric in everything(client, "/api/v1/metrics"):
        for baseline in everything(client, f"/api/v1/metrics/{metric['id']}/baselines"):
            assert baseline["source"], (metric["code"], baseline)
            assert baseline["qualifier"] in {"eq", "lt", "gt", "approx"}
            seen += 1
    assert seen == expected == loaded["baselines"]


def test_sandwell_full_fibre_baseline_is_reachable(loaded: dict[str, int], client: TestClient) -> None:
    sandwell = client.get("/api/v1/areas/E08000028").json()
    assert sandwell["name"] == "Sandwell"
    measured_there = everything(client, "/api/v1/metrics", area="E08000028")
    fibre = [m for m in measured_there if m["code"] == "full-fibre-coverage"]
    assert fibre and everything(client, "/api/v1/metrics", q="full fibre") == fibre
    [baseline] = everything(client, f"/api/v1/metrics/{fibre[0]['id']}/baselines", area="E08000028")
    assert (baseline["value"], baseline["qualifier"]) == ("15", "lt")
    assert "under 15%" in baseline["note"]


def test_headline_baselines_match_the_documents(loaded: dict[str, int], client: TestClient) -> None:
    def baseline(code: str, area: str) -> tuple[str, str]:
        [metric] = [m for m in everything(client, "/api/v1/metrics") if m["code"] == code]
        [b] = everything(client, f"/api/v1/metrics/{metric['id']}/baselines", area=area)
        return b["value"], b["qualifier"]

    assert baseline("non-internet-users", "E12000005") == ("20", "approx")
    assert baseline("no-4g-coverage", "E47000007") == ("10", "approx")
    assert baseline("employers-digital-skills-hard-to-find", "E12000005") == ("38", "eq")
    for borough in ("E08000027", "E08000028", "E08000030", "E08000031"):
        assert baseline("full-fibre-coverage", borough) == ("15", "lt")


def test_current_activity_is_linked_to_the_missions(loaded: dict[str, int], client: TestClient) -> None:
    for mission in everything(client, "/api/v1/missions"):
        activity = everything(client, "/api/v1/collaborations", mission=mission["id"])
        assert activity, f"{mission['code']} has no activity"
    seeking = everything(client, "/api/v1/collaborations", funding_status="seeking")
    assert any("Recharg" in (c["funding_route"] or "") for c in seeking)
    barrier = everything(client, "/api/v1/collaborations", q="Barrier Busting")
    assert barrier and barrier[0]["funding_status"] == "funded"


def test_organisations_only_and_no_personal_data() -> None:
    data = json.loads(SEED_TEXT)
    assert all(s["kind"] != "person" for s in data["stakeholders"])
    assert "@" not in SEED_TEXT
    for name in PEOPLE:
        assert name not in SEED_TEXT, name


def test_loading_twice_changes_nothing(
    loaded: dict[str, int], session_factory: Callable[[], Session], client: TestClient
) -> None:
    assert loaded["missions"] == 5 and loaded["stakeholders"] >= 40
    before = client.get("/api/v1/stakeholders", params={"limit": "500"}).json()
    with session_factory() as session:
        assert sum(loader.load(session).values()) == 0
        session.commit()
    assert client.get("/api/v1/stakeholders", params={"limit": "500"}).json() == before


def test_the_support_schemes_the_documents_name(loaded: dict[str, int], client: TestClient) -> None:
    assert loaded["support_schemes"] == 5
    schemes = {s["name"]: s for s in client.get("/api/v1/support-schemes").json()["items"]}
    assert {"Digital Skills Training", "Think Beyond Data", "Focus Digital"} <= set(schemes)
    aston = client.get("/api/v1/stakeholders", params={"q": "Aston University"}).json()["items"][0]
    assert schemes["Think Beyond Data"]["provider_id"] == aston["id"]
    # A small Coventry digital firm is pointed to Focus Digital (its LEP's scheme), not GBSLEP's.
    firm = client.post(
        "/api/v1/stakeholders",
        json={
            "name": "Small firm",
            "kind": "business",
            "size": "small",
            "sectors": ["digital"],
            "area_ids": ["E08000026"],
        },
    ).json()
    matched = [
        m["name"]
        for m in client.get("/api/v1/support-schemes/match", params={"stakeholder": firm["id"]}).json()[
            "items"
        ]
    ]
    assert "Focus Digital" in matched and "Think Beyond Data" in matched
    assert "Digital Skills Training" not in matched
