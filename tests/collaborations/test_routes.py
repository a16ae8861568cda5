"""/api/v1/collaborations: anything two or more stakeholders do together."""

import uuid

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests import checks, factories
from tests.checks import problem
from tests.factories import API

URL = f"{API}/collaborations"


def _titles(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["title"] for c in response.json()["items"]]


@pytest.fixture
def places(client: TestClient) -> dict[str, dict]:
    """West Midlands region > Coventry > Foleshill ward; Birmingham beside Coventry."""
    region = factories.area(client, code="E12000005", name="West Midlands", kind="region")
    coventry = factories.area(client, code="E08000026", name="Coventry", parent_ids=[region["id"]])
    birmingham = factories.area(client, code="E08000025", name="Birmingham", parent_ids=[region["id"]])
    ward = factories.area(client, name="Foleshill", kind="ward", parent_ids=[coventry["id"]])
    return {"region": region, "coventry": coventry, "birmingham": birmingham, "ward": ward}


@pytest.fixture
def outcomes(client: TestClient) -> list[dict]:
    mission = factories.mission(client)
    return [factories.outcome(client, mission["id"]) for _ in range(3)]


@pytest.fixture
def project(client: TestClient, places: dict, outcomes: list[dict]) -> dict:
    return factories.collaboration(
        client,
        title="WM5G Barrier Busting",
        kind="programme",
        scale="regional",
        description="Removing barriers to 5G rollout.",
        funding_status="seeking",
        funding_route="Investment case",
        funding_amount_pence=250_000_00,
        lighthouse=True,
        outcome_ids=[outcomes[0]["id"]],
        area_ids=["E08000026"],
        start_date="2021-01-01",
        end_date="2023-12-31",
    )


# --- happy path ---------------------------------------------------------------------------


def test_create_returns_201_with_location_and_etag(client, places, outcomes):
    response = client.post(
        URL,
        json={
            "title": "WM5G Barrier Busting",
            "kind": "programme",
            "scale": "regional",
            "description": "Removing barriers to 5G rollout.",
            "funding_status": "seeking",
            "funding_route": "Investment case",
            "funding_amount_pence": 25_000_000,
            "lighthouse": True,
            "outcome_ids": [outcomes[1]["id"], outcomes[0]["id"]],
            "area_ids": ["E08000026", places["birmingham"]["id"]],
            "start_date": "2021-01-01",
            "end_date": "2023-12-31",
        },
    )
    created = checks.created(client, response)
    assert created["title"] == "WM5G Barrier Busting"
    assert created["kind"] == "programme"
    assert created["funding_status"] == "seeking"
    assert created["funding_route"] == "Investment case"
    assert created["funding_amount_pence"] == 25_000_000
    assert created["lighthouse"] is True
    assert created["outcome_ids"] == sorted([outcomes[0]["id"], outcomes[1]["id"]])
    assert created["area_ids"] == sorted([places["coventry"]["id"], places["birmingham"]["id"]])
    assert created["start_date"] == "2021-01-01"
    assert created["end_date"] == "2023-12-31"


def test_defaults(client):
    created = factories.collaboration(client, title="Smart City Alliance", kind="partnership")
    assert created["scale"] == "regional"
    assert created["lighthouse"] is False
    assert created["outcome_ids"] == created["area_ids"] == []
    for field in (
        "description",
        "funding_status",
        "funding_route",
        "funding_amount_pence",
        "start_date",
        "end_date",
    ):
        assert created[field] is None


def test_get_and_list(client, project):
    assert checks.fetch(client, f"{URL}/{project['id']}") == project
    other = factories.collaboration(client, title="Digital Board", kind="board")
    assert client.get(URL).json() == {"items": [other, project], "next_cursor": None}


def test_patch_bumps_the_version_once(client, project):
    after = checks.check_patch_versions(
        client,
        f"{URL}/{project['id']}",
        {
            "title": "WM5G",
            "funding_status": "funded",
            "funding_route": None,
            "lighthouse": False,
            "end_date": None,
        },
    )
    assert after["title"] == "WM5G"
    assert after["funding_status"] == "funded"
    assert after["funding_route"] is None
    assert after["lighthouse"] is False
    assert after["end_date"] is None
    assert after["outcome_ids"] == project["outcome_ids"]


def test_patch_replaces_outcomes_and_areas(client, places, outcomes, project):
    url = f"{URL}/{project['id']}"
    wanted = sorted([outcomes[1]["id"], outcomes[2]["id"]])
    after = checks.patch(
        client,
        url,
        {
            "outcome_ids": [outcomes[2]["id"], outcomes[1]["id"]],
            "area_ids": ["E08000025", places["ward"]["id"]],
        },
    ).json()
    assert after["version"] == 2
    assert after["outcome_ids"] == wanted
    assert after["area_ids"] == sorted([places["birmingham"]["id"], places["ward"]["id"]])
    # The same sets, in another order, with repeats or codes for ids: no change.
    same = checks.patch(
        client,
        url,
        {"outcome_ids": wanted[::-1] + wanted, "area_ids": [places["ward"]["id"], "E08000025"]},
        '"2"',
    ).json()
    assert same == after
    cleared = checks.patch(client, url, {"outcome_ids": [], "area_ids": []}, '"2"').json()
    assert cleared["outcome_ids"] == cleared["area_ids"] == []
    assert cleared["version"] == 3
    assert _titles(client.get(URL, params={"outcome": outcomes[1]["id"]})) == []


def test_if_match_is_required_and_checked(client, project):
    checks.check_preconditions(client, f"{URL}/{project['id']}", {"title": "Changed"})


def test_delete_then_404(client, project, outcomes):
    checks.check_delete(client, f"{URL}/{project['id']}")
    assert client.get(URL).json()["items"] == []
    # Its links went with it: the outcome it served is free to go.
    assert checks.delete(client, f"{API}/outcomes/{outcomes[0]['id']}").status_code == 204


def test_deleting_a_collaboration_deletes_its_participants(client, project):
    members = [factories.stakeholder(client) for _ in range(2)]
    made = [factories.participant(client, project["id"], s["id"]) for s in members]
    assert checks.delete(client, f"{URL}/{project['id']}").status_code == 204
    for participant in made:
        problem(client.get(f"{URL}/{project['id']}/participants/{participant['id']}"), 404)
    problem(client.get(f"{URL}/{project['id']}/participants"), 404)
    assert client.get(f"{API}/stakeholders", params={"collaboration": project["id"]}).json()["items"] == []
    # Nothing refers to the stakeholders any more.
    for stakeholder in members:
        assert checks.delete(client, f"{API}/stakeholders/{stakeholder['id']}").status_code == 204


# --- errors -------------------------------------------------------------------------------


def test_unknown_collaboration_is_404(client):
    checks.check_not_found(client, f"{URL}/{uuid.uuid4()}")


def test_create_rejects_invalid_bodies(client, places, outcomes):
    ok = {"title": "T", "kind": "project"}
    cases = [
        ({"title": "T"}, "body.kind"),
        ({"kind": "project"}, "body.title"),
        ({**ok, "title": ""}, "body.title"),
        ({**ok, "kind": "hackathon"}, "body.kind"),
        ({**ok, "scale": "galactic"}, "body.scale"),
        ({**ok, "funding_status": "rich"}, "body.funding_status"),
        ({**ok, "lighthouse": "very"}, "body.lighthouse"),
        ({**ok, "funding_amount_pence": -1}, "body.funding_amount_pence"),
        ({**ok, "funding_amount_pence": "lots"}, "body.funding_amount_pence"),
        ({**ok, "funding_amount_pence": "500"}, "body.funding_amount_pence"),
        ({**ok, "funding_amount_pence": 5.5}, "body.funding_amount_pence"),
        ({**ok, "lighthouse": 1}, "body.lighthouse"),
        ({**ok, "start_date": "20210101"}, "body.start_date"),
        ({**ok, "start_date": 0}, "body.start_date"),
        ({**ok, "start_date": "2021-13-01"}, "body.start_date"),
        ({**ok, "budget": 5}, "body.budget"),
        ({**ok, "participants": []}, "body.participants"),
        ({**ok, "outcome_ids": [str(uuid.uuid4())]}, "body.outcome_ids"),
        ({**ok, "outcome_ids": [outcomes[0]["id"], "nope"]}, "body.outcome_ids"),
        ({**ok, "area_ids": ["E99999999"]}, "body.area_ids"),
        ({**ok, "area_ids": [str(uuid.uuid4())]}, "body.area_ids"),
    ]
    for body, field in cases:
        problem(client.post(URL, json=body), 422, field)
    backwards = {**ok, "start_date": "2024-02-01", "end_date": "2024-01-31"}
    problem(client.post(URL, json=backwards), 422, "body.end_date")
    assert client.get(URL).json()["items"] == []


def test_patch_rejects_invalid_bodies_and_changes_nothing(client, project):
    url = f"{URL}/{project['id']}"
    cases = [
        ({"title": None}, "body.title"),
        ({"kind": None}, "body.kind"),
        ({"scale": None}, "body.scale"),
        ({"lighthouse": None}, "body.lighthouse"),
        ({"outcome_ids": None}, "body.outcome_ids"),
        ({"area_ids": None}, "body.area_ids"),
        ({"kind": "hackathon"}, "body.kind"),
        ({"funding_status": "rich"}, "body.funding_status"),
        ({"budget": 5}, "body.budget"),
        ({"outcome_ids": [str(uuid.uuid4())]}, "body.outcome_ids"),
        ({"area_ids": ["E99999999"]}, "body.area_ids"),
        # The project runs 2021-01-01 to 2023-12-31.
        ({"end_date": "2020-12-31"}, "body.end_date"),
        ({"start_date": "2024-01-01"}, "body.end_date"),
        ({"start_date": "2024-01-01", "end_date": "2023-01-01"}, "body.end_date"),
    ]
    for body, field in cases:
        problem(checks.patch(client, url, body), 422, field)
    assert checks.fetch(client, url) == project
    moved = checks.patch(client, url, {"start_date": "2024-01-01", "end_date": "2025-01-01"})
    assert moved.status_code == 200


# --- lists: filters and pagination -------------------------------------------------------


@pytest.fixture
def portfolio(client: TestClient, places: dict) -> dict[str, dict]:
    m1, m3 = factories.mission(client, code="M1"), factories.mission(client, code="M3")
    skills, fibre = factories.outcome(client, m1["id"]), factories.outcome(client, m3["id"])
    c = factories.collaboration
    return {
        "m1": m1,
        "m3": m3,
        "skills_outcome": skills,
        "fibre_outcome": fibre,
        "bootcamp": c(
            client,
            title="Coding bootcamp",
            kind="programme",
            scale="local",
            funding_status="funded",
            outcome_ids=[skills["id"]],
            area_ids=[places["ward"]["id"]],
            description="Skills for 100% of adults",
        ),
        "fibre": c(
            client,
            title="Full fibre Black Country",
            kind="project",
            scale="regional",
            funding_status="seeking",
            lighthouse=True,
            outcome_ids=[fibre["id"]],
            area_ids=["E08000025"],
        ),
        "board": c(
            client,
            title="Digital Board",
            kind="board",
            scale="regional",
            outcome_ids=[skills["id"], fibre["id"]],
            area_ids=["E12000005"],
        ),
        "global": c(
            client,
            title="Smart cities network",
            kind="partnership",
            scale="global",
            funding_status="exploring",
            description="city_data sharing",
        ),
    }


def test_filter_by_kind_scale_funding_and_lighthouse(client, portfolio):
    assert _titles(client.get(URL, params={"kind": "board"})) == ["Digital Board"]
    assert _titles(client.get(URL, params={"scale": "regional"})) == [
        "Digital Board",
        "Full fibre Black Country",
    ]
    assert _titles(client.get(URL, params={"funding_status": "seeking"})) == ["Full fibre Black Country"]
    assert _titles(client.get(URL, params={"lighthouse": "true"})) == ["Full fibre Black Country"]
    assert len(_titles(client.get(URL, params={"lighthouse": "false"}))) == 3
    assert _titles(client.get(URL, params={"scale": "regional", "kind": "project"})) == [
        "Full fibre Black Country"
    ]
    for name, value in (
        ("kind", "hackathon"),
        ("scale", "galactic"),
        ("funding_status", "rich"),
        ("lighthouse", "very"),
    ):
        problem(client.get(URL, params={name: value}), 422, f"query.{name}")


def test_filter_by_outcome_and_mission(client, portfolio):
    assert _titles(client.get(URL, params={"outcome": portfolio["skills_outcome"]["id"]})) == [
        "Coding bootcamp",
        "Digital Board",
    ]
    assert _titles(client.get(URL, params={"mission": portfolio["m3"]["id"]})) == [
        "Digital Board",
        "Full fibre Black Country",
    ]
    assert _titles(client.get(URL, params={"mission": str(uuid.uuid4())})) == []


def test_filter_by_area_includes_the_areas_within_it(client, places, portfolio):
    assert _titles(client.get(URL, params={"area": "E12000005"})) == [
        "Coding bootcamp",
        "Digital Board",
        "Full fibre Black Country",
    ]
    assert _titles(client.get(URL, params={"area": places["coventry"]["id"]})) == ["Coding bootcamp"]
    assert _titles(client.get(URL, params={"area": "E08000025"})) == ["Full fibre Black Country"]
    problem(client.get(URL, params={"area": "E99999999"}), 404)


def test_filter_by_stakeholder(client, portfolio):
    council = factories.stakeholder(client)
    factories.participant(client, portfolio["board"]["id"], council["id"], role="chair")
    factories.participant(client, portfolio["board"]["id"], council["id"], role="member")
    factories.participant(client, portfolio["fibre"]["id"], council["id"], role="funder")
    factories.participant(client, portfolio["bootcamp"]["id"])
    assert _titles(client.get(URL, params={"stakeholder": council["id"]})) == [
        "Digital Board",
        "Full fibre Black Country",
    ]
    assert _titles(client.get(URL, params={"stakeholder": str(uuid.uuid4())})) == []


def test_text_search_over_title_and_description(client, portfolio):
    assert _titles(client.get(URL, params={"q": "BOARD"})) == ["Digital Board"]
    assert _titles(client.get(URL, params={"q": "skills for"})) == ["Coding bootcamp"]
    assert _titles(client.get(URL, params={"q": "100%"})) == ["Coding bootcamp"]
    assert _titles(client.get(URL, params={"q": "%"})) == ["Coding bootcamp"]
    assert _titles(client.get(URL, params={"q": "y_d"})) == ["Smart cities network"]
    assert _titles(client.get(URL, params={"q": "_"})) == ["Smart cities network"]
    assert _titles(client.get(URL, params={"q": "fibre", "lighthouse": "false"})) == []


def test_pagination_walks_every_collaboration_once_in_order(client):
    titles = [f"Project {letter}" for letter in "EBGADFC"]
    for title in titles:
        factories.collaboration(client, title=title, kind="project")
    factories.collaboration(client, title="Project Z", kind="event")
    checks.check_pagination(client, URL, "title", sorted(titles), {"kind": "project"})
    checks.check_pagination_errors(client, URL, "title")


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(client, count_queries, portfolio):
    counter = count_queries()
    assert len(client.get(URL, params={"limit": 1}).json()["items"]) == 1
    small = counter.count
    assert small > 0
    assert len(client.get(URL, params={"limit": 4}).json()["items"]) == 4
    assert counter.count - small == small


# --- Idempotency-Key -------------------------------------------------------------------


def test_idempotency_key_replays_the_first_answer(client):
    def count() -> int:
        return len(client.get(URL, params={"q": "Hackathon"}).json()["items"])

    body = {"title": "Hackathon", "kind": "event"}
    checks.check_idempotent_post(client, URL, body, {**body, "scale": "local"}, count)
