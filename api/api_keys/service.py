"""API keys for systems. Who may manage which keys is decided here, in one place."""

import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from api import crud, models
from api.accounts.service import check_binding
from api.api_keys.schemas import ApiKeyCreate, ApiKeyWithSecret
from api.auth.service import token_hash
from api.db import SessionFactory, for_writing
from api.enums import AccessRole
from api.errors import Forbidden, NotFound, ValidationFailed
from api.models import utcnow
from api.pagination import PageQuery, paginate

K = models.ApiKey
KEY_PREFIX = "rk_"
SORTABLE = {"created_at": col(K.created_at), "name": col(K.name)}


def _new_secret() -> tuple[str, str]:
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    return secret, secret[:11]


def may_manage(principal_role: AccessRole, principal_org: str | None, key_org: str | None) -> bool:
    """Admins manage every key; a partner, only its own organisation's."""
    if principal_role == AccessRole.admin:
        return True
    return principal_role == AccessRole.partner and key_org is not None and key_org == principal_org


def create(
    session: Session, data: ApiKeyCreate, role: AccessRole, org: str | None, by: str
) -> ApiKeyWithSecret:
    stakeholder_id = data.stakeholder_id
    if role == AccessRole.partner and stakeholder_id is None:
        stakeholder_id = org  # a partner's key acts for the partner's own organisation
    if not may_manage(role, org, stakeholder_id) or (
        role == AccessRole.partner and data.role != AccessRole.partner
    ):
        raise Forbidden("You may create keys only for your own organisation, with the partner role.")
    check_binding(data.role, stakeholder_id)
    crud.require_exists(session, models.Stakeholder, stakeholder_id, "body.stakeholder_id")
    if data.expires_at is not None and data.expires_at <= utcnow():
        raise ValidationFailed.single("body.expires_at", "The expiry must be in the future.")
    secret, prefix = _new_secret()
    key = crud.add(
        session,
        K(
            name=data.name,
            role=data.role,
            stakeholder_id=stakeholder_id,
            prefix=prefix,
            secret_hash=token_hash(secret),
            expires_at=data.expires_at,
            created_by=by,
        ),
    )
    return ApiKeyWithSecret.model_validate({**key.model_dump(), "key": secret})


def get(session: Session, id_: str, role: AccessRole, org: str | None) -> models.ApiKey:
    key = session.get(K, id_)
    if key is None or not may_manage(role, org, key.stakeholder_id):
        raise NotFound(f"No API key with id {id_!r}.")  # others' keys are not even confirmed
    return key


def list_(
    session: Session, page: PageQuery, role: AccessRole, org: str | None
) -> tuple[list[models.ApiKey], str | None]:
    stmt = select(K)
    if role != AccessRole.admin:
        if role != AccessRole.partner:
            raise Forbidden("Only administrators and partners manage API keys.")
        stmt = stmt.where(col(K.stakeholder_id) == org)
    keyset = paginate(stmt, page, SORTABLE, col(K.id), "-created_at")
    return keyset.split(list(session.scalars(keyset.stmt)))


def rotate(session: Session, key: models.ApiKey) -> ApiKeyWithSecret:
    if key.revoked_at is not None:
        raise ValidationFailed.single("path.id", "A revoked key cannot be rotated; create a new one.")
    secret, prefix = _new_secret()
    crud.apply_changes(key, {"secret_hash": token_hash(secret), "prefix": prefix})
    session.flush()
    return ApiKeyWithSecret.model_validate({**key.model_dump(), "key": secret})


def revoke(session: Session, key: models.ApiKey) -> None:
    if key.revoked_at is None:
        crud.apply_changes(key, {"revoked_at": utcnow()})
        session.flush()


def key_for(session: Session, secret: str) -> models.ApiKey | None:
    key = session.scalars(select(K).where(col(K.secret_hash) == token_hash(secret))).first()
    now = utcnow()
    if key is None or key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= now):
        return None
    return key


def due_for_note(key: models.ApiKey) -> bool:
    """`last_used_at` is kept to the minute: most requests need not write it."""
    return key.last_used_at is None or utcnow() - key.last_used_at >= timedelta(minutes=1)


def note_use(sessions: SessionFactory, key_id: str) -> None:
    """Best effort, after the response, in a transaction of its own: a read stays a read, and a
    request never holds two connections (which starves the pool under load)."""
    try:
        with for_writing(sessions()) as session:
            session.execute(update(K).where(col(K.id) == key_id).values(last_used_at=utcnow()))
            session.commit()
    except OperationalError:
        pass  # a busy database must not refuse the caller's request over a timestamp
