from sqlalchemy import func, select
from sqlmodel import Session, col

from api import crud, models
from api.accounts.passwords import MIN_LENGTH, hash_password
from api.enums import AccessRole
from api.errors import Conflict, ValidationFailed


def normalise(email: str) -> str:
    return email.strip().lower()


def find(session: Session, email: str) -> models.Account | None:
    stmt = select(models.Account).where(col(models.Account.email) == normalise(email))
    return session.scalars(stmt).first()


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(models.Account)) or 0


def check_binding(role: AccessRole, stakeholder_id: str | None) -> None:
    """A partner acts for exactly one stakeholder; every other role for none."""
    if (role == AccessRole.partner) != (stakeholder_id is not None):
        raise ValidationFailed.single(
            "body.stakeholder_id", "A partner acts for one stakeholder; other roles for none."
        )


def create(
    session: Session, email: str, password: str, role: AccessRole, stakeholder_id: str | None = None
) -> models.Account:
    """A new account; partners must name the organisation they act for, others must not."""
    if "@" not in email.strip()[1:-1]:
        raise ValidationFailed.single("body.email", "Give a valid e-mail address.")
    if len(password) < MIN_LENGTH:
        raise ValidationFailed.single("body.password", f"Use at least {MIN_LENGTH} characters.")
    check_binding(role, stakeholder_id)
    crud.require_exists(session, models.Stakeholder, stakeholder_id, "body.stakeholder_id")
    if find(session, email) is not None:
        raise Conflict("An account with this e-mail address already exists.")
    account = models.Account(
        email=normalise(email),
        password_hash=hash_password(password),
        role=role,
        stakeholder_id=stakeholder_id,
    )
    return crud.add(session, account)
