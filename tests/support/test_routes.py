"""Support schemes, matching an organisation to them, and referrals."""

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from tests import checks, factories
from tests.checks import problem

API = "/api/v1"
SCHEMES = f"{API}/support-schemes"
REFERRALS = f"{API}/referrals"


def _region(client: TestClient) -> dict[str, Any]:
    region = factories.area(client, name="West Midlands", kind="region")
    coventry = factories.area(client, name="Coventry", parent_ids=[region["id"]])
    elsewhere = factories.area(client, name="Elsewhere", kind="region")
    firm = factories.stakeholder(
        client, kind="business", size="small", sectors=["digital"], area_ids=[coventry["id"]]
    )
    return {"region": region, "coventry": coventry, "elsewhere": elsewhere, "firm": firm}


def scheme(client: TestClient, **fields: Any) -> dict[str, Any]:
    return factories.post(
        client, "/support-schemes", {"name": factories.unique("Scheme "), "offer": "Help.", **fields}
    )


def test_a_scheme_round_trips(client: TestClient) -> None:
    world = _region(client)
    body = {
        "name": "Focus Digital",
        "offer": "Funded digital support for SMEs.",
        "url": "https://example.org/focus",
        "area_ids": [world["region"]["id"]],
        "eligible_kinds": ["business", "business"],
        "eligible_sizes": ["small", "micro"],
        "eligible_sectors": [" Digital "],
    }
    made = checks.created(client, client.post(SCHEMES, json=body))
    assert (made["eligible_kinds"], made["eligible_sizes"], made["eligible_sectors"]) == (
        ["business"],
        ["micro", "small"],
        ["digital"],
    )
    problem(client.post(SCHEMES, json=body), 409)
    problem(
        client.post(SCHEMES, json={**body, "name": "x", "eligible_sizes": ["huge"]}),
        422,
        "body.eligible_sizes.0",
    )
    problem(client.post(SCHEMES, json={**body, "name": "y", "provider_id": "nope"}), 422, "body.provider_id")


def test_matching_ranks_eligible_schemes_with_reasons(client: TestClient) -> None:
    world = _region(client)
    regional = scheme(client, name="Regional", area_ids=[world["region"]["id"]])
    digital = scheme(client, name="Digital", area_ids=[world["region"]["id"]], eligible_sectors=["digital"])
    scheme(client, name="Elsewhere", area_ids=[world["elsewhere"]["id"]])
    scheme(client, name="Large firms", eligible_sizes=["large"])
    scheme(client, name="Closed", status="closed")
    anyone = scheme(client, name="Anyone")
    url = f"{SCHEMES}/match"
    found = client.get(url, params={"stakeholder": world["firm"]["id"]}).json()
    assert [m["id"] for m in found["items"]] == [digital["id"], regional["id"], anyone["id"]]
    assert found["items"][0]["reasons"] == [
        "Based in or serving an area the scheme covers.",
        "Works in digital.",
    ]
    everything = client.get(
        url, params={"stakeholder": world["firm"]["id"], "include_ineligible": True}
    ).json()
    assert len(everything["items"]) == 6
    missed = {m["name"]: m["unmet"] for m in everything["items"] if not m["eligible"]}
    assert missed["Closed"] == ["The scheme is closed."]
    paged = client.get(url, params={"stakeholder": world["firm"]["id"], "limit": 2}).json()
    assert len(paged["items"]) == 2 and paged["next_cursor"] == "2"
    problem(client.get(url, params={"stakeholder": "nope"}), 404)
    problem(client.get(url), 422, "query.stakeholder")


def test_referrals_are_seen_only_by_those_they_concern(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    world = _region(client)
    provider = factories.stakeholder(client, name="Provider")
    offer = scheme(client, provider_id=provider["id"])
    firm = world["firm"]
    partner_firm = client_as("partner", firm["id"])
    made = partner_firm.post(REFERRALS, json={"stakeholder_id": firm["id"], "scheme_id": offer["id"]})
    referral = checks.created(partner_firm, made)
    assert referral["status"] == "referred" and referral["referred_on"]
    url = f"{REFERRALS}/{referral['id']}"
    # The provider follows it up; a stranger sees nothing of it.
    as_provider = client_as("partner", provider["id"])
    done = checks.patch(as_provider, url, {"status": "supported", "outcome": "Data strategy written."})
    assert done.status_code == 200 and done.json()["status"] == "supported"
    stranger = client_as("partner", factories.stakeholder(client)["id"])
    problem(stranger.get(url), 404)
    assert stranger.get(REFERRALS).json()["items"] == []
    problem(stranger.post(REFERRALS, json={"stakeholder_id": firm["id"], "scheme_id": offer["id"]}), 403)
    problem(anon.get(REFERRALS), 401)
    problem(anon.get(url), 401)
    assert [r["id"] for r in client_as("reader").get(REFERRALS).json()["items"]] == [referral["id"]]
    problem(checks.delete(client, f"{SCHEMES}/{offer['id']}"), 409)


def test_matches_kept_for_the_signed_in_are_not_given_to_the_public(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    """A draft collaboration is not public, nor the mission it would bring the organisation."""
    world = _region(client)
    mission = factories.mission(client)
    outcome = factories.outcome(client, mission["id"])
    for_mission = scheme(client, name="For the mission", mission_ids=[mission["id"]])
    proposal = client_as("partner", world["firm"]["id"]).post(
        f"{API}/collaborations", json={"title": "Draft", "kind": "project", "outcome_ids": [outcome["id"]]}
    )
    assert proposal.status_code == 201  # the partner leads what it proposes
    url, params = f"{SCHEMES}/match", {"stakeholder": world["firm"]["id"]}
    signed_in = client_as("reader").get(url, params=params).json()["items"]  # first, with the draft
    public = anon.get(url, params=params).json()["items"]
    assert [m["score"] for m in signed_in if m["id"] == for_mission["id"]] == [1]
    assert [m["score"] for m in public if m["id"] == for_mission["id"]] == [0]
    # A write shows at once: the scheme closes.
    checks.patch(client, f"{SCHEMES}/{for_mission['id']}", {"status": "closed"})
    assert for_mission["id"] not in {m["id"] for m in anon.get(url, params=params).json()["items"]}


def test_a_size_rule_for_an_organisation_of_unknown_size_is_unknown_not_ineligible(
    client: TestClient,
) -> None:
    world = _region(client)
    sme = scheme(client, name="SMEs", area_ids=[world["region"]["id"]], eligible_sizes=["small", "medium"])
    universities = scheme(client, name="Universities", eligible_kinds=["university"])
    no_size = factories.stakeholder(
        client, kind="business", sectors=["digital"], area_ids=[world["coventry"]["id"]]
    )
    url, params = f"{SCHEMES}/match", {"stakeholder": no_size["id"]}
    [found] = client.get(url, params=params).json()["items"]  # the unknown one is listed, not dropped
    assert (found["id"], found["eligible"], found["eligibility"], found["unmet"]) == (
        sme["id"],
        False,
        "unknown",
        [],
    )
    assert found["unknown"] == [
        "Size not recorded: add it to check (the scheme is for medium, small organisations)."
    ]
    assert found["reasons"] == ["Based in or serving an area the scheme covers."]
    everything = client.get(url, params={**params, "include_ineligible": True}).json()["items"]
    assert [(m["id"], m["eligibility"]) for m in everything] == [
        (sme["id"], "unknown"),
        (universities["id"], "ineligible"),
    ]
    # Recording the size settles it.
    assert checks.patch(client, f"{API}/stakeholders/{no_size['id']}", {"size": "small"}).status_code == 200
    [found] = client.get(url, params=params).json()["items"]
    assert (found["eligibility"], found["eligible"], found["unknown"], found["score"]) == (
        "eligible",
        True,
        [],
        3,
    )
    made_large = checks.patch(client, f"{API}/stakeholders/{no_size['id']}", {"size": "large"}, '"2"')
    assert made_large.status_code == 200
    assert client.get(url, params=params).json()["items"] == []
