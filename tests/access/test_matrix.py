"""Every operation in the OpenAPI document, called by every kind of caller.

The table below is the access policy as a test: an operation missing from it fails the
build, so a new endpoint cannot ship without its rule. Each allowed write must also leave a
record in the audit trail.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, func, select
from sqlmodel import Session

from api import models
from tests.conftest import make_key

API = "/api/v1"
OPENAPI = json.loads((Path(__file__).parents[2] / "openapi" / "openapi.json").read_text())
ROLES = ("anonymous", "reader", "partner_a", "partner_b", "editor", "admin")
OK = "2xx"


def rule(*statuses: int | str) -> dict[str, int | str]:
    return dict(zip(ROLES, statuses, strict=True))


PUBLIC = rule(OK, OK, OK, OK, OK, OK)
SIGNED_IN = rule(401, OK, OK, OK, OK, OK)
EDITORS = rule(401, 403, 403, 403, OK, OK)
OWNED_BY_A = rule(401, 403, OK, 403, OK, OK)  # partner A leads the collaboration / is the organisation
ANY_PARTNER = rule(401, 403, OK, OK, OK, OK)
ADMINS = rule(401, 403, 403, 403, 403, OK)
KEY_OF_A = rule(401, 403, OK, 404, 403, OK)  # another organisation's key is not revealed

EXPECTED: dict[str, dict[str, int | str]] = {
    "health-live": PUBLIC,
    "health-ready": PUBLIC,
    "auth-token": rule(401, 401, 401, 401, 401, 401),  # a wrong password, whoever asks
    "auth-revoke": PUBLIC,
    "auth-me": SIGNED_IN,
    "accounts-list": ADMINS,
    "accounts-create": ADMINS,
    "accounts-get": ADMINS,  # someone else's account
    "accounts-update": ADMINS,
    "api-keys-list": rule(401, 403, OK, OK, 403, OK),
    "api-keys-create": rule(401, 403, OK, 403, 403, OK),  # a partner key for organisation A
    "api-keys-get": KEY_OF_A,
    "api-keys-rotate": KEY_OF_A,
    "api-keys-revoke": KEY_OF_A,
    "changes-feed": SIGNED_IN,
    "changes-recent": SIGNED_IN,
    "stakeholders-erase": EDITORS,
    "stakeholders-update": OWNED_BY_A,
    "collaborations-create": ANY_PARTNER,  # as a draft proposal
    "collaborations-update": OWNED_BY_A,
    "collaborations-delete": OWNED_BY_A,  # a draft A proposed
    "collaborations-create-participant": OWNED_BY_A,
    "collaborations-update-participant": OWNED_BY_A,
    "collaborations-delete-participant": OWNED_BY_A,
    "collaborations-list-participants": PUBLIC,
    "collaborations-get-participant": PUBLIC,
    "collaborations-participant-history": SIGNED_IN,
    "metrics-create-observation": OWNED_BY_A,  # on A's collaboration
    "metrics-update-observation": OWNED_BY_A,
    "metrics-delete-observation": OWNED_BY_A,
    "progress-metric": PUBLIC,
    "progress-outcome": PUBLIC,
    "progress-mission": PUBLIC,
    "benchmarks-comparison": PUBLIC,
    "metrics-breakdowns": PUBLIC,
    "missions-contributors": PUBLIC,
    "insights-overlaps": PUBLIC,
    "network-graph": PUBLIC,
    "network-metrics": PUBLIC,
    "open-data-open-sdg-data": PUBLIC,
    "open-data-open-sdg-meta": PUBLIC,
    "open-data-oruk-services": PUBLIC,
    "open-data-giving360-grants-csv": PUBLIC,
    "open-data-giving360-grants-xlsx": PUBLIC,
    "open-data-kumu-map": PUBLIC,
    "stories-create": OWNED_BY_A,  # about organisation A
    "stories-update": OWNED_BY_A,
    "stories-delete": OWNED_BY_A,
    "support-schemes-match": PUBLIC,
    "referrals-list": SIGNED_IN,  # partners: only those concerning them
    "referrals-get": rule(401, OK, OK, 404, OK, OK),  # about A: another partner is not told it exists
    "referrals-create": OWNED_BY_A,  # of organisation A
    "referrals-update": OWNED_BY_A,
    "referrals-delete": OWNED_BY_A,
    "referrals-history": rule(401, OK, 403, 403, OK, OK),
    # Each row a partner imports is checked against what it owns (tests/imports).
    "imports-start": rule(401, 403, OK, OK, OK, OK),
    "imports-list": SIGNED_IN,  # partners: their organisation's
    "imports-get": rule(401, OK, 403, 403, OK, OK),  # an editor's import
}
QUEUED = {"imports-start"}  # its writes happen in the background, after the answer
for _resource in (
    "roadmaps",
    "missions",
    "outcomes",
    "metrics",
    "areas",
    "stakeholders",
    "collaborations",
    "stories",
    "support-schemes",
):
    for _action, _rule in (("list", PUBLIC), ("get", PUBLIC), ("history", SIGNED_IN)):
        EXPECTED.setdefault(f"{_resource}-{_action}", _rule)
    for _action in ("create", "update", "delete"):
        EXPECTED.setdefault(f"{_resource}-{_action}", EDITORS)
for _value, _plural in (("baseline", "baselines"), ("target", "targets"), ("observation", "observations")):
    EXPECTED.setdefault(f"metrics-list-{_plural}", PUBLIC)
    EXPECTED.setdefault(f"metrics-get-{_value}", PUBLIC)
    EXPECTED.setdefault(f"metrics-{_value}-history", SIGNED_IN)
    for _action in ("create", "update", "delete"):
        EXPECTED.setdefault(f"metrics-{_action}-{_value}", EDITORS)


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str


OPERATIONS = [
    Operation(op["operationId"], method.upper(), path)
    for path, ops in OPENAPI["paths"].items()
    for method, op in ops.items()
]


def post(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"{API}{path}", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def world(
    client: TestClient, client_as: Callable[..., TestClient], session_factory: Callable[[], Session]
) -> dict:
    """Two partner organisations and something of every kind, some of it A's."""
    w: dict[str, Any] = {}
    w["area"] = post(client, "/areas", {"name": "Area", "kind": "local_authority"})["id"]
    w["spare_area"] = post(client, "/areas", {"name": "Spare area", "kind": "ward"})["id"]
    w["roadmap"] = post(client, "/roadmaps", {"key": "rm", "title": "Roadmap"})["id"]
    w["spare_roadmap"] = post(client, "/roadmaps", {"key": "spare", "title": "Spare"})["id"]
    mission = {"roadmap_id": w["roadmap"], "title": "Mission", "foundation": "access"}
    w["mission"] = post(client, "/missions", {**mission, "code": "M1"})["id"]
    w["spare_mission"] = post(client, "/missions", {**mission, "code": "M2"})["id"]
    w["outcome"] = post(client, "/outcomes", {"mission_id": w["mission"], "title": "Outcome"})["id"]
    w["spare_outcome"] = post(client, "/outcomes", {"mission_id": w["mission"], "title": "Spare"})["id"]
    metric = {"name": "Metric", "unit": "percent", "direction": "higher_is_better"}
    w["metric"] = post(client, "/metrics", {**metric, "code": "metric", "outcome_ids": [w["outcome"]]})["id"]
    w["spare_metric"] = post(client, "/metrics", {**metric, "code": "spare"})["id"]
    for name in ("org_a", "org_b", "spare_org"):
        w[name] = post(client, "/stakeholders", {"name": name, "kind": "business"})["id"]
    w["person"] = post(
        client, "/stakeholders", {"name": "Ada", "kind": "person", "email": "ada@example.org"}
    )["id"]
    for name, lead in (("collab_a", "org_a"), ("collab_b", "org_b")):
        w[name] = post(client, "/collaborations", {"title": name, "kind": "project"})["id"]
        post(client, f"/collaborations/{w[name]}/participants", {"stakeholder_id": w[lead], "role": "lead"})
    member = {"stakeholder_id": w["org_b"], "role": "member"}
    w["participant"] = post(client, f"/collaborations/{w['collab_a']}/participants", member)["id"]
    w["keys"] = {
        "reader": make_key(session_factory, "reader"),
        "partner_a": make_key(session_factory, "partner", w["org_a"]),
        "partner_b": make_key(session_factory, "partner", w["org_b"]),
        "editor": make_key(session_factory, "editor"),
        "admin": make_key(session_factory, "admin"),
    }
    as_a = client_as("partner", w["org_a"])
    w["draft_a"] = post(as_a, "/collaborations", {"title": "A's idea", "kind": "project"})["id"]
    values = f"/metrics/{w['metric']}"
    w["baseline"] = post(
        client, f"{values}/baselines", {"area_id": w["area"], "value": "1", "date": "2021-01-01"}
    )["id"]
    w["target"] = post(
        client, f"{values}/targets", {"area_id": w["area"], "value": "9", "date": "2026-01-01"}
    )["id"]
    observation = {
        "area_id": w["area"],
        "collaboration_id": w["collab_a"],
        "value": "4",
        "date": "2024-01-01",
    }
    w["observation"] = post(client, f"{values}/observations", observation)["id"]
    story = {"title": "A's story", "kind": "success", "summary": "It worked.", "publication": "published"}
    w["story"] = post(client, "/stories", {**story, "stakeholder_ids": [w["org_a"]]})["id"]
    w["scheme"] = post(client, "/support-schemes", {"name": "Focus", "offer": "Advice."})["id"]
    w["spare_scheme"] = post(client, "/support-schemes", {"name": "Spare", "offer": "Advice."})["id"]
    referral = {"stakeholder_id": w["org_a"], "scheme_id": w["scheme"]}
    w["referral"] = post(client, "/referrals", referral)["id"]
    key = {"name": "a-sync", "role": "partner", "stakeholder_id": w["org_a"]}
    w["key_a"] = post(client, "/api-keys", key)["id"]
    with session_factory() as session:
        account = models.Account(email="someone@example.org", password_hash="-", role="reader")
        session.add(account)
        made = models.DataImport(kind="areas", format="fields", actor_kind="key", actor_name="editor")
        session.add(made)
        session.commit()
        w["account"], w["import"] = account.id, made.id
    return w


SUBCOLLECTIONS = {"participants": "participant", "baselines": "baseline", "targets": "target"}
DELETED = {
    "roadmaps": "spare_roadmap",
    "missions": "spare_mission",
    "outcomes": "spare_outcome",
    "metrics": "spare_metric",
    "areas": "spare_area",
    "stakeholders": "spare_org",
    "collaborations": "draft_a",
    "support-schemes": "spare_scheme",
}
SINGLE = {
    "roadmaps": "roadmap",
    "missions": "mission",
    "outcomes": "outcome",
    "metrics": "metric",
    "areas": "area",
    "stakeholders": "org_a",
    "collaborations": "collab_a",
    "accounts": "account",
    "api-keys": "key_a",
    "observations": "observation",
    "stories": "story",
    "support-schemes": "scheme",
    "referrals": "referral",
    "imports": "import",
    **SUBCOLLECTIONS,
}


def url_for(op: Operation, w: dict[str, Any]) -> str:
    parts = op.path.split("/")
    collection = parts[parts.index("{id}") - 1] if "{id}" in parts else parts[-1]
    if op.id == "stakeholders-erase":
        item = w["person"]
    elif op.method == "DELETE" and collection in DELETED:
        item = w[DELETED[collection]]
    else:
        item = w.get(SINGLE.get(collection, ""), "")
    url = op.path.format(id=item, metric_id=w["metric"], collaboration_id=w["collab_a"])
    return f"{url}?stakeholder={w['org_a']}" if op.id == "support-schemes-match" else url


def body_for(op: Operation, w: dict[str, Any]) -> dict[str, Any] | None:
    area, collab = w["area"], w["collab_a"]
    creates = {
        "roadmaps": {"key": "new", "title": "New"},
        "missions": {"roadmap_id": w["roadmap"], "code": "M9", "title": "New", "foundation": "data"},
        "outcomes": {"mission_id": w["mission"], "title": "New"},
        "metrics": {"code": "new", "name": "New", "unit": "count", "direction": "higher_is_better"},
        "areas": {"name": "New", "kind": "ward"},
        "stakeholders": {"name": "New", "kind": "business"},
        "collaborations": {"title": "New", "kind": "project"},
        "participants": {"stakeholder_id": w["spare_org"], "role": "funder"},
        "baselines": {"area_id": area, "collaboration_id": collab, "value": "2", "date": "2021-01-01"},
        "targets": {"area_id": area, "collaboration_id": collab, "value": "8", "date": "2026-01-01"},
        "observations": {"area_id": area, "collaboration_id": collab, "value": "5", "date": "2025-01-01"},
        "accounts": {"email": "new@example.org", "password": "correct horse battery", "role": "reader"},
        "api-keys": {"name": "new", "role": "partner", "stakeholder_id": w["org_a"]},
        "stories": {"title": "New", "kind": "lesson", "summary": "Learned.", "stakeholder_ids": [w["org_a"]]},
        "support-schemes": {"name": "New", "offer": "Grants."},
        "referrals": {"stakeholder_id": w["org_a"], "scheme_id": w["scheme"]},
    }
    updates = {
        "roadmaps": {"title": "Changed"},
        "missions": {"title": "Changed"},
        "outcomes": {"title": "Changed"},
        "metrics": {"name": "Changed"},
        "areas": {"name": "Changed"},
        "stakeholders": {"description": "Changed"},
        "collaborations": {"description": "Changed"},
        "participants": {"role": "partner"},
        "baselines": {"value": "3"},
        "targets": {"value": "7"},
        "observations": {"value": "6"},
        "accounts": {"disabled": True},
        "stories": {"summary": "Changed"},
        "support-schemes": {"offer": "Changed"},
        "referrals": {"status": "supported"},
    }
    collection = [s for s in op.path.split("/") if s and not s.startswith("{")][-1]
    if op.method == "POST" and collection in creates:
        return creates[collection]
    if op.method == "PATCH":
        return updates[[s for s in op.path.split("/") if s and not s.startswith("{")][-1]]
    return None


def call(client: TestClient, op: Operation, w: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    url = url_for(op, w)
    if op.id == "auth-token":
        return client.post(url, data={"username": "someone@example.org", "password": "wrong"})
    if op.id == "auth-revoke":
        return client.post(url, data={"token": "not-a-token"})
    if op.id == "imports-start":
        files = {"file": ("orgs.csv", b"name,kind\nNew,business\n", "text/csv")}
        return client.post(url, params={"kind": "stakeholders", "dry_run": "true"}, files=files)
    if headers is None:
        headers = {"If-Match": "*"} if op.method in ("PATCH", "DELETE") else {}
    return client.request(op.method, url, json=body_for(op, w), headers=headers)


def changes(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(models.Change)).scalar_one()


def test_every_operation_has_a_rule() -> None:
    assert len(OPERATIONS) > 80
    missing = sorted(op.id for op in OPERATIONS if op.id not in EXPECTED)
    assert missing == [], f"Operations without an access rule in this table: {missing}"
    stale = sorted(set(EXPECTED) - {op.id for op in OPERATIONS})
    assert stale == [], f"Rules for operations that no longer exist: {stale}"


@pytest.mark.parametrize("op", OPERATIONS, ids=[op.id for op in OPERATIONS])
def test_each_role_gets_what_the_rule_says(
    op: Operation, world: dict, app: Any, connection: Connection
) -> None:
    expected = EXPECTED[op.id]
    wrong = []
    for role in ROLES:
        headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world['keys'][role]}"}
        savepoint = connection.begin_nested()  # each role meets the same world
        try:
            before = changes(connection)
            with TestClient(app, headers=headers) as caller:
                response = call(caller, op, world)
            status, want = response.status_code, expected[role]
            if want == OK:
                if not 200 <= status < 300:
                    wrong.append(f"{role}: {status} {response.text[:200]}")
                elif (
                    op.method != "GET"
                    and not op.id.startswith("auth-")
                    and op.id not in QUEUED
                    and changes(connection) == before
                ):
                    wrong.append(f"{role}: {status} but no change was recorded")
            elif status != want:
                wrong.append(f"{role}: {status}, expected {want}: {response.text[:200]}")
            elif status == 401 and not op.id.startswith("auth-token"):
                assert "www-authenticate" in response.headers
        finally:
            savepoint.rollback()
    assert wrong == [], f"{op.method} {op.path}:\n" + "\n".join(wrong)


def test_the_openapi_document_says_which_operations_need_credentials() -> None:
    for op in OPERATIONS:
        if op.id == "auth-token":
            continue  # where credentials are obtained
        security = OPENAPI["paths"][op.path][op.method.lower()].get("security")
        optional = security is None or {} in security
        assert optional == (EXPECTED[op.id]["anonymous"] == OK), op.id


def test_the_document_requires_if_match_where_the_api_does(
    world: dict, client: TestClient, connection: Connection
) -> None:
    """Every operation that answers 428 without If-Match (and 412 with a stale one) says it is
    required, with both problems; no other operation says so."""
    answered: set[str] = set()
    for op in OPERATIONS:
        savepoint = (
            connection.begin_nested()
        )  # an operation that did its work does not change the next's world
        try:
            response = call(client, op, world, headers={})
            if response.status_code == 428:
                answered.add(op.id)
                assert response.headers["content-type"] == "application/problem+json"
                stale = call(client, op, world, headers={"If-Match": '"0"'})
                assert stale.status_code == 412, f"{op.id}: {stale.status_code} {stale.text}"
        finally:
            savepoint.rollback()
    declared = set()
    for op in OPERATIONS:
        documented = OPENAPI["paths"][op.path][op.method.lower()]
        if any(p["name"] == "If-Match" and p["required"] for p in documented.get("parameters", [])):
            declared.add(op.id)
            for code in ("412", "428"):
                content = documented["responses"][code]["content"]
                assert list(content) == ["application/problem+json"], f"{op.id} {code}"
    assert answered == declared
    assert len(answered) >= 30
