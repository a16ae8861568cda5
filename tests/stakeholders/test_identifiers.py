"""Keys from elsewhere: org-id identifiers, and (source, external_id) from another system.

Imports match organisations on these, so each must belong to one stakeholder only.
"""

import pytest
from fastapi.testclient import TestClient

from tests import checks, factories
from tests.checks import problem
from tests.factories import API

URL = f"{API}/stakeholders"
ORG = {"name": "Aston University", "kind": "university"}


def test_identifiers_are_kept_sorted_and_once(client: TestClient) -> None:
    body = {**ORG, "identifiers": ["GB-EDU-133781", "GB-CHC-1137000", "GB-EDU-133781"]}
    created = checks.created(client, client.post(URL, json=body))
    assert created["identifiers"] == ["GB-CHC-1137000", "GB-EDU-133781"]
    assert checks.fetch(client, f"{URL}/{created['id']}")["identifiers"] == created["identifiers"]


def test_an_identifier_belongs_to_one_stakeholder(client: TestClient) -> None:
    first = checks.created(client, client.post(URL, json={**ORG, "identifiers": ["GB-COH-01234567"]}))
    other = {"name": "Another", "kind": "business", "identifiers": ["GB-COH-01234567"]}
    refused = problem(client.post(URL, json=other), 409)
    assert "GB-COH-01234567" in refused["detail"] and first["id"] in refused["detail"]
    # Its holder may keep it while changing the others.
    changed = checks.patch(client, f"{URL}/{first['id']}", {"identifiers": ["GB-COH-01234567", "GB-CHC-1"]})
    assert changed.status_code == 200 and changed.json()["identifiers"] == ["GB-CHC-1", "GB-COH-01234567"]


@pytest.mark.parametrize("identifier", ["01234567", "gb-coh-01234567", "GB-COH-", "GB-COH-a b"])
def test_an_identifier_not_in_the_org_id_form_is_refused(client: TestClient, identifier: str) -> None:
    problem(client.post(URL, json={**ORG, "identifiers": [identifier]}), 422)


def test_a_key_from_elsewhere_is_source_and_external_id_together(client: TestClient) -> None:
    problem(client.post(URL, json={**ORG, "external_id": "123"}), 422, "body.source")
    problem(client.post(URL, json={**ORG, "source": "kumu"}), 422, "body.external_id")
    created = checks.created(client, client.post(URL, json={**ORG, "source": "kumu", "external_id": "123"}))
    assert (created["source"], created["external_id"]) == ("kumu", "123")
    problem(client.post(URL, json={**ORG, "source": "kumu", "external_id": "123"}), 409)
    # The same key from another system is another record's.
    checks.created(client, client.post(URL, json={**ORG, "source": "360giving", "external_id": "123"}))
    # Dropping half of the key is refused; dropping both is not.
    problem(checks.patch(client, f"{URL}/{created['id']}", {"source": None}), 422, "body.source")
    cleared = checks.patch(client, f"{URL}/{created['id']}", {"source": None, "external_id": None})
    assert cleared.status_code == 200 and cleared.json()["external_id"] is None


def test_a_collaborations_key_from_elsewhere_is_unique(client: TestClient) -> None:
    body = {"title": "Grant", "kind": "project", "source": "360giving", "external_id": "360G-x-1"}
    created = checks.created(client, client.post(f"{API}/collaborations", json=body))
    assert created["external_id"] == "360G-x-1"
    problem(client.post(f"{API}/collaborations", json={**body, "title": "Again"}), 409)
    factories.collaboration(client)  # records with no key never collide
    factories.collaboration(client)
