"""Accounts for people: argon2 hashes, one account per e-mail, partners bound to one org."""

import pytest
from sqlmodel import Session

from api import models
from api.accounts import passwords
from api.accounts import service as accounts
from api.enums import AccessRole
from api.errors import Conflict, ValidationFailed

GOOD = "correct horse battery"


def test_passwords_are_stored_as_argon2id_hashes(session: Session) -> None:
    account = accounts.create(session, "Editor@Example.org", GOOD, AccessRole.editor)
    assert account.email == "editor@example.org"
    assert account.password_hash.startswith("$argon2id$")
    assert GOOD not in account.password_hash
    assert passwords.verify(GOOD, account.password_hash)[0]
    assert not passwords.verify("wrong horse battery", account.password_hash)[0]


def test_an_unknown_account_verifies_as_false_at_the_same_cost() -> None:
    assert passwords.verify(GOOD, None) == (False, None)


def test_one_account_per_email_whatever_its_case(session: Session) -> None:
    accounts.create(session, "a@example.org", GOOD, AccessRole.reader)
    with pytest.raises(Conflict):
        accounts.create(session, " A@Example.ORG ", GOOD, AccessRole.admin)


@pytest.mark.parametrize(
    ("email", "password", "role", "field"),
    [
        ("not-an-email", GOOD, AccessRole.reader, "body.email"),
        ("b@example.org", "short", AccessRole.reader, "body.password"),
        ("c@example.org", GOOD, AccessRole.partner, "body.stakeholder_id"),  # partner needs an org
    ],
)
def test_invalid_accounts_name_the_field(
    session: Session, email: str, password: str, role: AccessRole, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        accounts.create(session, email, password, role)
    assert refused.value.errors[0].field == field


def test_a_partner_acts_for_one_stakeholder_which_cannot_then_be_deleted(session: Session, client) -> None:
    org = client.post("/api/v1/stakeholders", json={"name": "Org", "kind": "business"}).json()
    accounts.create(session, "p@example.org", GOOD, AccessRole.partner, org["id"])
    session.commit()
    with pytest.raises(ValidationFailed):
        accounts.create(session, "e@example.org", GOOD, AccessRole.editor, org["id"])
    refused = client.delete(f"/api/v1/stakeholders/{org['id']}", headers={"If-Match": "*"})
    assert refused.status_code == 409
    assert "partner accounts" in refused.json()["detail"]
    assert session.get(models.Stakeholder, org["id"]) is not None
