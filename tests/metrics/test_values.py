"""/api/v1/metrics/{id}/baselines, …/targets, …/observations: a metric's values per area.

The three kinds share one shape and one service; most tests run for each kind. Where they
differ (targets have no qualifier; a baseline is one per area, the others one per date)
the tests say so.
"""

import os
import uuid
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tests import checks, factories
from tests.checks import problem
from tests.factories import API

URL = f"{API}/metrics"
KINDS = ["baselines", "targets", "observations"]
QUALIFIED = ["baselines", "observations"]  # the kinds with a `qualifier`
DATED = ["targets", "observations"]  # the kinds with one value per area and date
COVENTRY, BIRMINGHAM = "E08000026", "E08000025"
BODY = {"area_id": COVENTRY, "value": "15", "date": "2021-01-15"}
ON_SQLITE = not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres")


def _url(metric: dict, kind: str) -> str:
    return f"{URL}/{metric['id']}/{kind}"


def _values(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [v["value"] for v in response.json()["items"]]


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=QUALIFIED)
def qualified(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=DATED)
def dated(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def places(client: TestClient) -> dict[str, dict]:
    return {
        "coventry": factories.area(client, code=COVENTRY, name="Coventry"),
        "birmingham": factories.area(client, code=BIRMINGHAM, name="Birmingham"),
    }


@pytest.fixture
def metric(client: TestClient) -> dict:
    return factories.metric(client, code="full-fibre-coverage", name="Full fibre coverage")


@pytest.fixture
def project(client: TestClient) -> dict:
    return factories.collaboration(client, title="Sandwell full fibre", kind="project")


@pytest.fixture
def value(client: TestClient, places: dict, metric: dict, kind: str) -> dict:
    """Coventry, 15 on 2021-01-15, of this test's kind."""
    return factories.metric_value(
        client, kind, metric["id"], COVENTRY, value="15", date="2021-01-15", source="Ofcom", note="launch"
    )


# --- happy path ---------------------------------------------------------------------------


def test_create_with_a_gss_code_stores_the_areas_id(client, places, metric, kind):
    url = _url(metric, kind)
    body = {**BODY, "value": "15.000", "source": "WMCA launch post", "note": "under 15%"}
    response = client.post(url, json=body)
    created = checks.created(client, response)
    assert response.headers["location"] == f"http://testserver{url}/{created['id']}"
    assert created["metric_id"] == metric["id"]
    assert created["area_id"] == places["coventry"]["id"]
    assert created["collaboration_id"] is None
    assert created["value"] == "15"
    assert created["date"] == "2021-01-15"
    assert created["source"] == "WMCA launch post"
    assert created["note"] == "under 15%"
    if kind in QUALIFIED:
        assert created["qualifier"] == "eq"
    else:
        assert "qualifier" not in created


def test_create_with_an_area_id(client, places, metric, project, kind):
    body = {**BODY, "area_id": places["birmingham"]["id"], "collaboration_id": project["id"]}
    created = checks.created(client, client.post(_url(metric, kind), json=body))
    assert created["area_id"] == places["birmingham"]["id"]
    assert created["collaboration_id"] == project["id"]
    assert created["source"] is None
    assert created["note"] is None


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("15", "15"),
        (15, "15"),
        ("15.000000", "15"),
        ("14.5", "14.5"),
        (14.5, "14.5"),
        ("14.50", "14.5"),
        (0.25, "0.25"),
        ("0", "0"),
        ("0.000001", "0.000001"),
        ("-2.5", "-2.5"),
        ("1E+2", "100"),
        (" 20 ", "20"),
    ],
)
def test_value_is_a_decimal_string_without_trailing_zeros(client, places, metric, kind, sent, shown):
    url = _url(metric, kind)
    created = checks.created(client, client.post(url, json={**BODY, "value": sent}))
    assert created["value"] == shown
    assert _values(client.get(url)) == [shown]


def test_values_of_up_to_18_digits_are_stored_exactly(client, places, metric, kind):
    """12 digits before the point and 6 after: exact on every backend, ordered numerically."""
    url = _url(metric, kind)
    exact = ["-999999999999.999999", "-0.000001", "0.000001", "123456789012.123456", "999999999999"]
    for sent in exact:
        body = {**BODY, "value": sent, "date": factories.day(), "area_id": factories.area(client)["id"]}
        assert checks.created(client, client.post(url, json=body))["value"] == sent
    assert _values(client.get(url, params={"sort": "value"})) == exact
    assert _values(client.get(url, params={"sort": "-value"})) == exact[::-1]


def test_negative_zero_is_zero(client, places, metric, kind):
    created = checks.created(client, client.post(_url(metric, kind), json={**BODY, "value": "-0.0"}))
    assert created["value"] == "0"


@pytest.mark.parametrize(
    "sent",
    [
        "0.1234567",
        0.1234567,
        "1e-7",
        "1234567890123",  # 13 digits before the point
        "123456789012.1234567",  # 19 digits in all
        "1234567890123456789.123456",  # 25 digits in all
        1e20,
        "NaN",
        "nan",
        "sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        "",
        "fifteen",
        "1,5",
        "15%",
        None,
        True,
        [15],
        {"value": 15},
    ],
)
def test_invalid_values_are_422(client, places, metric, kind, sent):
    url = _url(metric, kind)
    problem(client.post(url, json={**BODY, "value": sent}), 422, "body.value")
    assert client.get(url).json()["items"] == []


@pytest.mark.parametrize(
    "sent",
    [
        20210115,
        "20210115",
        "2021-1-15",
        "15/01/2021",
        "2021-02-30",
        "2021-13-01",
        "2021-01-15T00:00:00",
        "2021-01-15T00:00:00Z",
        "",
        None,
        1610668800,
    ],
)
def test_date_must_be_yyyy_mm_dd(client, places, metric, kind, sent):
    url = _url(metric, kind)
    problem(client.post(url, json={**BODY, "date": sent}), 422, "body.date")
    assert client.get(url).json()["items"] == []


def test_get_and_list(client, places, metric, kind, value):
    url = _url(metric, kind)
    assert checks.fetch(client, f"{url}/{value['id']}") == value
    later = factories.metric_value(client, kind, metric["id"], BIRMINGHAM, date="2022-01-01")
    factories.metric_value(client, kind, area_id=COVENTRY)  # another metric's
    assert client.get(url).json() == {"items": [value, later], "next_cursor": None}


def test_patch_bumps_the_version_once(client, places, metric, kind, value):
    url = f"{_url(metric, kind)}/{value['id']}"
    change = {"value": "16.50", "date": "2021-02-01", "area_id": BIRMINGHAM, "note": None}
    after = checks.check_patch_versions(client, url, change)
    assert after["value"] == "16.5"
    assert after["date"] == "2021-02-01"
    assert after["area_id"] == places["birmingham"]["id"]
    assert after["note"] is None
    assert after["source"] == "Ofcom"
    assert after["metric_id"] == metric["id"]


def test_patch_with_equal_values_changes_nothing(client, places, metric, kind, value):
    url = f"{_url(metric, kind)}/{value['id']}"
    # The area by id rather than code, the value as a number or with trailing zeros.
    for same in (
        {"value": 15},
        {"value": "15.000"},
        {"area_id": places["coventry"]["id"]},
        {"area_id": COVENTRY, "date": "2021-01-15", "collaboration_id": None},
    ):
        response = checks.patch(client, url, same)
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == '"1"'
        assert response.json() == value
    assert checks.fetch(client, url) == value


def test_patch_sets_and_clears_the_collaboration(client, places, metric, kind, value, project):
    url = f"{_url(metric, kind)}/{value['id']}"
    linked = checks.patch(client, url, {"collaboration_id": project["id"]}).json()
    assert linked["collaboration_id"] == project["id"]
    assert linked["version"] == 2
    unlinked = checks.patch(client, url, {"collaboration_id": None}, '"2"').json()
    assert unlinked["collaboration_id"] is None
    assert unlinked["version"] == 3


def test_if_match_is_required_and_checked(client, places, metric, kind, value):
    checks.check_preconditions(client, f"{_url(metric, kind)}/{value['id']}", {"value": "20"})


def test_delete_then_404(client, places, metric, kind, value):
    checks.check_delete(client, f"{_url(metric, kind)}/{value['id']}")
    assert client.get(_url(metric, kind)).json()["items"] == []
    # Nothing else refers to the metric or the area now.
    assert checks.delete(client, f"{URL}/{metric['id']}").status_code == 204
    assert checks.delete(client, f"{API}/areas/{COVENTRY}").status_code == 204


def test_a_values_changes_leave_the_metric_alone(client, places, metric, kind):
    metric_url = f"{URL}/{metric['id']}"
    before = checks.fetch(client, metric_url)
    created = factories.metric_value(client, kind, metric["id"], COVENTRY)
    assert checks.fetch(client, metric_url) == before
    url = f"{_url(metric, kind)}/{created['id']}"
    assert checks.patch(client, url, {"value": "99", "note": "revised"}).json()["version"] == 2
    assert checks.fetch(client, metric_url) == before
    assert checks.delete(client, url).status_code == 204
    assert checks.fetch(client, metric_url) == before


# --- qualifiers ----------------------------------------------------------------------------


def test_qualifier_defaults_to_eq_and_takes_lt_gt_approx(client, places, metric, qualified):
    url = _url(metric, qualified)
    for i, (qualifier, area) in enumerate((("lt", COVENTRY), ("approx", BIRMINGHAM))):
        body = {**BODY, "area_id": area, "date": f"2021-01-1{i}", "qualifier": qualifier}
        assert checks.created(client, client.post(url, json=body))["qualifier"] == qualifier
    plain = factories.metric_value(client, qualified, metric["id"])
    assert plain["qualifier"] == "eq"
    after = checks.patch(client, f"{url}/{plain['id']}", {"qualifier": "gt"}).json()
    assert after["qualifier"] == "gt"
    assert after["version"] == 2


def test_an_unknown_qualifier_is_422(client, places, metric, qualified, project):
    url = _url(metric, qualified)
    for bad in ("about", "LT", "<", "", None):
        problem(client.post(url, json={**BODY, "qualifier": bad}), 422, "body.qualifier")
    assert client.get(url).json()["items"] == []
    made = factories.metric_value(client, qualified, metric["id"], COVENTRY, qualifier="lt")
    for bad in ("about", None):
        problem(checks.patch(client, f"{url}/{made['id']}", {"qualifier": bad}), 422, "body.qualifier")
    assert checks.fetch(client, f"{url}/{made['id']}") == made


@pytest.mark.parametrize("qualifier", ["eq", "lt", "approx"])
def test_a_target_takes_no_qualifier(client, places, metric, qualifier):
    url = _url(metric, "targets")
    problem(client.post(url, json={**BODY, "qualifier": qualifier}), 422, "body.qualifier")
    assert client.get(url).json()["items"] == []
    made = factories.target(client, metric["id"], COVENTRY)
    problem(checks.patch(client, f"{url}/{made['id']}", {"qualifier": qualifier}), 422, "body.qualifier")
    assert checks.fetch(client, f"{url}/{made['id']}") == made


# --- references ---------------------------------------------------------------------------


def test_an_unknown_area_is_422(client, places, metric, kind, value):
    url = _url(metric, kind)
    for unknown in ("E99999999", str(uuid.uuid4()), "e08000026", "Coventry"):
        body = problem(client.post(url, json={**BODY, "area_id": unknown}), 422, "body.area_id")
        assert unknown in body["detail"]
        problem(checks.patch(client, f"{url}/{value['id']}", {"area_id": unknown}), 422, "body.area_id")
    assert client.get(url).json()["items"] == [value]


def test_an_unknown_collaboration_is_422(client, places, metric, kind, value):
    url = _url(metric, kind)
    unknown = str(uuid.uuid4())
    problem(client.post(url, json={**BODY, "collaboration_id": unknown}), 422, "body.collaboration_id")
    patched = checks.patch(client, f"{url}/{value['id']}", {"collaboration_id": unknown})
    problem(patched, 422, "body.collaboration_id")
    assert client.get(url).json()["items"] == [value]


def test_a_referenced_collaboration_cannot_be_deleted(client, places, metric, kind, project):
    made = factories.metric_value(client, kind, metric["id"], COVENTRY, collaboration_id=project["id"])
    project_url = f"{API}/collaborations/{project['id']}"
    before = checks.fetch(client, project_url)
    body = problem(checks.delete(client, project_url, "*"), 409)
    assert kind in body["detail"]
    assert checks.fetch(client, project_url) == before
    assert checks.fetch(client, f"{_url(metric, kind)}/{made['id']}") == made
    # Unlinked, the collaboration can go.
    checks.patch(client, f"{_url(metric, kind)}/{made['id']}", {"collaboration_id": None})
    assert checks.delete(client, project_url, "*").status_code == 204


def test_a_referenced_area_cannot_be_deleted(client, places, metric, kind, value):
    area_url = f"{API}/areas/{COVENTRY}"
    body = problem(checks.delete(client, area_url, "*"), 409)
    assert kind in body["detail"]
    checks.fetch(client, area_url)
    assert checks.fetch(client, f"{_url(metric, kind)}/{value['id']}") == value


def test_create_rejects_invalid_bodies(client, places, metric, kind):
    url = _url(metric, kind)
    cases = [
        ({"value": "15", "date": "2021-01-15"}, "body.area_id"),
        ({"area_id": COVENTRY, "date": "2021-01-15"}, "body.value"),
        ({"area_id": COVENTRY, "value": "15"}, "body.date"),
        ({**BODY, "area_id": ""}, "body.area_id"),
        ({**BODY, "area_id": None}, "body.area_id"),
        ({**BODY, "area_id": 8000026}, "body.area_id"),
        ({**BODY, "collaboration_id": "x" * 37}, "body.collaboration_id"),
        ({**BODY, "source": "x" * 301}, "body.source"),
        ({**BODY, "metric_id": metric["id"]}, "body.metric_id"),
        ({**BODY, "id": str(uuid.uuid4())}, "body.id"),
        ({**BODY, "period": "2021"}, "body.period"),
    ]
    for body, field in cases:
        problem(client.post(url, json=body), 422, field)
    assert client.get(url).json()["items"] == []


def test_patch_rejects_invalid_bodies_and_changes_nothing(client, places, metric, kind, value):
    url = f"{_url(metric, kind)}/{value['id']}"
    cases = [
        ({"area_id": None}, "body.area_id"),
        ({"value": None}, "body.value"),
        ({"date": None}, "body.date"),
        ({"value": "NaN"}, "body.value"),
        ({"value": "0.1234567"}, "body.value"),
        ({"date": "20210115"}, "body.date"),
        ({"date": 20210115}, "body.date"),
        ({"metric_id": str(uuid.uuid4())}, "body.metric_id"),
        ({"version": 5}, "body.version"),
    ]
    for body, field in cases:
        problem(checks.patch(client, url, body), 422, field)
    assert checks.fetch(client, url) == value


# --- uniqueness ---------------------------------------------------------------------------


def test_one_baseline_per_metric_area_and_collaboration(client, places, metric, project):
    url = _url(metric, "baselines")
    first = factories.baseline(client, metric["id"], COVENTRY, date="2021-01-15")
    # Whatever its date or value, a second plain baseline for Coventry clashes.
    for body in (
        BODY,
        {**BODY, "date": "2019-06-01", "value": "3"},
        {**BODY, "area_id": places["coventry"]["id"]},
    ):
        problem(client.post(url, json=body), 409)
    # A collaboration's own baseline for the same area is another scope; once.
    own = checks.created(client, client.post(url, json={**BODY, "collaboration_id": project["id"]}))
    problem(client.post(url, json={**BODY, "collaboration_id": project["id"]}), 409)
    # Another area, or another metric, is fine.
    factories.baseline(client, metric["id"], BIRMINGHAM)
    factories.baseline(client, area_id=COVENTRY)
    assert sorted(v["id"] for v in client.get(url, params={"area": COVENTRY}).json()["items"]) == sorted(
        [first["id"], own["id"]]
    )


def test_one_dated_value_per_metric_area_collaboration_and_date(client, places, metric, dated, project):
    url = _url(metric, dated)
    factories.metric_value(client, dated, metric["id"], COVENTRY, date="2021-01-15")
    for body in (BODY, {**BODY, "value": "3"}, {**BODY, "area_id": places["coventry"]["id"]}):
        problem(client.post(url, json=body), 409)
    # Another date, area, collaboration or metric is fine.
    for body in (
        {**BODY, "date": "2021-01-16"},
        {**BODY, "area_id": BIRMINGHAM},
        {**BODY, "collaboration_id": project["id"]},
    ):
        assert client.post(url, json=body).status_code == 201
    problem(client.post(url, json={**BODY, "collaboration_id": project["id"]}), 409)
    factories.metric_value(client, dated, area_id=COVENTRY, date="2021-01-15")
    assert len(client.get(url).json()["items"]) == 4


def test_patch_into_another_baselines_place_is_409(client, places, metric, project):
    url = _url(metric, "baselines")
    factories.baseline(client, metric["id"], COVENTRY)
    other = factories.baseline(client, metric["id"], BIRMINGHAM, collaboration_id=project["id"])
    other_url = f"{url}/{other['id']}"
    problem(checks.patch(client, other_url, {"area_id": COVENTRY, "collaboration_id": None}), 409)
    # Moving it to Coventry but keeping the collaboration is another scope.
    moved = checks.patch(client, other_url, {"area_id": COVENTRY})
    assert moved.status_code == 200, moved.text
    problem(checks.patch(client, other_url, {"collaboration_id": None}, '"2"'), 409)
    assert checks.fetch(client, other_url) == moved.json()


def test_patch_into_another_dated_values_place_is_409(client, places, metric, dated):
    url = _url(metric, dated)
    factories.metric_value(client, dated, metric["id"], COVENTRY, date="2021-01-15")
    other = factories.metric_value(client, dated, metric["id"], BIRMINGHAM, date="2021-01-16")
    other_url = f"{url}/{other['id']}"
    problem(checks.patch(client, other_url, {"area_id": COVENTRY, "date": "2021-01-15"}), 409)
    moved = checks.patch(client, other_url, {"area_id": COVENTRY}).json()
    assert moved["version"] == 2
    problem(checks.patch(client, other_url, {"date": "2021-01-15"}, '"2"'), 409)
    assert checks.fetch(client, other_url) == moved


def test_the_three_kinds_do_not_clash_with_each_other(client, places, metric):
    for kind in KINDS:
        assert client.post(_url(metric, kind), json=BODY).status_code == 201


# --- wrong parents -------------------------------------------------------------------------


def test_a_value_is_reached_only_through_its_own_metric(client, places, metric, kind, value):
    other = factories.metric(client)
    wrong = f"{_url(other, kind)}/{value['id']}"
    problem(client.get(wrong), 404)
    problem(checks.patch(client, wrong, {"value": "1"}, "*"), 404)
    problem(checks.delete(client, wrong, "*"), 404)
    assert checks.fetch(client, f"{_url(metric, kind)}/{value['id']}") == value
    assert client.get(_url(other, kind)).json()["items"] == []
    # Nor through another kind's URL of the same metric.
    for other_kind in KINDS:
        if other_kind != kind:
            problem(client.get(f"{_url(metric, other_kind)}/{value['id']}"), 404)
            problem(checks.delete(client, f"{_url(metric, other_kind)}/{value['id']}", "*"), 404)
    assert checks.fetch(client, f"{_url(metric, kind)}/{value['id']}") == value


def test_unknown_value_is_404(client, metric, kind):
    checks.check_not_found(client, f"{_url(metric, kind)}/{uuid.uuid4()}")


def test_unknown_metric_is_404(client, places, kind):
    url = f"{URL}/{uuid.uuid4()}/{kind}"
    problem(client.get(url), 404)
    problem(client.post(url, json=BODY), 404)
    checks.check_not_found(client, f"{url}/{uuid.uuid4()}")


# --- lists: filters and pagination -------------------------------------------------------


@pytest.fixture
def series(client: TestClient, places: dict, metric: dict, kind: str, project: dict) -> dict[str, dict]:
    """Values of this kind in Coventry and Birmingham, some of them the project's own.

    A baseline is one per area and collaboration, so every one here has its own area
    except where its collaboration tells them apart."""
    wards = [factories.area(client, code=factories.gss(), kind="ward") for _ in range(2)]
    v = factories.metric_value
    m = metric["id"]
    return {
        "cov": v(client, kind, m, COVENTRY, value="10", date="2020-01-01"),
        "cov_project": v(
            client, kind, m, COVENTRY, value="12", date="2021-01-01", collaboration_id=project["id"]
        ),
        "brum": v(client, kind, m, BIRMINGHAM, value="11", date="2021-06-30"),
        "ward": v(client, kind, m, wards[0]["code"], value="9", date="2021-12-31"),
        "ward_project": v(
            client, kind, m, wards[1]["id"], value="8", date="2022-01-01", collaboration_id=project["id"]
        ),
    }


def _ids(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [v["id"] for v in response.json()["items"]]


def test_filter_by_area_code_or_id(client, places, metric, kind, series):
    url = _url(metric, kind)
    by_code = _ids(client.get(url, params={"area": COVENTRY}))
    assert by_code == [series["cov"]["id"], series["cov_project"]["id"]]
    assert _ids(client.get(url, params={"area": places["coventry"]["id"]})) == by_code
    assert _ids(client.get(url, params={"area": BIRMINGHAM})) == [series["brum"]["id"]]
    problem(client.get(url, params={"area": "E99999999"}), 404)


def test_filter_by_collaboration(client, metric, kind, series, project):
    url = _url(metric, kind)
    own = [series["cov_project"]["id"], series["ward_project"]["id"]]
    assert _ids(client.get(url, params={"collaboration": project["id"]})) == own
    assert _ids(client.get(url, params={"collaboration": project["id"], "area": COVENTRY})) == own[:1]
    assert _ids(client.get(url, params={"collaboration": str(uuid.uuid4())})) == []


def test_filter_by_dates_is_inclusive(client, metric, kind, series):
    url = _url(metric, kind)
    assert _values(client.get(url, params={"from": "2021-01-01"})) == ["12", "11", "9", "8"]
    assert _values(client.get(url, params={"to": "2021-06-30"})) == ["10", "12", "11"]
    window = {"from": "2021-01-01", "to": "2021-12-31"}
    assert _values(client.get(url, params=window)) == ["12", "11", "9"]
    assert _values(client.get(url, params={"from": "2021-06-30", "to": "2021-06-30"})) == ["11"]
    assert _values(client.get(url, params={"from": "2021-01-02", "to": "2021-06-29"})) == []
    assert _values(client.get(url, params={"from": "2022-01-02"})) == []
    for bad in ("20210101", "2021-02-30", "soon"):
        problem(client.get(url, params={"from": bad}), 422, "query.from")
        problem(client.get(url, params={"to": bad}), 422, "query.to")


def test_sort_by_date_and_value(client, metric, kind, series):
    url = _url(metric, kind)
    assert _values(client.get(url)) == ["10", "12", "11", "9", "8"]
    assert _values(client.get(url, params={"sort": "date"})) == ["10", "12", "11", "9", "8"]
    assert _values(client.get(url, params={"sort": "-date"})) == ["8", "9", "11", "12", "10"]
    assert _values(client.get(url, params={"sort": "value"})) == ["8", "9", "10", "11", "12"]
    assert _values(client.get(url, params={"sort": "-value"})) == ["12", "11", "10", "9", "8"]
    problem(client.get(url, params={"sort": "area_id"}), 422, "query.sort")


def _many(client: TestClient, metric: dict, kind: str) -> list[dict]:
    """Eight values, each in its own area, two pairs sharing a date, in no order."""
    rows = [
        ("2021-03-01", "7.5"),
        ("2020-01-01", "100"),
        ("2022-06-30", "-3"),
        ("2021-03-01", "0.25"),
        ("2019-12-31", "42"),
        ("2023-01-01", "9.999999"),
        ("2020-01-01", "10"),
        ("2024-02-29", "1000000"),
    ]
    return [
        factories.metric_value(client, kind, metric["id"], value=value, date=date) for date, value in rows
    ]


def test_pagination_walks_every_value_once_in_order(client, metric, kind):
    made = _many(client, metric, kind)
    factories.metric_value(client, kind)  # another metric's: never listed
    url = _url(metric, kind)
    dates = sorted(v["date"] for v in made)
    numbers = [str(n) for n in sorted(Decimal(v["value"]) for v in made)]
    checks.check_pagination(client, url, "date", dates)
    checks.check_pagination(client, url, "value", numbers, default_sort=False)
    checks.check_pagination_errors(client, url, "date")


def test_pagination_with_filters(client, metric, kind, project):
    url = _url(metric, kind)
    dates = ["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01", "2020-05-01"]
    for date in reversed(dates):
        factories.metric_value(client, kind, metric["id"], collaboration_id=project["id"], date=date)
        factories.metric_value(client, kind, metric["id"], date=date)  # no collaboration
    params = {"collaboration": project["id"], "from": "2020-01-01", "to": "2020-05-01"}
    checks.check_pagination(client, url, "date", dates, params)


def test_a_forged_value_cursor_is_422(client, metric, kind):
    _many(client, metric, kind)
    url = _url(metric, kind)
    for forged in ("x", "", None, [1], {"v": 1}):
        token = checks.cursor({"s": "value", "v": [forged, str(uuid.uuid4())]})
        problem(client.get(url, params={"sort": "value", "cursor": token}), 422, "query.cursor")


@pytest.mark.parametrize("forged", ["NaN", "Infinity", "-Infinity", "1e30", True, 1.5])
def test_a_value_cursor_the_api_never_issues_is_422(client, metric, kind, forged):
    _many(client, metric, kind)
    token = checks.cursor({"s": "value", "v": [forged, str(uuid.uuid4())]})
    response = client.get(_url(metric, kind), params={"sort": "value", "cursor": token})
    problem(response, 422, "query.cursor")


def test_value_digits_must_be_ascii(client, places, metric, kind):
    response = client.post(_url(metric, kind), json={**BODY, "value": "\u0661\u0665"})
    problem(response, 422, "body.value")


# --- Idempotency-Key -------------------------------------------------------------------


def test_idempotency_key_replays_the_first_answer(client, places, metric, kind):
    url = _url(metric, kind)

    def count() -> int:
        return len(client.get(url).json()["items"])

    checks.check_idempotent_post(client, url, BODY, {**BODY, "value": "16"}, count)


# --- breakdowns and flags ------------------------------------------------------------------


def test_breakdowns_of_one_scope_are_values_of_their_own(client, places, metric, kind):
    url = _url(metric, kind)
    total = checks.created(client, client.post(url, json=BODY))
    older = {**BODY, "value": "30", "breakdown": {"age": "65+"}}
    aged = checks.created(client, client.post(url, json=older))
    both = {**BODY, "value": "31", "breakdown": {"sex": "female", "age": "65+"}}
    checks.created(client, client.post(url, json=both))
    assert total["breakdown"] == {} and aged["breakdown"] == {"age": "65+"}
    # The same breakdown, its parts in another order, is the same value: a conflict.
    again = {**BODY, "breakdown": {"age": "65+", "sex": "female"}}
    problem(client.post(url, json=again), 409)
    assert sorted(_values(client.get(url))) == ["15", "30", "31"]
    assert _values(client.get(url, params={"breakdown": "total"})) == ["15"]
    assert _values(client.get(url, params={"breakdown": "age:65+"})) == ["30"]
    assert _values(client.get(url, params={"breakdown": "sex:female; age:65+"})) == ["31"]
    problem(client.get(url, params={"breakdown": "age"}), 422, "query.breakdown")


def test_a_breakdown_is_changed_like_any_field(client, places, metric, kind):
    url = _url(metric, kind)
    created = checks.created(client, client.post(url, json={**BODY, "breakdown": {"age": "16-24"}}))
    changed = checks.patch(client, f"{url}/{created['id']}", {"breakdown": {}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["breakdown"] == {}
    assert _values(client.get(url, params={"breakdown": "total"})) == ["15"]


@pytest.mark.parametrize(
    "breakdown",
    [{"Age": "65+"}, {"age group": "65+"}, {"age": ""}, {"age": "x" * 101}, {f"k{i}": "v" for i in range(9)}],
)
def test_a_malformed_breakdown_is_refused(client, places, metric, kind, breakdown):
    problem(client.post(_url(metric, kind), json={**BODY, "breakdown": breakdown}), 422)


def test_flags_are_kept_once_each(client, places, metric, kind):
    body = {**BODY, "flags": ["revised", "provisional", "revised"]}
    created = checks.created(client, client.post(_url(metric, kind), json=body))
    assert created["flags"] == ["provisional", "revised"]
    problem(client.post(_url(metric, kind), json={**BODY, "date": "2022-01-01", "flags": ["dubious"]}), 422)


def test_progress_reads_totals_not_breakdowns(client, places, metric):
    """A breakdown's figure (say, over-65s only) never stands in for the area's total."""
    base, target = _url(metric, "baselines"), _url(metric, "targets")
    checks.created(client, client.post(base, json={**BODY, "value": "10", "date": "2020-01-01"}))
    checks.created(client, client.post(target, json={**BODY, "value": "20", "date": "2030-01-01"}))
    obs = _url(metric, "observations")
    aged = {**BODY, "value": "20", "date": "2024-01-01", "breakdown": {"age": "65+"}}
    checks.created(client, client.post(obs, json=aged))
    scopes = client.get(f"{URL}/{metric['id']}/progress").json()["items"]
    assert [s["latest"] for s in scopes] == [None]


def test_progress_judges_a_breakdown_against_its_own_baseline_and_target(client, places, metric):
    base, target, obs = (_url(metric, k) for k in KINDS)
    aged = {"breakdown": {"age": "65+"}}
    for url, value, date in ((base, "10", "2020-01-01"), (target, "20", "2030-01-01")):
        checks.created(client, client.post(url, json={**BODY, "value": value, "date": date}))
        checks.created(client, client.post(url, json={**BODY, **aged, "value": value, "date": date}))
    checks.created(client, client.post(obs, json={**BODY, "value": "11", "date": "2024-01-01"}))
    checks.created(client, client.post(obs, json={**BODY, **aged, "value": "19", "date": "2024-01-01"}))
    progress = f"{URL}/{metric['id']}/progress"
    total = client.get(progress, params={"as_of": "2024-06-01"}).json()
    older = client.get(progress, params={"as_of": "2024-06-01", "breakdown": "Age:65+"}).json()
    assert (total["breakdown"], older["breakdown"]) == ({}, {"age": "65+"})
    assert [s["latest"]["value"] for s in total["items"]] == ["11"]
    assert [s["latest"]["value"] for s in older["items"]] == ["19"]
    assert older["items"][0]["progress"] > total["items"][0]["progress"]
    nobody = client.get(progress, params={"breakdown": "age:16-24"}).json()
    assert nobody["items"] == [] and nobody["breakdown"] == {"age": "16-24"}
    problem(client.get(progress, params={"breakdown": "age"}), 422, "query.breakdown")


def test_a_metrics_breakdowns_are_listed_with_counts(client, places, metric):
    obs = _url(metric, "observations")
    checks.created(client, client.post(obs, json=BODY))
    for date in ("2021-01-01", "2022-01-01"):
        body = {**BODY, "date": date, "breakdown": {"sex": "Female", "age": "65+"}}
        checks.created(client, client.post(obs, json=body))
    young = {**BODY, "breakdown": {"age": "16-24"}}
    checks.created(client, client.post(_url(metric, "baselines"), json=young))
    listed = client.get(f"{URL}/{metric['id']}/breakdowns")
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [(i["breakdown"], i["baselines"], i["observations"]) for i in items] == [
        ({"age": "16-24"}, 1, 0),
        ({"age": "65+", "sex": "Female"}, 0, 2),
    ]
    # Each item's `query` names it again, exactly.
    for item in items:
        again = client.get(obs, params={"breakdown": item["query"]}).json()["items"]
        assert len(again) == item["observations"]
    problem(client.get(f"{URL}/nope/breakdowns"), 404)


def test_progress_names_each_values_flags_and_note(client, places, metric):
    base, target, obs = (_url(metric, k) for k in KINDS)
    checks.created(client, client.post(base, json={**BODY, "value": "10", "date": "2020-01-01"}))
    checks.created(client, client.post(target, json={**BODY, "value": "20", "date": "2030-01-01"}))
    flagged = {**BODY, "value": "12", "date": "2024-01-01", "flags": ["estimated"], "note": "Modelled"}
    flagged["source"] = "ONS"
    checks.created(client, client.post(obs, json=flagged))
    [scope] = client.get(f"{URL}/{metric['id']}/progress").json()["items"]
    latest = scope["latest"]
    assert (latest["flags"], latest["note"], latest["source"]) == (["estimated"], "Modelled", "ONS")
    baseline = scope["baseline"]
    assert (baseline["flags"], baseline["note"], baseline["source"]) == ([], None, None)


def test_a_target_on_the_wrong_side_of_its_baseline_is_refused(client, places, metric):
    """Higher is better: baseline 10, target 5 would call a fall to 8 progress."""
    base, target = _url(metric, "baselines"), _url(metric, "targets")
    checks.created(client, client.post(base, json={**BODY, "value": "10", "date": "2020-01-01"}))
    refused = problem(
        client.post(target, json={**BODY, "value": "5", "date": "2030-01-01"}), 422, "body.value"
    )
    assert "baseline is 10 and the target 5" in refused["errors"][0]["message"]
    level = checks.created(client, client.post(target, json={**BODY, "value": "10", "date": "2030-01-01"}))
    problem(client.patch(f"{target}/{level['id']}", json={"value": "9.99"}, headers={"If-Match": '"1"'}), 422)
    # Elsewhere (another area, another breakdown) the baseline says nothing.
    other = {**BODY, "area_id": BIRMINGHAM, "value": "5", "date": "2030-01-01"}
    checks.created(client, client.post(target, json=other))
    aged = {**BODY, "breakdown": {"age": "65+"}, "value": "5", "date": "2030-01-01"}
    checks.created(client, client.post(target, json=aged))
    # A baseline moved above its target is refused the same way.
    [baseline] = client.get(base, params={"breakdown": "total", "area": COVENTRY}).json()["items"]
    moved = client.patch(f"{base}/{baseline['id']}", json={"value": "12"}, headers={"If-Match": '"1"'})
    problem(moved, 422, "body.value")


def test_lower_is_better_targets_lie_below_their_baseline(client, places):
    metric = factories.metric(client, direction="lower_is_better")
    base, target = _url(metric, "baselines"), _url(metric, "targets")
    checks.created(client, client.post(target, json={**BODY, "value": "30", "date": "2030-01-01"}))
    problem(client.post(base, json={**BODY, "value": "20", "date": "2020-01-01"}), 422, "body.value")
    checks.created(client, client.post(base, json={**BODY, "value": "40", "date": "2020-01-01"}))
