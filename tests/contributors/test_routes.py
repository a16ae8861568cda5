"""Who serves a mission, through what, and its funding pipeline."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session

from api.seed import loader
from tests import factories
from tests.checks import problem

API = "/api/v1"


def test_contributors_and_the_pipeline(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    mission = factories.mission(client)
    skills, fibre = factories.outcome(client, mission["id"]), factories.outcome(client, mission["id"])
    college, council = (
        factories.stakeholder(client, name="College"),
        factories.stakeholder(client, name="Council"),
    )
    funded = factories.collaboration(
        client,
        title="Skills bootcamps",
        outcome_ids=[skills["id"]],
        funding_status="funded",
        funding_amount_pence=500_000,
    )
    lighthouse = factories.collaboration(
        client,
        title="Zebra lighthouse",
        outcome_ids=[skills["id"], fibre["id"]],
        lighthouse=True,
        funding_status="seeking",
    )
    exploring = factories.collaboration(
        client, title="Exploring", outcome_ids=[fibre["id"]], funding_status="exploring"
    )
    unpriced = factories.collaboration(
        client, title="Unpriced", outcome_ids=[fibre["id"]], funding_status="funded"
    )
    factories.collaboration(client, title="Elsewhere", funding_status="funded", funding_amount_pence=9)
    factories.participant(client, funded["id"], college["id"], role="lead")
    factories.participant(client, lighthouse["id"], college["id"], role="partner")
    factories.participant(client, lighthouse["id"], council["id"], role="lead")
    proposal = client_as("partner", council["id"]).post(
        f"{API}/collaborations", json={"title": "Draft", "kind": "project", "outcome_ids": [fibre["id"]]}
    )
    assert proposal.status_code == 201

    body = anon.get(f"{API}/missions/{mission['id']}/contributors").json()
    by_outcome = {o["outcome_id"]: o for o in body["outcomes"]}
    assert [c["title"] for c in by_outcome[skills["id"]]["collaborations"]] == [
        "Zebra lighthouse",
        "Skills bootcamps",
    ]
    assert [m["name"] for m in by_outcome[skills["id"]]["collaborations"][0]["members"]] == [
        "Council",
        "College",
    ]
    assert by_outcome[skills["id"]]["progress"]["status"] == "no_observation"
    assert [(o["name"], o["collaborations"], o["leads"]) for o in body["organisations"]] == [
        ("College", 2, 1),
        ("Council", 1, 1),
    ]
    assert body["pipeline"] == {
        "funded": {
            "count": 2,
            "amount_pence": 500_000,
            "without_amount": 1,
            "without_amount_ids": [unpriced["id"]],
        },
        "seeking": {
            "count": 1,
            "amount_pence": 0,
            "without_amount": 1,
            "without_amount_ids": [lighthouse["id"]],
        },
        "exploring": {
            "count": 1,
            "amount_pence": 0,
            "without_amount": 1,
            "without_amount_ids": [exploring["id"]],
        },
        "unknown": {"count": 0, "amount_pence": 0, "without_amount": 0, "without_amount_ids": []},
    }
    assert body["method"].endswith(
        "amount_pence sums only the amounts recorded: 1 of the 2 funded collaborations have no amount "
        "(pipeline.funded.without_amount_ids), so the funded total is a floor, not the whole."
    )
    signed_in = client.get(f"{API}/missions/{mission['id']}/contributors").json()
    assert signed_in["pipeline"]["unknown"]["count"] == 1  # the draft proposal
    problem(client.get(f"{API}/missions/nope/contributors"), 404)


def test_answers_kept_for_the_signed_in_are_not_given_to_the_public(
    client: TestClient, anon: TestClient, client_as: Callable[..., TestClient]
) -> None:
    mission = factories.mission(client)
    outcome = factories.outcome(client, mission["id"])
    council = factories.stakeholder(client, name="Council")
    proposal = client_as("partner", council["id"]).post(
        f"{API}/collaborations", json={"title": "Draft", "kind": "project", "outcome_ids": [outcome["id"]]}
    )
    assert proposal.status_code == 201
    url = f"{API}/missions/{mission['id']}/contributors"
    signed_in = client_as("reader").get(url).json()  # first, and with the draft
    assert [c["title"] for c in signed_in["outcomes"][0]["collaborations"]] == ["Draft"]
    assert [o["name"] for o in signed_in["organisations"]] == ["Council"]
    public = anon.get(url).json()
    assert public["outcomes"][0]["collaborations"] == [] and public["organisations"] == []
    # A write shows at once, to everyone.
    published = factories.collaboration(client, title="Published", outcome_ids=[outcome["id"]])
    factories.participant(client, published["id"], council["id"], role="lead")
    assert [o["leads"] for o in anon.get(url).json()["organisations"]] == [1]
    assert [o["collaborations"] for o in client.get(url).json()["organisations"]] == [2]
    assert (
        client.get(url)
        .json()["method"]
        .endswith("every funded collaboration has one, so the funded total is complete.")
    )


def test_the_loaded_roadmap_says_how_much_funded_activity_has_no_amount(
    client: TestClient, session_factory: Callable[[], Session]
) -> None:
    with session_factory() as session:
        loader.load(session)
        session.commit()
    missions = client.get(f"{API}/missions").json()["items"]
    titles = {
        c["id"]: c["title"]
        for c in client.get(f"{API}/collaborations", params={"limit": 500}).json()["items"]
    }
    funded = {}
    for mission in missions:
        pipeline = client.get(f"{API}/missions/{mission['id']}/contributors").json()["pipeline"]["funded"]
        funded[mission["code"]] = (pipeline["count"], pipeline["amount_pence"], pipeline["without_amount"])
        assert len(pipeline["without_amount_ids"]) == pipeline["without_amount"]
        if mission["code"] == "M1":
            assert sorted(titles[i] for i in pipeline["without_amount_ids"]) == [
                "Adult Education Budget funded digital skills programmes",
                "Support for the regional Digital Skills Partnership",
            ]
    # M1's only amount is the £5m 'beat the bots' programme; no other funded activity has one.
    assert funded == {
        "M1": (3, 500_000_000, 2),
        "M2": (4, 0, 4),
        "M3": (1, 0, 1),
        "M4": (3, 0, 3),
        "M5": (4, 0, 4),
    }
