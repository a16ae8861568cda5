"""/api/v1/stakeholders: organisations and people; a person's contact details stay private."""

import uuid

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests import checks, factories
from tests.checks import problem
from tests.factories import API

URL = f"{API}/stakeholders"


def _names(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [s["name"] for s in response.json()["items"]]


@pytest.fixture
def places(client: TestClient) -> dict[str, dict]:
    """West Midlands region > Coventry > Foleshill ward; Birmingham beside Coventry."""
    region = factories.area(client, code="E12000005", name="West Midlands", kind="region")
    coventry = factories.area(client, code="E08000026", name="Coventry", parent_ids=[region["id"]])
    birmingham = factories.area(client, code="E08000025", name="Birmingham", parent_ids=[region["id"]])
    ward = factories.area(client, name="Foleshill", kind="ward", parent_ids=[coventry["id"]])
    return {"region": region, "coventry": coventry, "birmingham": birmingham, "ward": ward}


@pytest.fixture
def university(client: TestClient, places: dict) -> dict:
    return factories.stakeholder(
        client,
        name="Coventry University",
        kind="university",
        sectors=["Digital", "skills"],
        area_ids=["E08000026"],
        website="https://www.coventry.ac.uk",
        description="Runs Focus Digital.",
    )


# --- happy path ---------------------------------------------------------------------------


def test_create_returns_201_with_location_and_etag(client, places):
    response = client.post(
        URL,
        json={
            "name": "Coventry University",
            "kind": "university",
            "sectors": [" Skills", "DIGITAL"],
            "area_ids": ["E08000026", places["ward"]["id"]],
            "website": "https://www.coventry.ac.uk",
            "description": "Runs Focus Digital.",
            "new_to_innovation": True,
            "status": "dormant",
        },
    )
    created = checks.created(client, response)
    assert created["name"] == "Coventry University"
    assert created["kind"] == "university"
    assert created["sectors"] == ["digital", "skills"]
    assert sorted(created["area_ids"]) == sorted([places["coventry"]["id"], places["ward"]["id"]])
    assert created["website"] == "https://www.coventry.ac.uk/"
    assert created["new_to_innovation"] is True
    assert created["status"] == "dormant"


def test_defaults(client):
    created = factories.stakeholder(client, name="Acme", kind="business")
    assert created["sectors"] == created["area_ids"] == []
    assert created["website"] is None
    assert created["description"] is None
    assert created["new_to_innovation"] is False
    assert created["status"] == "active"


def test_get_and_list(client, university):
    assert checks.fetch(client, f"{URL}/{university['id']}") == university
    other = factories.stakeholder(client, name="Acme Ltd")
    assert client.get(URL).json() == {"items": [other, university], "next_cursor": None}


def test_patch_bumps_the_version_once(client, university):
    after = checks.check_patch_versions(
        client, f"{URL}/{university['id']}", {"name": "CU", "description": None}
    )
    assert after["name"] == "CU"
    assert after["description"] is None
    assert after["sectors"] == university["sectors"]


def test_patch_replaces_sectors_and_areas(client, places, university):
    url = f"{URL}/{university['id']}"
    after = checks.patch(client, url, {"sectors": ["Health", "data"], "area_ids": ["E08000025"]}).json()
    assert after["version"] == 2
    assert after["sectors"] == ["data", "health"]
    assert after["area_ids"] == [places["birmingham"]["id"]]
    # The same sets, in another order, in another case, or by id: no change.
    same = checks.patch(
        client,
        url,
        {"sectors": ["HEALTH", "data", "health"], "area_ids": [places["birmingham"]["id"]]},
        '"2"',
    ).json()
    assert same == after
    cleared = checks.patch(client, url, {"sectors": [], "area_ids": []}, '"2"').json()
    assert cleared["sectors"] == cleared["area_ids"] == []
    assert cleared["version"] == 3
    assert _names(client.get(URL, params={"sector": "digital"})) == []
    assert _names(client.get(URL, params={"area": "E08000026"})) == []


def test_if_match_is_required_and_checked(client, university):
    checks.check_preconditions(client, f"{URL}/{university['id']}", {"name": "CU"})


def test_delete_then_404(client, university):
    checks.check_delete(client, f"{URL}/{university['id']}")
    assert client.get(URL).json()["items"] == []
    # Its area links went with it: Coventry can now be deleted (once its ward is gone).
    ward = client.get(f"{API}/areas", params={"parent": "E08000026"}).json()["items"][0]
    assert checks.delete(client, f"{API}/areas/{ward['id']}").status_code == 204
    assert checks.delete(client, f"{API}/areas/E08000026").status_code == 204


# --- people and personal data -----------------------------------------------------------


def test_a_persons_contact_details_are_shown_only_to_editors_and_admins(client, anon, client_as):
    response = client.post(
        URL, json={"name": "Ada", "kind": "person", "email": "ada@example.org", "phone": "+44 24 7600 0000"}
    )
    person = checks.created(client, response)
    assert (person["email"], person["phone"]) == ("ada@example.org", "+44 24 7600 0000")
    editor = client_as("editor")
    assert checks.fetch(editor, f"{URL}/{person['id']}")["email"] == "ada@example.org"
    assert editor.get(URL).json()["items"][0]["phone"] == "+44 24 7600 0000"
    org = factories.stakeholder(client)
    for caller in (anon, client_as("reader"), client_as("partner", org["id"])):
        for shown in (checks.fetch(caller, f"{URL}/{person['id']}"), caller.get(URL).json()["items"][0]):
            assert "email" not in shown and "phone" not in shown
            assert "ada@example.org" not in str(shown)
    assert client.get(URL, params={"q": "ada@"}).json()["items"] == []
    # Changes to contact details enter the audit trail as "changed", never with the values.
    checks.patch(client, f"{URL}/{person['id']}", {"email": "a@b.org"})
    history = client.get(f"{URL}/{person['id']}/history").json()["items"]
    assert history[0]["changes"] == [{"field": "email", "before": None, "after": None, "redacted": True}]
    assert "ada@example.org" not in str(history) and "a@b.org" not in str(history)


def test_a_persons_contact_details_can_be_erased(client):
    person = factories.stakeholder(client, kind="person", email="ada@example.org")
    url = f"{URL}/{person['id']}"
    response = checks.patch(client, url, {"email": None, "phone": None})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    # Erased, a person can become an organisation; with contact details it could not.
    assert checks.patch(client, url, {"kind": "business"}, '"2"').status_code == 200


def test_contact_details_only_for_people(client):
    for field, value in (("email", "info@acme.example"), ("phone", "0121 000 0000")):
        response = client.post(URL, json={"name": "Acme", "kind": "business", field: value})
        problem(response, 422, f"body.{field}")
    assert client.get(URL).json()["items"] == []

    business = factories.stakeholder(client, kind="business")
    url = f"{URL}/{business['id']}"
    problem(checks.patch(client, url, {"email": "info@acme.example"}), 422, "body.email")
    problem(checks.patch(client, url, {"phone": "0121"}), 422, "body.phone")
    assert checks.fetch(client, url) == business

    person = factories.stakeholder(client, kind="person", phone="0121")
    problem(checks.patch(client, f"{URL}/{person['id']}", {"kind": "business"}), 422, "body.phone")
    assert checks.fetch(client, f"{URL}/{person['id']}") == person


# --- errors -------------------------------------------------------------------------------


def test_unknown_stakeholder_is_404(client):
    checks.check_not_found(client, f"{URL}/{uuid.uuid4()}")


def test_create_rejects_invalid_bodies(client, places):
    cases = [
        ({"name": "X", "kind": "charity"}, "body.kind"),
        ({"name": "X"}, "body.kind"),
        ({"kind": "business"}, "body.name"),
        ({"name": "", "kind": "business"}, "body.name"),
        ({"name": "X", "kind": "business", "status": "bankrupt"}, "body.status"),
        ({"name": "X", "kind": "business", "website": "not a url"}, "body.website"),
        ({"name": "X", "kind": "business", "sectors": "digital"}, "body.sectors"),
        ({"name": "X", "kind": "business", "sectors": [""]}, "body.sectors.0"),
        ({"name": "X", "kind": "business", "new_to_innovation": "perhaps"}, "body.new_to_innovation"),
        ({"name": "X", "kind": "business", "new_to_innovation": 0}, "body.new_to_innovation"),
        ({"name": 5, "kind": "business"}, "body.name"),
        ({"name": "X", "kind": "business", "employees": 5}, "body.employees"),
        ({"name": "X", "kind": "business", "area_ids": ["E99999999"]}, "body.area_ids"),
        ({"name": "X", "kind": "business", "area_ids": [str(uuid.uuid4())]}, "body.area_ids"),
        ({"name": "X", "kind": "person", "email": "not-an-email"}, "body.email"),
    ]
    for body, field in cases:
        problem(client.post(URL, json=body), 422, field)
    assert client.get(URL).json()["items"] == []


def test_patch_rejects_invalid_bodies_and_changes_nothing(client, university):
    url = f"{URL}/{university['id']}"
    cases = [
        ({"name": None}, "body.name"),
        ({"kind": None}, "body.kind"),
        ({"status": None}, "body.status"),
        ({"sectors": None}, "body.sectors"),
        ({"area_ids": None}, "body.area_ids"),
        ({"new_to_innovation": None}, "body.new_to_innovation"),
        ({"kind": "charity"}, "body.kind"),
        ({"status": "bankrupt"}, "body.status"),
        ({"employees": 5}, "body.employees"),
        ({"id": "mine"}, "body.id"),
        ({"area_ids": ["E99999999"]}, "body.area_ids"),
    ]
    for body, field in cases:
        problem(checks.patch(client, url, body), 422, field)
    assert checks.fetch(client, url) == university


def test_delete_of_a_participating_stakeholder_is_409(client, university):
    collaboration = factories.collaboration(client)
    factories.participant(client, collaboration["id"], university["id"])
    checks.check_delete_conflict(client, f"{URL}/{university['id']}")


# --- lists: filters and pagination -------------------------------------------------------


@pytest.fixture
def ecosystem(client: TestClient, places: dict) -> dict[str, dict]:
    s = factories.stakeholder
    return {
        "uni": s(
            client,
            name="Coventry University",
            kind="university",
            sectors=["Digital"],
            area_ids=["E08000026"],
            description="Focus Digital support",
        ),
        "ward_group": s(
            client,
            name="Foleshill Tech Club",
            kind="third_sector",
            sectors=["skills"],
            area_ids=[places["ward"]["id"]],
            new_to_innovation=True,
        ),
        "brum": s(
            client,
            name="Birmingham Digital Ltd",
            kind="business",
            sectors=["digital", "health"],
            area_ids=["E08000025"],
            status="dormant",
        ),
        "national": s(
            client,
            name="Innovate Agency",
            kind="public_body",
            status="closed",
            description="100% grant funding, see fund_a",
        ),
    }


def test_filter_by_kind_status_and_new_to_innovation(client, ecosystem):
    assert _names(client.get(URL, params={"kind": "university"})) == ["Coventry University"]
    assert _names(client.get(URL, params={"status": "dormant"})) == ["Birmingham Digital Ltd"]
    assert _names(client.get(URL, params={"status": "active"})) == [
        "Coventry University",
        "Foleshill Tech Club",
    ]
    assert _names(client.get(URL, params={"new_to_innovation": "true"})) == ["Foleshill Tech Club"]
    assert len(_names(client.get(URL, params={"new_to_innovation": "false"}))) == 3
    assert _names(client.get(URL, params={"kind": "business", "status": "active"})) == []
    problem(client.get(URL, params={"kind": "charity"}), 422, "query.kind")
    problem(client.get(URL, params={"status": "bankrupt"}), 422, "query.status")
    problem(client.get(URL, params={"new_to_innovation": "perhaps"}), 422, "query.new_to_innovation")


def test_filter_by_sector_ignores_case(client, ecosystem):
    expected = ["Birmingham Digital Ltd", "Coventry University"]
    assert _names(client.get(URL, params={"sector": "digital"})) == expected
    assert _names(client.get(URL, params={"sector": "DIGITAL"})) == expected
    assert _names(client.get(URL, params={"sector": "Health"})) == ["Birmingham Digital Ltd"]
    assert _names(client.get(URL, params={"sector": "digi"})) == []


def test_filter_by_area_includes_the_areas_within_it(client, places, ecosystem):
    by_region = ["Birmingham Digital Ltd", "Coventry University", "Foleshill Tech Club"]
    assert _names(client.get(URL, params={"area": "E12000005"})) == by_region
    assert _names(client.get(URL, params={"area": places["region"]["id"]})) == by_region
    assert _names(client.get(URL, params={"area": "E08000026"})) == [
        "Coventry University",
        "Foleshill Tech Club",
    ]
    assert _names(client.get(URL, params={"area": places["ward"]["id"]})) == ["Foleshill Tech Club"]
    assert _names(client.get(URL, params={"area": "E08000025"})) == ["Birmingham Digital Ltd"]
    problem(client.get(URL, params={"area": "E99999999"}), 404)


def test_an_area_with_two_parents_is_found_under_both(client, places):
    ca = factories.area(client, code="E47000007", name="WMCA", kind="combined_authority")
    checks.patch(client, f"{API}/areas/E08000026", {"parent_ids": [places["region"]["id"], ca["id"]]})
    factories.stakeholder(client, name="Coventry Council", area_ids=["E08000026"])
    assert _names(client.get(URL, params={"area": "E47000007"})) == ["Coventry Council"]
    assert _names(client.get(URL, params={"area": "E12000005"})) == ["Coventry Council"]


def test_filter_by_collaboration(client, ecosystem):
    project = factories.collaboration(client)
    other = factories.collaboration(client)
    factories.participant(client, project["id"], ecosystem["uni"]["id"], role="lead")
    factories.participant(client, project["id"], ecosystem["uni"]["id"], role="funder")
    factories.participant(client, project["id"], ecosystem["brum"]["id"])
    factories.participant(client, other["id"], ecosystem["national"]["id"])
    assert _names(client.get(URL, params={"collaboration": project["id"]})) == [
        "Birmingham Digital Ltd",
        "Coventry University",
    ]
    assert _names(client.get(URL, params={"collaboration": str(uuid.uuid4())})) == []


def test_filter_by_mission_and_by_partner(client, ecosystem, anon):
    outcome = factories.outcome(client)
    serving = factories.collaboration(client, outcome_ids=[outcome["id"]])
    elsewhere = factories.collaboration(client)
    factories.participant(client, serving["id"], ecosystem["uni"]["id"], role="lead")
    factories.participant(client, serving["id"], ecosystem["brum"]["id"])
    factories.participant(client, elsewhere["id"], ecosystem["uni"]["id"])
    factories.participant(client, elsewhere["id"], ecosystem["national"]["id"])

    by_mission = {"mission": outcome["mission_id"]}
    assert _names(client.get(URL, params=by_mission)) == ["Birmingham Digital Ltd", "Coventry University"]
    assert _names(client.get(URL, params={**by_mission, "kind": "business"})) == ["Birmingham Digital Ltd"]
    partners = {"partner_of": ecosystem["uni"]["id"]}
    assert _names(client.get(URL, params=partners)) == ["Birmingham Digital Ltd", "Innovate Agency"]
    assert _names(client.get(URL, params={"partner_of": ecosystem["national"]["id"]})) == [
        "Coventry University"
    ]
    assert _names(client.get(URL, params={**partners, **by_mission})) == ["Birmingham Digital Ltd"]

    # A draft proposal's partners are not public yet.
    draft = factories.collaboration(client, publication="draft")
    factories.participant(client, draft["id"], ecosystem["ward_group"]["id"])
    factories.participant(client, draft["id"], ecosystem["uni"]["id"])
    assert "Foleshill Tech Club" in _names(client.get(URL, params=partners))
    assert "Foleshill Tech Club" not in _names(anon.get(URL, params=partners))
    assert _names(client.get(URL, params={"mission": str(uuid.uuid4())})) == []


def test_text_search_over_name_and_description(client, ecosystem):
    assert _names(client.get(URL, params={"q": "coventry"})) == ["Coventry University"]
    assert _names(client.get(URL, params={"q": "FOCUS digital"})) == ["Coventry University"]
    assert _names(client.get(URL, params={"q": "digital"})) == [
        "Birmingham Digital Ltd",
        "Coventry University",
    ]
    assert _names(client.get(URL, params={"q": "digital", "kind": "business"})) == ["Birmingham Digital Ltd"]
    problem(client.get(URL, params={"q": "x" * 201}), 422, "query.q")


def test_text_search_treats_wildcards_literally(client, ecosystem):
    factories.stakeholder(client, name="1000 grants", description="fund-a")
    assert _names(client.get(URL, params={"q": "100%"})) == ["Innovate Agency"]
    assert _names(client.get(URL, params={"q": "%"})) == ["Innovate Agency"]
    assert _names(client.get(URL, params={"q": "fund_a"})) == ["Innovate Agency"]
    assert _names(client.get(URL, params={"q": "_"})) == ["Innovate Agency"]


def test_pagination_walks_every_stakeholder_once_in_order(client):
    names = [f"Firm {letter}" for letter in "GCEAFDB"]
    for name in names:
        factories.stakeholder(client, name=name, sectors=["digital"])
    checks.check_pagination(client, URL, "name", sorted(names))
    checks.check_pagination(client, URL, "name", sorted(names), {"sector": "digital"})
    checks.check_pagination_errors(client, URL, "name")


def test_pages_stay_stable_while_records_are_added(client):
    for name in ("B", "D", "F", "H"):
        factories.stakeholder(client, name=name)
    first = client.get(URL, params={"limit": 2}).json()
    assert [s["name"] for s in first["items"]] == ["B", "D"]
    factories.stakeholder(client, name="A")  # before the cursor: not seen on later pages
    factories.stakeholder(client, name="E")  # after it: seen
    rest = checks.walk(client, URL, {"limit": 2, "cursor": first["next_cursor"]}, via="link")
    assert [s["name"] for s in rest] == ["E", "F", "H"]


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(client, count_queries):
    for i in range(6):
        factories.stakeholder(client, sectors=["a", "b"], description=str(i))
    counter = count_queries()
    assert len(client.get(URL, params={"limit": 1}).json()["items"]) == 1
    small = counter.count
    assert small > 0
    assert len(client.get(URL, params={"limit": 6}).json()["items"]) == 6
    assert counter.count - small == small


# --- Idempotency-Key -------------------------------------------------------------------


def test_idempotency_key_replays_the_first_answer(client):
    def count() -> int:
        return len(client.get(URL, params={"q": "Acme"}).json()["items"])

    checks.check_idempotent_post(
        client, URL, {"name": "Acme", "kind": "business"}, {"name": "Acme", "kind": "investor"}, count
    )
