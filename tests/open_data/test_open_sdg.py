"""Open SDG: a metric's values as tidy CSV, imported elsewhere with nothing lost; its metadata."""

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.seed.schemas import SeedFile
from tests import factories
from tests.open_data.conftest import API, OPEN, Elsewhere, codes, every

METRIC = "non-internet-users"  # percent, lower is better; the seed gives it one baseline
PROBLEM = "application/problem+json"


def _metric(client: TestClient, code: str = METRIC) -> dict[str, Any]:
    [found] = [m for m in every(client, "/metrics") if m["code"] == code]
    return found


def _values(client: TestClient, kind: str, code: str = METRIC) -> list[tuple[Any, ...]]:
    """A metric's area-wide values as a file can carry them: by area code, not id."""
    areas = codes(client, "/areas")
    found = every(client, f"/metrics/{_metric(client, code)['id']}/{kind}")
    return sorted(
        (
            areas[v["area_id"]],
            v["date"],
            tuple(sorted(v["breakdown"].items())),
            v["value"],
            v.get("qualifier"),
            tuple(v["flags"]),
            v["note"],
            v["source"],
        )
        for v in found
        if v["collaboration_id"] is None
    )


def _add(client: TestClient, kind: str, **value: Any) -> None:
    factories.post(client, f"/metrics/{_metric(client)['id']}/{kind}", value)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _measured(client: TestClient) -> dict[str, Any]:
    """Values of every shape: years and days, breakdowns (a series too), bounds, flags, notes."""
    areas = codes(client, "/areas")
    by_code = {code: id_ for id_, code in areas.items()}
    region, sandwell = by_code["E12000005"], by_code["E08000028"]
    source = {"source": "Ofcom, Connected Nations"}
    _add(client, "observations", area_id=region, value="19", date="2022-01-01", **source)
    _add(client, "observations", area_id=region, value="18.25", date="2023-04-01", flags=["provisional"])
    _add(client, "observations", area_id=region, value="41", date="2023-04-01", breakdown={"age": "65+"})
    _add(
        client,
        "observations",
        area_id=sandwell,
        value="15",
        qualifier="lt",
        date="2023-04-01",
        breakdown={"age_band": "16-64", "series": "adults"},
        flags=["estimated", "revised"],
        note='Suppressed below 15, "rounded"\nsecond line',
    )
    _add(client, "observations", area_id=sandwell, value="20", qualifier="approx", date="2024-01-01")
    _add(client, "observations", area_id=sandwell, value="-0.5", qualifier="gt", date="2025-01-01")
    draft = factories.collaboration(client, publication="draft")
    project = factories.collaboration(client)
    for on, value in ((draft["id"], "99.5"), (project["id"], "88.5")):  # a project's own: not a statistic
        _add(client, "observations", area_id=region, collaboration_id=on, value=value, date="2023-01-01")
    _add(client, "baselines", area_id=sandwell, value="25", date="2021-03-31", breakdown={"age": "65+"})
    _add(client, "targets", area_id=region, value="10", date="2026-03-31", note="Halve it")
    _add(client, "targets", area_id=region, value="30", date="2026-03-31", breakdown={"age": "65+"})
    return {"region": region, "sandwell": sandwell}


@pytest.mark.usefixtures("small_pages")
def test_values_import_elsewhere_as_they_were(
    client: TestClient,
    anon: TestClient,
    roadmap: SeedFile,
    elsewhere: Callable[[SeedFile], Elsewhere],
) -> None:
    _measured(client)
    there = elsewhere(roadmap)
    for kind in ("observations", "baselines", "targets"):
        answer = anon.get(f"{OPEN}/open-sdg/{METRIC}/data.csv", params={"kind": kind})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/csv")
        assert answer.headers["content-disposition"].startswith(f'attachment; filename="{METRIC}-{kind}-')
        there.load(kind, answer.content, format="tidy", metric=METRIC, filename="data.csv")
        assert _values(there.client, kind) == _values(client, kind), kind
        again = there.load(kind, answer.content, format="tidy", metric=METRIC)
        assert again.counts["unchanged"] == again.counts["rows"] > 0, kind
    assert "99.5" not in anon.get(f"{OPEN}/open-sdg/{METRIC}/data.csv").text  # never a draft's


def test_the_layout_is_open_sdg_s(client: TestClient, anon: TestClient, roadmap: SeedFile) -> None:
    _measured(client)
    text = anon.get(f"{OPEN}/open-sdg/{METRIC}/data.csv").text
    assert text.splitlines()[0] == "Year,Series,Units,Age,Age band,GeoCode,Value,Flags,Note,Source"
    rows = _rows(text)
    assert [r["Year"] for r in rows] == ["2022", *["2023-04-01"] * 3, "2024", "2025"]  # by date
    assert sorted((r["Year"], r["Series"], r["Age"], r["GeoCode"], r["Value"]) for r in rows) == [
        ("2022", "", "", "E12000005", "19"),
        ("2023-04-01", "", "", "E12000005", "18.25"),
        ("2023-04-01", "", "65+", "E12000005", "41"),
        ("2023-04-01", "adults", "", "E08000028", "<15"),
        ("2024", "", "", "E08000028", "c. 20"),
        ("2025", "", "", "E08000028", ">-0.5"),
    ]
    [bounded] = [r for r in rows if r["Value"] == "<15"]
    assert (bounded["Age band"], bounded["Flags"], bounded["Units"]) == (
        "16-64",
        "estimated;revised",
        "percent",
    )
    core = anon.get(f"{OPEN}/open-sdg/{_metric(client)['id']}/data.csv", params={"columns": "core"}).text
    assert core.splitlines()[0] == "Year,Series,Units,Age,Age band,GeoCode,Value"
    assert sorted(r["Value"] for r in _rows(core)) == sorted(["19", "18.25", "41", "15", "20", "-0.5"])


def test_a_metric_without_values_is_a_file_of_headings(client: TestClient, anon: TestClient) -> None:
    metric = factories.metric(client)
    answer = anon.get(f"{OPEN}/open-sdg/{metric['code']}/data.csv")
    assert answer.status_code == 200
    assert answer.text == "Year,Units,GeoCode,Value,Flags,Note,Source\r\n"
    core = anon.get(f"{OPEN}/open-sdg/{metric['id']}/data.csv", params={"columns": "core", "kind": "targets"})
    assert core.text == "Year,Units,GeoCode,Value\r\n"


def test_unknown_metrics_and_unwritable_breakdowns_are_problems(client: TestClient, anon: TestClient) -> None:
    for path in ("data.csv", "meta.json"):
        missing = anon.get(f"{OPEN}/open-sdg/no-such-metric/{path}")
        assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
        assert "no-such-metric" in missing.json()["detail"]
    metric = factories.metric(client)
    area = factories.area(client, code=factories.gss())
    value = {"area_id": area["id"], "value": "1", "date": "2024-01-01", "breakdown": {"source": "survey"}}
    factories.post(client, f"/metrics/{metric['id']}/observations", value)
    clash = anon.get(f"{OPEN}/open-sdg/{metric['code']}/data.csv")
    assert clash.status_code == 409 and clash.headers["content-type"] == PROBLEM
    assert "source" in clash.json()["detail"]
    wrong = anon.get(f"{OPEN}/open-sdg/{metric['code']}/data.csv", params={"kind": "forecasts"})
    assert wrong.status_code == 422 and wrong.headers["content-type"] == PROBLEM


def test_metadata_under_open_sdg_s_names(client: TestClient, anon: TestClient, roadmap: SeedFile) -> None:
    metric = _metric(client)
    meta = anon.get(f"{OPEN}/open-sdg/{METRIC}/meta.json")
    assert meta.status_code == 200
    assert meta.json() == {
        "indicator_number": METRIC,
        "indicator_name": metric["name"],
        "graph_title": metric["name"],
        "graph_type": "line",
        "data_non_statistical": False,
        "reporting_status": "notstarted",  # the seed has baselines, no observations
        "computation_units": "percent",
        "computation_calculations": metric["method"],
        "national_indicator_periodicity": "annual",
        "source_active_1": True,
        "source_organisation_1": metric["source"],
        "source_periodicity_1": "annual",
        "source_release_date_1": None,
        "source_next_release_1": None,
    }
    _measured(client)
    assert anon.get(f"{OPEN}/open-sdg/{metric['id']}/meta.json").json()["reporting_status"] == "complete"
    assert anon.get(f"{API}/metrics/{metric['id']}").status_code == 200
