"""/api/v1/metrics: the indicators outcomes are measured by."""

import uuid

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests import checks, factories
from tests.checks import problem
from tests.factories import API

URL = f"{API}/metrics"
KINDS = ["baselines", "targets", "observations"]


def _codes(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [m["code"] for m in response.json()["items"]]


@pytest.fixture
def mission(client: TestClient) -> dict:
    return factories.mission(client, code="M3")


@pytest.fixture
def outcomes(client: TestClient, mission: dict) -> list[dict]:
    """Two outcomes of mission M3."""
    return [factories.outcome(client, mission["id"], code=code) for code in ("M3.1", "M3.2")]


@pytest.fixture
def fibre(client: TestClient, outcomes: list[dict]) -> dict:
    return factories.metric(
        client,
        code="full-fibre-coverage",
        name="Full fibre coverage",
        unit="percent",
        direction="higher_is_better",
        source="Ofcom Connected Nations",
        method="Share of premises where full fibre is available.",
        outcome_ids=[outcomes[0]["id"]],
    )


# --- happy path ---------------------------------------------------------------------------


def test_create_returns_201_with_location_and_etag(client, outcomes):
    ids = [o["id"] for o in outcomes]
    response = client.post(
        URL,
        json={
            "code": "full-fibre-coverage",
            "name": "Full fibre coverage",
            "unit": "percent",
            "direction": "higher_is_better",
            "source": "Ofcom Connected Nations",
            "method": "Share of premises where full fibre is available.",
            "outcome_ids": [ids[1], ids[0], ids[1]],
        },
    )
    created = checks.created(client, response)
    assert response.headers["location"] == f"http://testserver{URL}/{created['id']}"
    assert created["code"] == "full-fibre-coverage"
    assert created["name"] == "Full fibre coverage"
    assert created["unit"] == "percent"
    assert created["direction"] == "higher_is_better"
    assert created["source"] == "Ofcom Connected Nations"
    assert created["method"] == "Share of premises where full fibre is available."
    assert created["outcome_ids"] == sorted(ids)
    # The link is seen from the outcome's side too.
    for outcome_id in ids:
        assert checks.fetch(client, f"{API}/outcomes/{outcome_id}")["metric_ids"] == [created["id"]]


def test_defaults(client):
    created = factories.metric(client, code="gigabit", unit="count", direction="lower_is_better")
    assert created["source"] is None
    assert created["method"] is None
    assert created["outcome_ids"] == []
    assert created["unit"] == "count"
    assert created["direction"] == "lower_is_better"


@pytest.mark.parametrize("unit", ["percent", "count", "gbp", "ratio", "per_10k", "score", "rank", "index"])
def test_every_unit_is_accepted(client, unit):
    assert factories.metric(client, unit=unit)["unit"] == unit


def test_get_and_list(client, fibre):
    assert checks.fetch(client, f"{URL}/{fibre['id']}") == fibre
    other = factories.metric(client, code="a-first")
    assert client.get(URL).json() == {"items": [other, fibre], "next_cursor": None}


def test_patch_bumps_the_version_once(client, fibre):
    after = checks.check_patch_versions(
        client,
        f"{URL}/{fibre['id']}",
        {"name": "Gigabit coverage", "unit": "ratio", "direction": "lower_is_better", "method": None},
    )
    assert after["name"] == "Gigabit coverage"
    assert after["unit"] == "ratio"
    assert after["direction"] == "lower_is_better"
    assert after["method"] is None
    assert after["code"] == fibre["code"]
    assert after["source"] == fibre["source"]
    assert after["outcome_ids"] == fibre["outcome_ids"]


def test_patch_with_the_current_values_changes_nothing(client, fibre):
    url = f"{URL}/{fibre['id']}"
    same = {k: fibre[k] for k in ("code", "name", "unit", "direction", "source", "method", "outcome_ids")}
    response = checks.patch(client, url, same)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"1"'
    assert response.json() == fibre
    assert checks.fetch(client, url) == fibre


def test_patch_replaces_outcome_ids_as_a_set(client, outcomes, fibre):
    url = f"{URL}/{fibre['id']}"
    first, second = (o["id"] for o in outcomes)
    after = checks.patch(client, url, {"outcome_ids": [second]}).json()
    assert after["outcome_ids"] == [second]
    assert after["version"] == 2
    assert checks.fetch(client, f"{API}/outcomes/{first}")["metric_ids"] == []
    # Links alone are a change; the same set in another order or repeated is not.
    both = checks.patch(client, url, {"outcome_ids": [second, first]}, '"2"')
    assert both.headers["etag"] == '"3"'
    assert both.json()["outcome_ids"] == sorted([first, second])
    same = checks.patch(client, url, {"outcome_ids": [first, second, first]}, '"3"')
    assert same.headers["etag"] == '"3"'
    assert same.json() == both.json()
    # Leaving outcome_ids out keeps them; an empty list clears them.
    kept = checks.patch(client, url, {"name": "Renamed"}, '"3"').json()
    assert kept["outcome_ids"] == sorted([first, second])
    cleared = checks.patch(client, url, {"outcome_ids": []}, '"4"').json()
    assert cleared["outcome_ids"] == []
    assert cleared["version"] == 5
    assert _codes(client.get(URL, params={"outcome": first})) == []


def test_if_match_is_required_and_checked(client, fibre):
    checks.check_preconditions(client, f"{URL}/{fibre['id']}", {"name": "Gigabit coverage"})


def test_delete_then_404(client, outcomes, fibre):
    checks.check_delete(client, f"{URL}/{fibre['id']}")
    assert client.get(URL).json()["items"] == []
    # Its outcome links went with it: the outcome no longer names it and can be deleted.
    outcome_url = f"{API}/outcomes/{outcomes[0]['id']}"
    assert checks.fetch(client, outcome_url)["metric_ids"] == []
    assert checks.delete(client, outcome_url).status_code == 204


def test_a_linked_outcome_cannot_be_deleted(client, outcomes, fibre):
    checks.check_delete_conflict(client, f"{API}/outcomes/{outcomes[0]['id']}")
    assert checks.fetch(client, f"{URL}/{fibre['id']}") == fibre


@pytest.mark.parametrize("kind", KINDS)
def test_delete_is_409_while_the_metric_has_values(client, fibre, kind):
    url = f"{URL}/{fibre['id']}"
    value = factories.metric_value(client, kind, fibre["id"])
    checks.check_delete_conflict(client, url)
    body = problem(checks.delete(client, url, '"1"'), 409)
    assert kind in body["detail"]
    assert client.get(f"{url}/{kind}").json()["items"] == [value]
    # Once the value is gone the metric can go.
    assert checks.delete(client, f"{url}/{kind}/{value['id']}").status_code == 204
    checks.check_delete(client, url)


def test_delete_conflict_names_every_kind_of_value(client, fibre):
    url = f"{URL}/{fibre['id']}"
    for kind in KINDS:
        factories.metric_value(client, kind, fibre["id"])
    body = problem(checks.delete(client, url), 409)
    for kind in KINDS:
        assert f"1 {kind}" in body["detail"]
    assert checks.fetch(client, url) == fibre


# --- errors -------------------------------------------------------------------------------


def test_unknown_metric_is_404(client):
    checks.check_not_found(client, f"{URL}/{uuid.uuid4()}")


def test_duplicate_code_is_409(client, fibre):
    response = client.post(
        URL, json={"code": fibre["code"], "name": "Another", "unit": "count", "direction": "lower_is_better"}
    )
    problem(response, 409)
    assert _codes(client.get(URL)) == [fibre["code"]]

    other = factories.metric(client, code="gigabit")
    url = f"{URL}/{other['id']}"
    problem(checks.patch(client, url, {"code": fibre["code"]}), 409)
    assert checks.fetch(client, url) == other
    # Keeping one's own code is not a clash.
    assert checks.patch(client, url, {"code": "gigabit", "name": "Gigabit"}).status_code == 200


def test_create_rejects_invalid_bodies(client):
    ok = {"code": "ok", "name": "OK", "unit": "percent", "direction": "higher_is_better"}
    cases = [
        ({**ok, "code": "Full-Fibre"}, "body.code"),
        ({**ok, "code": "full fibre"}, "body.code"),
        ({**ok, "code": "-leading-hyphen"}, "body.code"),
        ({**ok, "code": "full_fibre"}, "body.code"),
        ({**ok, "code": ""}, "body.code"),
        ({**ok, "code": "x" * 101}, "body.code"),
        ({**ok, "code": None}, "body.code"),
        ({**ok, "name": ""}, "body.name"),
        ({**ok, "name": "x" * 301}, "body.name"),
        ({**ok, "unit": "percentage"}, "body.unit"),
        ({**ok, "unit": None}, "body.unit"),
        ({**ok, "direction": "up"}, "body.direction"),
        ({**ok, "direction": "HIGHER_IS_BETTER"}, "body.direction"),
        ({**ok, "source": "x" * 301}, "body.source"),
        ({**ok, "outcome_ids": [str(uuid.uuid4())]}, "body.outcome_ids"),
        ({**ok, "outcome_ids": "not-a-list"}, "body.outcome_ids"),
        ({**ok, "frequency": "hourly"}, "body.frequency"),
        ({**ok, "id": str(uuid.uuid4())}, "body.id"),
        ({**ok, "version": 7}, "body.version"),
    ]
    for field in ("code", "name", "unit", "direction"):
        cases.append(({k: v for k, v in ok.items() if k != field}, f"body.{field}"))
    for body, field in cases:
        problem(client.post(URL, json=body), 422, field)
    assert client.get(URL).json()["items"] == []


def test_an_unknown_outcome_among_known_ones_is_named(client, outcomes):
    unknown = str(uuid.uuid4())
    body = {"code": "ok", "name": "OK", "unit": "percent", "direction": "higher_is_better"}
    response = client.post(URL, json={**body, "outcome_ids": [outcomes[0]["id"], unknown]})
    assert unknown in problem(response, 422, "body.outcome_ids")["detail"]
    assert client.get(URL).json()["items"] == []


def test_patch_rejects_invalid_bodies_and_changes_nothing(client, fibre):
    url = f"{URL}/{fibre['id']}"
    cases = [
        ({"code": None}, "body.code"),
        ({"name": None}, "body.name"),
        ({"unit": None}, "body.unit"),
        ({"direction": None}, "body.direction"),
        ({"outcome_ids": None}, "body.outcome_ids"),
        ({"code": "Not OK"}, "body.code"),
        ({"name": ""}, "body.name"),
        ({"unit": "percentage"}, "body.unit"),
        ({"direction": "up"}, "body.direction"),
        ({"outcome_ids": [str(uuid.uuid4())]}, "body.outcome_ids"),
        ({"frequency": "hourly"}, "body.frequency"),
        ({"id": "mine"}, "body.id"),
    ]
    for body, field in cases:
        problem(checks.patch(client, url, body), 422, field)
    assert checks.fetch(client, url) == fibre


# --- lists: filters and pagination -------------------------------------------------------


@pytest.fixture
def catalogue(client: TestClient, outcomes: list[dict]) -> dict[str, dict]:
    """Two metrics of M3 (one on both of its outcomes), one of another mission, one unlinked."""
    first, second = (o["id"] for o in outcomes)
    elsewhere = factories.outcome(client)
    m = factories.metric
    return {
        "fibre": m(
            client,
            code="full-fibre",
            name="Full fibre coverage",
            unit="percent",
            outcome_ids=[first, second],
            method="Ofcom premises data",
        ),
        "gigabit": m(client, code="gigabit", name="Gigabit capable", unit="percent", outcome_ids=[second]),
        "skills": m(
            client,
            code="digital-skills",
            name="Adults lacking basic skills",
            unit="count",
            direction="lower_is_better",
            outcome_ids=[elsewhere["id"]],
            method="100% of adults_surveyed",
        ),
        "gva": m(client, code="tech-gva", name="Tech sector GVA", unit="gbp"),
    }


def test_filter_by_outcome(client, outcomes, catalogue):
    first, second = (o["id"] for o in outcomes)
    assert _codes(client.get(URL, params={"outcome": first})) == ["full-fibre"]
    assert _codes(client.get(URL, params={"outcome": second})) == ["full-fibre", "gigabit"]
    assert _codes(client.get(URL, params={"outcome": str(uuid.uuid4())})) == []


def test_filter_by_mission_finds_metrics_of_any_of_its_outcomes_once(client, mission, catalogue):
    assert _codes(client.get(URL, params={"mission": mission["id"]})) == ["full-fibre", "gigabit"]
    other = factories.mission(client)
    assert _codes(client.get(URL, params={"mission": other["id"]})) == []
    # Pages over a mission filter hold each metric once even when it has two of its outcomes.
    assert [
        m["code"] for m in checks.walk(client, URL, {"mission": mission["id"], "limit": 1}, via="link")
    ] == [
        "full-fibre",
        "gigabit",
    ]


def test_filter_by_unit(client, catalogue):
    assert _codes(client.get(URL, params={"unit": "percent"})) == ["full-fibre", "gigabit"]
    assert _codes(client.get(URL, params={"unit": "gbp"})) == ["tech-gva"]
    assert _codes(client.get(URL, params={"unit": "score"})) == []
    problem(client.get(URL, params={"unit": "percentage"}), 422, "query.unit")


def test_filter_by_area_finds_metrics_with_any_value_there_once(client, catalogue):
    coventry = factories.area(client, code="E08000026", name="Coventry")
    factories.area(client, code="E08000025", name="Birmingham")
    factories.baseline(client, catalogue["fibre"]["id"], "E08000026")
    factories.observation(client, catalogue["fibre"]["id"], "E08000026")
    factories.target(client, catalogue["gigabit"]["id"], coventry["id"])
    factories.observation(client, catalogue["skills"]["id"], "E08000025")
    assert _codes(client.get(URL, params={"area": "E08000026"})) == ["full-fibre", "gigabit"]
    assert _codes(client.get(URL, params={"area": coventry["id"]})) == ["full-fibre", "gigabit"]
    assert _codes(client.get(URL, params={"area": "E08000025", "unit": "count"})) == ["digital-skills"]
    assert _codes(client.get(URL, params={"area": factories.area(client)["id"]})) == []
    problem(client.get(URL, params={"area": "E99999999"}), 404)


def test_filters_combine(client, mission, outcomes, catalogue):
    params = {"mission": mission["id"], "unit": "percent", "q": "gigabit"}
    assert _codes(client.get(URL, params=params)) == ["gigabit"]
    assert _codes(client.get(URL, params={"outcome": outcomes[0]["id"], "unit": "count"})) == []


def test_text_search_over_code_name_and_method(client, catalogue):
    assert _codes(client.get(URL, params={"q": "GIGABIT"})) == ["gigabit"]  # code and name
    assert _codes(client.get(URL, params={"q": "tech-g"})) == ["tech-gva"]  # code only
    assert _codes(client.get(URL, params={"q": "lacking"})) == ["digital-skills"]  # name only
    assert _codes(client.get(URL, params={"q": "ofcom"})) == ["full-fibre"]  # method only
    assert _codes(client.get(URL, params={"q": "coverage"})) == ["full-fibre"]
    assert _codes(client.get(URL, params={"q": "nothing like it"})) == []
    problem(client.get(URL, params={"q": "x" * 201}), 422, "query.q")


def test_text_search_treats_wildcards_literally(client, catalogue):
    assert _codes(client.get(URL, params={"q": "100%"})) == ["digital-skills"]
    assert _codes(client.get(URL, params={"q": "%"})) == ["digital-skills"]
    assert _codes(client.get(URL, params={"q": "_"})) == ["digital-skills"]
    assert _codes(client.get(URL, params={"q": "full_fibre"})) == []


def test_pagination_walks_every_metric_once_in_order(client, outcomes):
    codes = ["g-metric", "c-metric", "e-metric", "a-metric", "f-metric", "d-metric", "b-metric"]
    names = ["Seven", "Three", "Five", "One", "Six", "Four", "Two"]
    for code, name in zip(codes, names, strict=True):
        factories.metric(client, code=code, name=name, outcome_ids=[outcomes[0]["id"]])
    factories.metric(client, code="z-unlinked", name="Zero")
    linked = {"outcome": outcomes[0]["id"]}
    checks.check_pagination(client, URL, "code", sorted(codes), linked)
    checks.check_pagination(client, URL, "name", sorted(names), linked, default_sort=False)
    checks.check_pagination_errors(client, URL, "code")
    checks.check_pagination_errors(client, URL, "name")


def test_sort_by_code_and_by_descending_name(client):
    for code, name in (("b", "Beta"), ("a", "Gamma"), ("c", "Alpha")):
        factories.metric(client, code=code, name=name)
    assert _codes(client.get(URL)) == ["a", "b", "c"]
    assert _codes(client.get(URL, params={"sort": "code"})) == ["a", "b", "c"]
    assert _codes(client.get(URL, params={"sort": "-code"})) == ["c", "b", "a"]
    assert _codes(client.get(URL, params={"sort": "-name"})) == ["a", "b", "c"]
    assert _codes(client.get(URL, params={"sort": "name"})) == ["c", "b", "a"]
    problem(client.get(URL, params={"sort": "unit"}), 422, "query.sort")


# --- Idempotency-Key -------------------------------------------------------------------


def test_idempotency_key_replays_the_first_answer(client):
    def count() -> int:
        return len(client.get(URL).json()["items"])

    body = {"code": "retried", "name": "Retried", "unit": "percent", "direction": "higher_is_better"}
    checks.check_idempotent_post(client, URL, body, {**body, "unit": "count"}, count)
