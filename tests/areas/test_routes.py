"""/api/v1/areas: places in a hierarchy, found by id or by GSS code."""

import uuid

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from httpx import Response

from api import models
from api.areas import service as area_service
from tests import checks, factories
from tests.checks import problem
from tests.factories import API

URL = f"{API}/areas"


def _names(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [a["name"] for a in response.json()["items"]]


@pytest.fixture
def region(client: TestClient) -> dict:
    return factories.area(client, code="E12000005", name="West Midlands", kind="region")


@pytest.fixture
def coventry(client: TestClient, region: dict) -> dict:
    return factories.area(
        client, code="E08000026", name="Coventry", kind="local_authority", parent_ids=["E12000005"]
    )


# --- happy path ---------------------------------------------------------------------------


def test_create_returns_201_with_location_etag_and_parents_as_ids(client, region):
    response = client.post(
        URL,
        json={
            "code": "E08000026",
            "name": "Coventry",
            "kind": "local_authority",
            "parent_ids": ["E12000005"],
        },
    )
    area = checks.created(client, response)
    assert area["code"] == "E08000026"
    assert area["name"] == "Coventry"
    assert area["kind"] == "local_authority"
    assert area["parent_ids"] == [region["id"]]


def test_an_area_is_found_by_id_and_by_gss_code(client, coventry):
    by_id = checks.fetch(client, f"{URL}/{coventry['id']}")
    by_code = checks.fetch(client, f"{URL}/E08000026")
    assert by_id == by_code == coventry


def test_an_area_needs_no_code(client):
    ward = checks.created(client, client.post(URL, json={"name": "Foleshill", "kind": "ward"}))
    assert ward["code"] is None
    assert ward["parent_ids"] == []


def test_list_returns_the_areas(client, region, coventry):
    page = client.get(URL).json()
    assert page == {"items": [coventry, region], "next_cursor": None}


def test_patch_bumps_the_version_once(client, coventry):
    after = checks.check_patch_versions(client, f"{URL}/{coventry['id']}", {"name": "Coventry City"})
    assert after["name"] == "Coventry City"
    assert after["code"] == "E08000026"


def test_patch_by_gss_code(client, coventry):
    response = checks.patch(client, f"{URL}/E08000026", {"name": "City of Coventry"})
    assert response.status_code == 200
    assert response.json()["name"] == "City of Coventry"


def test_patch_parent_ids_replaces_the_set(client, region, coventry):
    ca = factories.area(client, code="E47000007", name="WMCA", kind="combined_authority")
    lep = factories.area(client, name="CWLEP", kind="lep")
    url = f"{URL}/{coventry['id']}"
    after = checks.patch(client, url, {"parent_ids": ["E47000007", lep["id"]]}).json()
    assert after["version"] == 2
    assert sorted(after["parent_ids"]) == sorted([ca["id"], lep["id"]])
    # The same set, named differently and in another order, is no change.
    same = checks.patch(client, url, {"parent_ids": [lep["id"], ca["id"]]}, '"2"').json()
    assert same == after
    cleared = checks.patch(client, url, {"parent_ids": []}, '"2"').json()
    assert cleared["parent_ids"] == []
    assert cleared["version"] == 3
    assert client.get(URL, params={"parent": region["id"]}).json()["items"] == []


def test_code_can_be_cleared_with_null(client, coventry):
    response = checks.patch(client, f"{URL}/{coventry['id']}", {"code": None})
    assert response.status_code == 200
    assert response.json()["code"] is None
    problem(client.get(f"{URL}/E08000026"), 404)


def test_if_match_is_required_and_checked(client, coventry):
    checks.check_preconditions(client, f"{URL}/{coventry['id']}", {"name": "Coventry City"})


def test_if_match_accepts_a_list_of_etags(client, coventry):
    url = f"{URL}/{coventry['id']}"
    assert checks.patch(client, url, {"name": "A"}, '"9", "1"').status_code == 200
    problem(checks.patch(client, url, {"name": "B"}, '"1", "3"'), 412)
    assert checks.fetch(client, url)["version"] == 2


def test_if_match_does_not_accept_a_weak_etag(client, coventry):
    url = f"{URL}/{coventry['id']}"
    problem(checks.patch(client, url, {"name": "A"}, 'W/"1"'), 412)


def test_an_edit_made_after_the_if_match_check_is_not_overwritten(client, coventry, monkeypatch):
    url = f"{URL}/{coventry['id']}"
    real_update = area_service.update

    def update_after_another_editor(session, area, data):
        table = models.Area.__table__
        session.connection().execute(
            sa.update(table).where(table.c.id == area.id).values(name="B's edit", version=2)
        )
        return real_update(session, area, data)

    monkeypatch.setattr(area_service, "update", update_after_another_editor)
    response = checks.patch(client, url, {"name": "A's edit"}, '"1"')
    monkeypatch.undo()
    # The injected edit shares the request's transaction, so the 412 rolls it back too;
    # tests/test_concurrency.py shows two real editors. What matters here: A's edit is refused.
    problem(response, 412)
    assert checks.fetch(client, url)["name"] != "A's edit"


def test_delete_then_404(client, coventry):
    checks.check_delete(client, f"{URL}/{coventry['id']}")
    assert client.get(URL).json()["items"][0]["name"] == "West Midlands"


def test_delete_by_gss_code(client, coventry):
    assert checks.delete(client, f"{URL}/E08000026").status_code == 204
    checks.check_not_found(client, f"{URL}/{coventry['id']}")


def test_deleting_a_child_leaves_the_parent(client, region, coventry):
    assert checks.delete(client, f"{URL}/{coventry['id']}").status_code == 204
    assert checks.delete(client, f"{URL}/{region['id']}").status_code == 204


# --- errors -------------------------------------------------------------------------------


def test_unknown_area_is_404(client):
    for ref in (str(uuid.uuid4()), "E99999999", "no-such-area"):
        checks.check_not_found(client, f"{URL}/{ref}")


def test_create_rejects_invalid_bodies(client, region):
    cases = [
        ({"name": "X", "kind": "county"}, "body.kind"),
        ({"name": "X"}, "body.kind"),
        ({"kind": "ward"}, "body.name"),
        ({"name": "", "kind": "ward"}, "body.name"),
        ({"name": None, "kind": "ward"}, "body.name"),
        ({"name": "X", "kind": "ward", "population": 5}, "body.population"),
        ({"name": "X", "kind": "ward", "id": "mine"}, "body.id"),
        ({"name": "X", "kind": "ward", "code": "E0800002"}, "body.code"),
        ({"name": "X", "kind": "ward", "code": "e08000026"}, "body.code"),
        ({"name": "X", "kind": "ward", "parent_ids": ["E99999999"]}, "body.parent_ids"),
        ({"name": "X", "kind": "ward", "parent_ids": [str(uuid.uuid4())]}, "body.parent_ids"),
        ({"name": "X", "kind": "ward", "parent_ids": "E12000005"}, "body.parent_ids"),
    ]
    for body, field in cases:
        problem(client.post(URL, json=body), 422, field)
    assert [a["id"] for a in client.get(URL).json()["items"]] == [region["id"]]
    not_json = client.post(URL, content=b"{not json", headers={"content-type": "application/json"})
    problem(not_json, 422)


def test_patch_rejects_invalid_bodies_and_changes_nothing(client, coventry):
    url = f"{URL}/{coventry['id']}"
    cases = [
        ({"name": None}, "body.name"),
        ({"kind": None}, "body.kind"),
        ({"parent_ids": None}, "body.parent_ids"),
        ({"kind": "county"}, "body.kind"),
        ({"name": ""}, "body.name"),
        ({"code": "X1"}, "body.code"),
        ({"population": 5}, "body.population"),
        ({"version": 7}, "body.version"),
        ({"parent_ids": ["E99999999"]}, "body.parent_ids"),
    ]
    for body, field in cases:
        problem(checks.patch(client, url, body), 422, field)
    assert checks.fetch(client, url) == coventry


def test_duplicate_code_is_409(client, coventry):
    problem(client.post(URL, json={"code": "E08000026", "name": "Other", "kind": "ward"}), 409)
    other = factories.area(client, code="E08000025", name="Birmingham")
    problem(checks.patch(client, f"{URL}/{other['id']}", {"code": "E08000026"}), 409)
    assert checks.fetch(client, f"{URL}/{other['id']}") == other
    assert len(client.get(URL).json()["items"]) == 3


def test_an_area_cannot_be_its_own_parent(client, coventry):
    url = f"{URL}/{coventry['id']}"
    problem(checks.patch(client, url, {"parent_ids": [coventry["id"]]}), 422, "body.parent_ids")
    problem(checks.patch(client, url, {"parent_ids": ["E08000026"]}), 422, "body.parent_ids")
    assert checks.fetch(client, url) == coventry


def test_a_parent_cycle_is_rejected(client, region, coventry):
    ward = factories.area(client, name="Foleshill", kind="ward", parent_ids=[coventry["id"]])
    url = f"{URL}/{region['id']}"
    # The region would lie within its own grandchild, or its child.
    problem(checks.patch(client, url, {"parent_ids": [ward["id"]]}), 422, "body.parent_ids")
    problem(checks.patch(client, url, {"parent_ids": ["E08000026"]}), 422, "body.parent_ids")
    assert checks.fetch(client, url) == region
    # A parent outside the tree is fine.
    uk = factories.area(client, code="K02000001", name="United Kingdom", kind="uk")
    assert checks.patch(client, url, {"parent_ids": [uk["id"]]}).status_code == 200


def test_delete_of_an_area_with_child_areas_is_409(client, region, coventry):
    checks.check_delete_conflict(client, f"{URL}/{region['id']}")
    checks.check_delete_conflict(client, f"{URL}/E12000005")
    assert checks.fetch(client, f"{URL}/{coventry['id']}")["parent_ids"] == [region["id"]]


def test_delete_of_an_area_with_stakeholders_is_409(client, coventry):
    factories.stakeholder(client, area_ids=["E08000026"])
    checks.check_delete_conflict(client, f"{URL}/{coventry['id']}")


def test_delete_of_an_area_with_collaborations_or_roadmaps_is_409(client, coventry, region):
    factories.collaboration(client, area_ids=[coventry["id"]])
    factories.roadmap(client, area_id="E12000005")
    checks.check_delete_conflict(client, f"{URL}/{coventry['id']}")
    ward = factories.area(client, name="Lone ward", kind="ward")
    factories.roadmap(client, area_id=ward["id"])
    checks.check_delete_conflict(client, f"{URL}/{ward['id']}")


# --- lists: filters and pagination -------------------------------------------------------


def test_filter_by_kind(client, region, coventry):
    assert _names(client.get(URL, params={"kind": "region"})) == ["West Midlands"]
    assert _names(client.get(URL, params={"kind": "ward"})) == []
    problem(client.get(URL, params={"kind": "county"}), 422, "query.kind")


def test_filter_by_parent_gives_direct_children_only(client, region, coventry):
    factories.area(client, name="Foleshill", kind="ward", parent_ids=["E08000026"])
    factories.area(client, code="E08000025", name="Birmingham", parent_ids=["E12000005"])
    assert _names(client.get(URL, params={"parent": "E12000005"})) == ["Birmingham", "Coventry"]
    assert _names(client.get(URL, params={"parent": region["id"]})) == ["Birmingham", "Coventry"]
    assert _names(client.get(URL, params={"parent": "E08000026"})) == ["Foleshill"]
    problem(client.get(URL, params={"parent": "E99999999"}), 404)


def test_text_search_over_name_and_code(client, region, coventry):
    assert _names(client.get(URL, params={"q": "coven"})) == ["Coventry"]
    assert _names(client.get(URL, params={"q": "MIDLANDS"})) == ["West Midlands"]
    assert _names(client.get(URL, params={"q": "E0800002"})) == ["Coventry"]
    assert _names(client.get(URL, params={"q": "nowhere"})) == []


def test_text_search_treats_wildcards_literally(client):
    for name in ("100% fibre", "1000 fibre", "a_b", "axb"):
        factories.area(client, name=name, kind="ward")
    assert _names(client.get(URL, params={"q": "%"})) == ["100% fibre"]
    assert _names(client.get(URL, params={"q": "0%"})) == ["100% fibre"]
    assert _names(client.get(URL, params={"q": "_"})) == ["a_b"]
    assert _names(client.get(URL, params={"q": "a_b"})) == ["a_b"]


def test_pagination_walks_every_area_once_in_order(client):
    names = ["Walsall", "Birmingham", "Dudley", "Sandwell", "Solihull", "Coventry", "Wolverhampton"]
    for name in names:
        factories.area(client, name=name)
    checks.check_pagination(client, URL, "name", sorted(names))
    by_kind = checks.walk(client, URL, {"limit": 2, "sort": "kind"}, via="link")
    assert len(by_kind) == 7


def test_pagination_errors(client, region, coventry):
    checks.check_pagination_errors(client, URL, "name")
    problem(client.get(URL, params={"sort": "Name"}), 422, "query.sort")
    problem(client.get(URL, params={"sort": "code"}), 422, "query.sort")


def test_pagination_keeps_the_filters(client, region):
    for i in range(5):
        factories.area(client, name=f"Ward {i}", kind="ward", parent_ids=[region["id"]])
    factories.area(client, name="Ward X", kind="ward")
    items = checks.walk(client, URL, {"limit": 2, "parent": "E12000005"}, via="link")
    assert [a["name"] for a in items] == [f"Ward {i}" for i in range(5)]


def test_pagination_breaks_ties_by_id(client):
    made = [factories.area(client, name="Newtown", kind="ward") for _ in range(5)]
    factories.area(client, name="Aston", kind="ward")
    items = checks.walk(client, URL, {"limit": 2, "q": "Newtown"}, via="cursor")
    assert [a["id"] for a in items] == sorted(a["id"] for a in made)
    items = checks.walk(client, URL, {"limit": 2, "q": "Newtown", "sort": "-name"}, via="link")
    assert [a["id"] for a in items] == sorted((a["id"] for a in made), reverse=True)


def test_pagination_by_timestamps(client):
    made = [factories.area(client, name=f"Area {i}") for i in range(7)]
    ids = [a["id"] for a in made]
    for sort, order in (("created_at", ids), ("-created_at", ids[::-1]), ("updated_at", ids)):
        for via in ("cursor", "link"):
            items = checks.walk(client, URL, {"limit": 3, "sort": sort}, via=via)
            assert [a["id"] for a in items] == order, (sort, via)


def test_forged_cursor_values_are_422(client):
    factories.area(client, name="A")
    for sort, value in (
        ("name", None),
        ("name", 1),
        ("created_at", "not-a-date"),
        ("created_at", None),
        ("created_at", "2024-01-01T00:00:00"),
    ):
        forged = checks.cursor({"s": sort, "v": [value, "x"]})
        problem(client.get(URL, params={"sort": sort, "cursor": forged}), 422, "query.cursor")


# --- Idempotency-Key -------------------------------------------------------------------


def test_idempotency_key_replays_the_first_answer(client):
    def count() -> int:
        return len(client.get(URL, params={"q": "E08000026"}).json()["items"])

    checks.check_idempotent_post(
        client,
        URL,
        {"code": "E08000026", "name": "Coventry", "kind": "local_authority"},
        {"code": "E08000026", "name": "Coventry", "kind": "ward"},
        count,
    )
