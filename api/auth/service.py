"""Signing in, refreshing and revoking. Failures are returned, not raised, so that what
they record (a failed attempt, a revoked family) is committed with the refusal."""

import hashlib
import math
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, col

from api import models
from api.accounts import passwords
from api.accounts import service as accounts
from api.auth.schemas import TokenPair
from api.config import Settings
from api.errors import ProblemError, TooManyRequests, Unauthorized
from api.models import utcnow
from api.monitoring import RATE_LIMITED

WRONG = "Wrong e-mail or password."  # the same whether or not the e-mail is known


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue(session: Session, account: models.Account, family: str, settings: Settings) -> TokenPair:
    now = utcnow()
    access, refresh = f"at_{secrets.token_urlsafe(32)}", f"rt_{secrets.token_urlsafe(32)}"
    lifetime = timedelta(minutes=settings.access_token_minutes)
    for token, kind, expires in (
        (access, "access", now + lifetime),
        (refresh, "refresh", now + timedelta(days=settings.refresh_token_days)),
    ):
        session.add(
            models.AuthToken(
                token_hash=token_hash(token),
                kind=kind,
                account_id=account.id,
                family=family,
                expires_at=expires,
            )
        )
    session.flush()
    return TokenPair(access_token=access, expires_in=int(lifetime.total_seconds()), refresh_token=refresh)


def _rate_limited(session: Session, subjects: dict[str, int], window: timedelta) -> ProblemError | None:
    since = utcnow() - window
    for subject, limit in subjects.items():
        recent = select(func.count(), func.min(models.SignInFailure.at)).where(
            col(models.SignInFailure.subject) == subject, col(models.SignInFailure.at) >= since
        )
        count, oldest = session.execute(recent).one()
        if count >= limit:
            wait = math.ceil(((oldest + window) - utcnow()).total_seconds()) if oldest else 60
            limited = TooManyRequests("Too many failed sign-ins; try again later.")
            limited.headers = {"Retry-After": str(max(wait, 1))}
            RATE_LIMITED.labels("sign-in").inc()
            return limited
    return None


def sign_in(
    session: Session, email: str, password: str, client: str, settings: Settings
) -> TokenPair | ProblemError:
    account_subject = f"account:{accounts.normalise(email)}"
    subjects = {
        account_subject: settings.sign_in_failures_per_account,
        f"client:{client}": settings.sign_in_failures_per_client,
    }
    window = timedelta(minutes=settings.sign_in_window_minutes)
    limited = _rate_limited(session, subjects, window)
    if limited is not None:
        return limited
    account = accounts.find(session, email)
    ok, new_hash = passwords.verify(password, account.password_hash if account else None)
    now = utcnow()
    if account is None or not ok or account.disabled:
        # Failures older than the window no longer count: drop them, or attacks grow the table.
        failure = models.SignInFailure
        session.execute(delete(failure).where(col(failure.at) < now - window))
        session.add_all(failure(subject=s) for s in subjects)
        return Unauthorized(WRONG)
    # The account's count starts again; the client's does not, or guessing could reset it.
    session.execute(delete(models.SignInFailure).where(col(models.SignInFailure.subject) == account_subject))
    # Expired tokens of this account serve nothing (refresh reuse is detected until expiry).
    token = models.AuthToken
    session.execute(delete(token).where(col(token.account_id) == account.id, col(token.expires_at) < now))
    if new_hash:
        account.password_hash = new_hash
    account.last_sign_in_at = now
    return _issue(session, account, str(uuid.uuid4()), settings)


def _revoke_family(session: Session, family: str, now: datetime) -> None:
    session.execute(
        update(models.AuthToken)
        .where(col(models.AuthToken.family) == family, col(models.AuthToken.revoked_at).is_(None))
        .values(revoked_at=now)
    )


def refresh(session: Session, refresh_token: str, settings: Settings) -> TokenPair | ProblemError:
    now = utcnow()
    stored = session.get(models.AuthToken, token_hash(refresh_token))
    if stored is None or stored.kind != "refresh" or stored.expires_at <= now:
        return Unauthorized("The refresh token is not valid; sign in again.")
    if stored.revoked_at is not None:
        # A spent refresh token came back: someone else may hold it. End the whole family.
        _revoke_family(session, stored.family, now)
        return Unauthorized("The refresh token was already used; sign in again.")
    account = session.get(models.Account, stored.account_id)
    if account is None or account.disabled:
        return Unauthorized("The account is disabled.")
    stored.revoked_at = now
    return _issue(session, account, stored.family, settings)


def revoke(session: Session, token: str) -> None:
    """Sign out: the token's whole family (its access and refresh tokens) stops working."""
    stored = session.get(models.AuthToken, token_hash(token))
    if stored is not None:
        _revoke_family(session, stored.family, utcnow())


def account_for(session: Session, access_token: str) -> models.Account | None:
    stored = session.get(models.AuthToken, token_hash(access_token))
    if stored is None or stored.kind != "access" or stored.revoked_at or stored.expires_at <= utcnow():
        return None
    account = session.get(models.Account, stored.account_id)
    return None if account is None or account.disabled else account
