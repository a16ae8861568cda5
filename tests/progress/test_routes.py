"""Progress endpoints on data whose answers are worked out by hand."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests import factories
from tests.checks import problem

API = "/api/v1"


def _scenario(client: TestClient) -> dict[str, Any]:
    """Mission → outcome → two metrics; Coventry half-way at half-time, Walsall going backwards."""
    mission = factories.mission(client)
    outcome = factories.outcome(client, mission["id"])
    fibre = factories.metric(client, outcome_ids=[outcome["id"]], name="Full fibre")
    offline = factories.metric(client, outcome_ids=[outcome["id"]], direction="lower_is_better")
    coventry, walsall = factories.area(client, name="Coventry"), factories.area(client, name="Walsall")
    for area, latest in ((coventry, "30"), (walsall, "5")):
        factories.baseline(client, fibre["id"], area["id"], value="10", date="2020-01-01")
        factories.target(client, fibre["id"], area["id"], value="50", date="2030-01-01")
        factories.observation(client, fibre["id"], area["id"], value=latest, date="2025-01-01")
    factories.baseline(client, offline["id"], coventry["id"], value="12", date="2020-01-01")
    return {"mission": mission, "outcome": outcome, "fibre": fibre, "offline": offline, "coventry": coventry}


def test_a_metrics_progress_per_area(client: TestClient) -> None:
    s = _scenario(client)
    body = client.get(f"{API}/metrics/{s['fibre']['id']}/progress", params={"as_of": "2025-01-01"}).json()
    assert body["as_of"] == "2025-01-01" and "Open SDG" in body["method"]
    assert body["progress_method"] == "pace"
    by_area = {item["area_name"]: item for item in body["items"]}
    coventry = by_area["Coventry"]
    assert coventry["progress"] == 0.5
    assert coventry["status"] == "on_track"
    assert (coventry["baseline"]["value"], coventry["target"]["value"], coventry["latest"]["value"]) == (
        "10",
        "50",
        "30",
    )
    assert coventry["observation_ids"] == [coventry["latest"]["id"]]
    assert (coventry["stale"], coventry["bounded"], coventry["progress_range"]) == (False, False, None)
    walsall = by_area["Walsall"]
    assert (walsall["progress"], walsall["status"]) == (-0.125, "off_track")
    # The median of {on_track, off_track} is the worse one; progress is the clamped mean.
    assert body["summary"] == {
        "status": "off_track",
        "progress": 0.25,
        "counts": {
            "achieved": 0,
            "on_track": 1,
            "at_risk": 0,
            "off_track": 1,
            "uncertain": 0,
            "no_observation": 0,
            "no_target": 0,
            "no_baseline": 0,
        },
        "stale": 0,
        "bounded": 0,
    }
    # Five months on with nothing new: 0.5 of the way, 1,978 of 3,653 days gone (ratio 0.92).
    later = client.get(f"{API}/metrics/{s['fibre']['id']}/progress", params={"as_of": "2025-06-01"}).json()
    assert {i["area_name"]: i["status"] for i in later["items"]}["Coventry"] == "at_risk"


def test_data_older_than_the_metrics_frequency_is_stale(client: TestClient) -> None:
    s = _scenario(client)
    body = client.get(f"{API}/metrics/{s['fibre']['id']}/progress", params={"as_of": "2026-06-01"}).json()
    assert all(item["stale"] for item in body["items"])


def test_outcomes_and_missions_roll_up_their_metrics(client: TestClient) -> None:
    s = _scenario(client)
    outcome = client.get(
        f"{API}/outcomes/{s['outcome']['id']}/progress", params={"as_of": "2025-06-01"}
    ).json()
    parts = {p["id"]: p["summary"] for p in outcome["parts"]}
    assert parts[s["offline"]["id"]]["status"] == "no_observation"  # a baseline, nothing since
    assert parts[s["fibre"]["id"]]["status"] == "off_track"
    assert outcome["summary"]["counts"]["no_observation"] == 1
    assert "median" in outcome["method"]
    mission = client.get(
        f"{API}/missions/{s['mission']['id']}/progress", params={"as_of": "2025-06-01"}
    ).json()
    assert [p["id"] for p in mission["parts"]] == [s["outcome"]["id"]]
    assert mission["summary"] == outcome["summary"]


def test_scopes_on_a_draft_are_not_public(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    metric, area = factories.metric(client), factories.area(client)
    org = factories.stakeholder(client)
    draft = client_as("partner", org["id"]).post(
        f"{API}/collaborations", json={"title": "P", "kind": "project"}
    )
    factories.baseline(client, metric["id"], area["id"], collaboration_id=draft.json()["id"])
    url = f"{API}/metrics/{metric['id']}/progress"
    assert anon.get(url).json()["items"] == []
    assert len(client.get(url).json()["items"]) == 1


def test_unknown_records_and_bad_dates_are_problems(client: TestClient) -> None:
    problem(client.get(f"{API}/metrics/nope/progress"), 404)
    problem(client.get(f"{API}/missions/nope/progress"), 404)
    metric = factories.metric(client)
    problem(client.get(f"{API}/metrics/{metric['id']}/progress", params={"as_of": "yesterday"}), 422)
    problem(client.get(f"{API}/metrics/{metric['id']}/progress", params={"as_of": "0"}), 422, "query.as_of")
    problem(client.get(f"{API}/metrics/{metric['id']}/observations", params={"from": "0"}), 422, "query.from")


def test_a_write_shows_in_the_next_answer(client: TestClient, anon: TestClient) -> None:
    """Answers are kept per data version: a new observation changes the progress at once."""
    s = _scenario(client)
    url, as_of = f"{API}/missions/{s['mission']['id']}/progress", {"as_of": "2025-06-01"}
    before = anon.get(url, params=as_of).json()
    assert anon.get(url, params=as_of).json() == before  # kept
    factories.target(client, s["offline"]["id"], s["coventry"]["id"], value="2", date="2030-01-01")
    factories.observation(client, s["offline"]["id"], s["coventry"]["id"], value="6", date="2025-01-01")
    after = anon.get(url, params=as_of).json()
    assert before["summary"]["counts"]["no_observation"] == 1
    assert after["summary"]["counts"]["no_observation"] == 0
    metric = anon.get(f"{API}/metrics/{s['offline']['id']}/progress", params=as_of).json()
    assert metric["items"][0]["latest"]["value"] == "6"


def test_the_date_judged_on_is_part_of_the_answer_kept(client: TestClient) -> None:
    s = _scenario(client)
    url = f"{API}/metrics/{s['fibre']['id']}/progress"
    assert not any(i["stale"] for i in client.get(url, params={"as_of": "2025-06-01"}).json()["items"])
    assert all(i["stale"] for i in client.get(url, params={"as_of": "2026-06-01"}).json()["items"])


def test_an_answer_with_drafts_is_not_kept_for_the_public(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    outcome, area = factories.outcome(client), factories.area(client)
    metric = factories.metric(client, outcome_ids=[outcome["id"]])
    org = factories.stakeholder(client)
    draft = client_as("partner", org["id"]).post(
        f"{API}/collaborations", json={"title": "P", "kind": "project"}
    )
    factories.baseline(client, metric["id"], area["id"], collaboration_id=draft.json()["id"])
    reader = client_as("reader")
    for url in (f"{API}/metrics/{metric['id']}/progress", f"{API}/outcomes/{outcome['id']}/progress"):
        signed_in = reader.get(url).json()  # asked first, by someone who sees drafts
        public = anon.get(url).json()
        assert signed_in != public, url
    assert len(reader.get(f"{API}/metrics/{metric['id']}/progress").json()["items"]) == 1
    assert anon.get(f"{API}/metrics/{metric['id']}/progress").json()["items"] == []
    assert (
        anon.get(f"{API}/outcomes/{outcome['id']}/progress").json()["summary"]["counts"]["no_observation"]
        == 0
    )


def test_a_bounded_baseline_gives_a_range_and_a_status_only_where_it_agrees(client: TestClient) -> None:
    """Full fibre: `lt 15` (2021) to 60 (2030). 40 seen: 25/45 to 40/60 of the way, on track
    either way. 22 seen: 7/45 (off track) to 22/60 (on track): uncertain."""
    metric = factories.metric(client, unit="percent")
    sandwell = factories.area(client, name="Sandwell")
    factories.baseline(client, metric["id"], sandwell["id"], value="15", qualifier="lt", date="2021-01-01")
    factories.target(client, metric["id"], sandwell["id"], value="60", date="2030-01-01")
    factories.observation(client, metric["id"], sandwell["id"], value="40", date="2024-01-01")
    url = f"{API}/metrics/{metric['id']}/progress"
    [scope] = client.get(url, params={"as_of": "2024-01-01"}).json()["items"]
    assert (scope["status"], scope["bounded"]) == ("on_track", True)
    assert scope["progress_range"] == pytest.approx([25 / 45, 40 / 60])
    factories.observation(client, metric["id"], sandwell["id"], value="22", date="2024-01-02")
    body = client.get(url, params={"as_of": "2024-01-02"}).json()
    assert body["items"][0]["status"] == "uncertain"
    assert (body["summary"]["status"], body["summary"]["bounded"]) == ("uncertain", 1)


def test_a_metric_judged_by_open_sdgs_measure_says_so(client: TestClient) -> None:
    """10 (2020-01-01) to 30 (2030-01-01) needs 11.61% a year; 15 on 2025-01-01 is 8.44% a
    year: R = 0.727, progress made but it needs to speed up (at risk)."""
    metric = factories.metric(client, progress_method="open_sdg")
    area = factories.area(client)
    factories.baseline(client, metric["id"], area["id"], value="10", date="2020-01-01")
    factories.target(client, metric["id"], area["id"], value="30", date="2030-01-01")
    factories.observation(client, metric["id"], area["id"], value="15", date="2025-01-01")
    body = client.get(f"{API}/metrics/{metric['id']}/progress", params={"as_of": "2025-01-01"}).json()
    assert body["progress_method"] == "open_sdg"
    [scope] = body["items"]
    assert scope["ratio"] == pytest.approx((1.5 ** (365.25 / 1827) - 1) / (3 ** (365.25 / 3653) - 1))
    assert scope["status"] == "at_risk"
    assert client.get(f"{API}/metrics/{metric['id']}").json()["progress_method"] == "open_sdg"


def test_figures_without_a_baseline_are_shown_never_judged(client: TestClient) -> None:
    """Imported figures for an area with no baseline: listed (no_baseline) and counted."""
    s = _scenario(client)
    walsall_offline = factories.area(client, name="Walsall")
    factories.observation(client, s["offline"]["id"], walsall_offline["id"], value="9", date="2024-06-01")
    body = client.get(f"{API}/metrics/{s['offline']['id']}/progress", params={"as_of": "2025-01-01"}).json()
    measured = next(i for i in body["items"] if i["area_id"] == walsall_offline["id"])
    assert (measured["status"], measured["baseline"], measured["latest"]["value"]) == (
        "no_baseline",
        None,
        "9",
    )
    assert measured["progress"] is None and "no baseline" in measured["reason"]
    assert body["summary"]["counts"]["no_baseline"] == 1
    outcome = client.get(
        f"{API}/outcomes/{s['outcome']['id']}/progress", params={"as_of": "2025-01-01"}
    ).json()
    assert outcome["summary"]["counts"]["no_baseline"] == 1
