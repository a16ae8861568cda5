"""The West Midlands roadmap data: what `make run` loads into an empty database."""

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.enums import Size
from api.seed import loader
from api.seed.schemas import SeedFile
from tests import checks

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


def _named(client: TestClient, path: str, name: str, **params: str) -> dict:
    [found] = [item for item in everything(client, path, **params) if item["name"] == name]
    return found


def _matches(client: TestClient, stakeholder_id: str) -> dict[str, dict]:
    found = everything(
        client, "/api/v1/support-schemes/match", stakeholder=stakeholder_id, include_ineligible="true"
    )
    return {m["name"]: m for m in found}


def _in_wmca(client: TestClient) -> set[str]:
    return {s["name"] for s in everything(client, "/api/v1/stakeholders", area="E47000007")}


SME_SIZES = "medium, micro, small"


def test_the_black_country_lep_lies_within_the_combined_authority(
    loaded: dict[str, int], client: TestClient
) -> None:
    wm, wmca = client.get("/api/v1/areas/E12000005").json(), client.get("/api/v1/areas/E47000007").json()
    lep = _named(client, "/api/v1/areas", "Black Country LEP", kind="lep")
    assert set(lep["parent_ids"]) == {wm["id"], wmca["id"]}
    # Its four boroughs are all constituent members, so the whole LEP lies within the authority.
    boroughs = everything(client, "/api/v1/areas", parent=lep["id"])
    assert {b["code"] for b in boroughs} == {"E08000027", "E08000028", "E08000030", "E08000031"}
    assert all(wmca["id"] in b["parent_ids"] for b in boroughs)
    in_wmca = _in_wmca(client)
    assert {"Black Country LEP", "Black Country Consortium"} <= in_wmca and len(in_wmca) == 27 + 2
    # A WMCA-wide scheme open to businesses of any size.
    consortium = _named(client, "/api/v1/stakeholders", "Black Country Consortium")
    wm5g = _matches(client, consortium["id"])["WM5G Innovation Centres"]
    assert (wm5g["eligibility"], wm5g["eligible"], wm5g["score"]) == ("eligible", True, 3)
    assert wm5g["reasons"][0] == "Based in or serving an area the scheme covers."


def test_no_size_is_loaded_as_the_documents_give_none(loaded: dict[str, int], client: TestClient) -> None:
    assert [s["name"] for s in everything(client, "/api/v1/stakeholders") if s["size"]] == []
    # A business with no area or size recorded: the SME-only schemes are unknown, not ineligible.
    firm = _named(client, "/api/v1/stakeholders", "Public Digital")
    found = _matches(client, firm["id"])
    assert {name: m["eligibility"] for name, m in found.items()} == {
        "Think Beyond Data": "unknown",
        "Digital Skills Training": "unknown",
        "Focus Digital": "unknown",
        "WM5G Innovation Centres": "unknown",
        "Creative Scale-Up programme": "ineligible",  # it does not work in the creative sector
    }
    assert found["Think Beyond Data"]["unknown"] == [
        "Areas not recorded: add them to check (the scheme is for some areas only).",
        f"Size not recorded: add it to check (the scheme is for {SME_SIZES} organisations).",
    ]
    # Recorded, a Birmingham location and a small size qualify it for the SME-only schemes there.
    url = f"/api/v1/stakeholders/{firm['id']}"
    assert checks.patch(client, url, {"area_ids": ["E08000025"], "size": "small"}).status_code == 200
    found = _matches(client, firm["id"])
    assert {n for n, m in found.items() if m["eligible"]} == {
        "Think Beyond Data",  # WMCA-wide, data or digital SMEs
        "Digital Skills Training",  # GBSLEP's, whose area holds Birmingham
        "WM5G Innovation Centres",
    }
    assert found["Focus Digital"]["unmet"] == ["Not in an area the scheme covers."]
    # A large firm does not qualify.
    assert checks.patch(client, url, {"size": "large"}, '"2"').status_code == 200
    found = _matches(client, firm["id"])
    assert found["Think Beyond Data"]["unmet"] == [f"For {SME_SIZES} organisations only."]
    assert {n for n, m in found.items() if m["eligible"]} == {"WM5G Innovation Centres"}


def _before_the_fix() -> SeedFile:
    """The data file as it was: the Black Country LEP inside the region only."""
    old = loader.read()
    [lep] = [a for a in old.areas if a.key == "lep-black-country"]
    lep.parents = ["E12000005"]
    return old


def _load(session_factory: Callable[[], Session], seed: SeedFile) -> dict[str, int]:
    with session_factory() as session:
        counts = loader.load(session, seed)
        session.commit()
    return dict(counts)


def test_reloading_brings_what_only_the_loader_wrote_up_to_date(
    session_factory: Callable[[], Session], client: TestClient
) -> None:
    _load(session_factory, _before_the_fix())
    assert "Black Country Consortium" not in _in_wmca(client) and len(_in_wmca(client)) == 27
    new = loader.read()
    [firm] = [s for s in new.stakeholders if s.key == "public-digital"]
    firm.size = Size.large  # as if a document called it a large firm
    assert _load(session_factory, new) == {"areas updated": 1, "stakeholders updated": 1}
    assert len(_in_wmca(client)) == 29
    lep = _named(client, "/api/v1/areas", "Black Country LEP", kind="lep")
    assert len(lep["parent_ids"]) == 2 and lep["version"] == 2
    history = client.get(f"/api/v1/areas/{lep['id']}/history").json()["items"]
    assert [(c["action"], c["actor"]["name"]) for c in history] == [
        ("update", "roadmap load-roadmap"),
        ("create", "roadmap load-roadmap"),
    ]
    assert [c["field"] for c in history[0]["changes"]] == ["parent_ids"]
    found = _named(client, "/api/v1/stakeholders", "Public Digital")
    assert found["size"] == "large"
    assert _matches(client, found["id"])["Think Beyond Data"]["unmet"] == [
        f"For {SME_SIZES} organisations only."
    ]
    assert _load(session_factory, new) == {}


def test_reloading_keeps_what_a_user_has_edited(
    session_factory: Callable[[], Session], client: TestClient
) -> None:
    _load(session_factory, _before_the_fix())
    wmca = client.get("/api/v1/areas/E47000007").json()
    lep = _named(client, "/api/v1/areas", "Black Country LEP", kind="lep")
    assert checks.patch(client, f"/api/v1/areas/{lep['id']}", {"parent_ids": [wmca["id"]]}).status_code == 200
    firm = _named(client, "/api/v1/stakeholders", "Public Digital")
    edit = {"description": "Edited by its owner."}
    assert checks.patch(client, f"/api/v1/stakeholders/{firm['id']}", edit).status_code == 200
    new = loader.read()
    [seeded] = [s for s in new.stakeholders if s.key == "public-digital"]
    seeded.size = Size.large
    assert _load(session_factory, new) == {}
    assert client.get(f"/api/v1/areas/{lep['id']}").json()["parent_ids"] == [wmca["id"]]
    kept = client.get(f"/api/v1/stakeholders/{firm['id']}").json()
    assert (kept["size"], kept["description"], kept["version"]) == (None, "Edited by its owner.", 2)
