"""Comparing a metric across regions and local authorities."""

from fastapi.testclient import TestClient

from tests import factories
from tests.checks import problem

API = "/api/v1"


def test_regions_ranked_against_the_uk(client: TestClient) -> None:
    uk = factories.area(client, name="UK", kind="uk")
    regions = {
        name: factories.area(client, name=name, kind="region", parent_ids=[uk["id"]])
        for name in ("WM", "NE", "LDN")
    }
    metric = factories.metric(client)
    for name, value, day in (
        ("WM", "15", "2021-03-01"),
        ("NE", "30", "2021-06-01"),
        ("LDN", "25", "2021-01-01"),
    ):
        factories.observation(client, metric["id"], regions[name]["id"], value=value, date=day)
    factories.observation(
        client, metric["id"], regions["WM"]["id"], value="18", date="2021-09-01"
    )  # later wins
    factories.observation(
        client, metric["id"], regions["WM"]["id"], value="40", date="2022-01-01"
    )  # other year
    factories.observation(client, metric["id"], uk["id"], value="24", date="2021-12-31")
    body = client.get(f"{API}/metrics/{metric['id']}/comparison", params={"period": 2021}).json()
    assert [(i["area_name"], i["value"], i["rank"]) for i in body["items"]] == [
        ("NE", "30", 1),
        ("LDN", "25", 2),
        ("WM", "18", 3),
    ]
    assert (body["national"]["value"], body["national"]["qualifier"]) == ("24", "eq")
    wm = body["items"][2]
    assert (wm["gap_to_national"], wm["gap_to_average"]) == ("-6", "-6.333333")
    assert body["best_area_id"] == regions["NE"]["id"]
    # By default the year most areas report: 2021 (three, and the UK), not 2022 (WM alone).
    default = client.get(f"{API}/metrics/{metric['id']}/comparison").json()
    assert default["period"] == 2021 and len(default["items"]) == 3 and not default["sparse"]
    assert default["years"] == [
        {"year": 2021, "areas": 3, "national": True, "sparse": False},
        {"year": 2022, "areas": 1, "national": False, "sparse": True},  # 1 of 3: under half
    ]
    assert default["group_size"] == 3
    lone = client.get(f"{API}/metrics/{metric['id']}/comparison", params={"period": 2022}).json()
    assert lone["sparse"] and [i["area_name"] for i in lone["items"]] == ["WM"]


def test_one_breakdown_compared_on_its_own(client: TestClient) -> None:
    """Over-65s against over-65s: a breakdown's figures never mix with the totals'."""
    uk = factories.area(client, name="UK", kind="uk")
    wm, ne = (factories.area(client, name=n, kind="region", parent_ids=[uk["id"]]) for n in ("WM", "NE"))
    metric = factories.metric(client)
    older = {"breakdown": {"age": "65+"}}
    for area, total, aged in ((wm, "15", "40"), (ne, "30", "35"), (uk, "20", "38")):
        factories.observation(client, metric["id"], area["id"], value=total, date="2021-03-01")
        factories.observation(client, metric["id"], area["id"], value=aged, date="2021-03-01", **older)
    # A breakdown's later year does not move the totals' default year.
    factories.observation(client, metric["id"], wm["id"], value="41", date="2022-03-01", **older)
    url = f"{API}/metrics/{metric['id']}/comparison"
    totals = client.get(url).json()
    assert [(i["area_name"], i["value"]) for i in totals["items"]] == [("NE", "30"), ("WM", "15")]
    assert (totals["period"], totals["national"]["value"], totals["breakdown"]) == (2021, "20", {})
    aged = client.get(url, params={"breakdown": "age:65+", "period": 2021}).json()
    assert [(i["area_name"], i["value"]) for i in aged["items"]] == [("WM", "40"), ("NE", "35")]
    assert (aged["national"]["value"], aged["breakdown"]) == ("38", {"age": "65+"})
    problem(client.get(url, params={"breakdown": ";;:x"}), 422, "query.breakdown")


def test_local_authorities_within_one_region(client: TestClient) -> None:
    region, other = factories.area(client, kind="region"), factories.area(client, kind="region")
    inside = [factories.area(client, name=n, parent_ids=[region["id"]]) for n in ("Coventry", "Walsall")]
    outside = factories.area(client, name="Leeds", parent_ids=[other["id"]])
    metric = factories.metric(client, direction="lower_is_better")
    for area, value, qualifier in ((inside[0], "8", "approx"), (inside[1], "5", "lt"), (outside, "1", "eq")):
        factories.baseline(
            client, metric["id"], area["id"], value=value, date="2020-01-01", qualifier=qualifier
        )
    params = {"level": "local_authority", "within": region["id"]}
    body = client.get(f"{API}/metrics/{metric['id']}/comparison", params=params).json()
    assert [(i["area_name"], i["rank"], i["best"], i["qualifier"]) for i in body["items"]] == [
        ("Walsall", 1, True, "lt"),  # "under 5", as the source put it
        ("Coventry", 2, False, "approx"),
    ]
    assert body["national"] is None and body["items"][0]["gap_to_national"] is None


def test_nothing_to_compare_and_bad_input(client: TestClient) -> None:
    metric = factories.metric(client)
    body = client.get(f"{API}/metrics/{metric['id']}/comparison").json()
    assert body["items"] == [] and body["period"] is None
    problem(client.get(f"{API}/metrics/{metric['id']}/comparison", params={"level": "galaxy"}), 422)
    problem(client.get(f"{API}/metrics/{metric['id']}/comparison", params={"within": "E99999999"}), 404)
    problem(client.get(f"{API}/metrics/nope/comparison"), 404)


def test_each_figure_carries_its_flags_and_note(client: TestClient) -> None:
    uk = factories.area(client, name="UK", kind="uk")
    wm = factories.area(client, name="WM", kind="region", parent_ids=[uk["id"]])
    metric = factories.metric(client)
    flagged = {"flags": ["provisional"], "note": "Survey open"}
    mine = factories.observation(client, metric["id"], wm["id"], value="15", date="2021-03-01", **flagged)
    national = factories.observation(client, metric["id"], uk["id"], value="20", date="2021-03-01")
    body = client.get(f"{API}/metrics/{metric['id']}/comparison").json()
    [item] = body["items"]
    assert (item["value_id"], item["flags"], item["note"]) == (mine["id"], ["provisional"], "Survey open")
    assert (body["national"]["value_id"], body["national"]["flags"]) == (national["id"], [])
