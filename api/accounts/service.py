from sqlalchemy import func, select
from sqlalchemy import update as update_
from sqlmodel import Session, col

from api import crud, models
from api.accounts.passwords import MIN_LENGTH, hash_password
from api.accounts.schemas import AccountUpdate
from api.enums import AccessRole
from api.errors import Conflict, ValidationFailed
from api.models import utcnow
from api.pagination import PageQuery, paginate

SORTABLE = {"email": col(models.Account.email), "created_at": col(models.Account.created_at)}


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


def set_password(session: Session, account: models.Account, password: str) -> None:
    """A new password; the account's sign-ins end."""
    if len(password) < MIN_LENGTH:
        raise ValidationFailed.single("body.password", f"Use at least {MIN_LENGTH} characters.")
    account.password_hash = hash_password(password)
    _end_sign_ins(session, account)
    session.flush()


def _end_sign_ins(session: Session, account: models.Account) -> None:
    session.execute(
        update_(models.AuthToken)
        .where(col(models.AuthToken.account_id) == account.id, col(models.AuthToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


def get(session: Session, id_: str) -> models.Account:
    return crud.get_or_404(session, models.Account, id_, "account")


def list_(session: Session, page: PageQuery) -> tuple[list[models.Account], str | None]:
    A = models.Account
    keyset = paginate(select(A), page, SORTABLE, col(A.id), "email")
    return keyset.split(list(session.scalars(keyset.stmt)))


def update(session: Session, account: models.Account, data: AccountUpdate) -> models.Account:
    changes = data.model_dump(exclude_unset=True)
    role = changes.get("role", account.role)
    stakeholder_id = changes.get("stakeholder_id", account.stakeholder_id)
    check_binding(AccessRole(role), stakeholder_id)
    crud.require_exists(session, models.Stakeholder, stakeholder_id, "body.stakeholder_id")
    crud.apply_changes(account, changes)
    if changes.get("disabled") or "role" in changes or "stakeholder_id" in changes:
        # What the account may do changed: its sign-ins end now, not when tokens expire.
        _end_sign_ins(session, account)
    session.flush()
    return account
