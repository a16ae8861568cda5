"""Who may do what. Every route declares its rule with `allow()`; what a partner owns is
decided here and nowhere else.

- anonymous: reads published content; every write is 401.
- reader: reads everything, drafts and the audit trail included; writes are 403.
- partner: bound to one stakeholder; writes only what `PARTNER` below lets it own.
- editor: all roadmap content; admin: that and accounts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Depends, Request
from pydantic import BaseModel
from sqlalchemy import select
from sqlmodel import Session, col

from api import models
from api.audit.service import Actor, act_as
from api.auth.principal import OptionalPrincipal, Principal
from api.db import SessionDep
from api.enums import AccessRole, Publication, Role
from api.errors import Forbidden, Unauthorized

Action = Literal["read", "history", "create", "update", "delete", "erase"]
WRITERS = frozenset({AccessRole.admin, AccessRole.editor})
# The ownership test: (session, the partner's stakeholder id, the record, the body's fields).
Owns = Callable[[Session, str, Any, dict[str, Any]], bool]


def leads(session: Session, stakeholder_id: str, collaboration_id: str | None) -> bool:
    P = models.Participant
    stmt = select(col(P.id)).where(
        col(P.collaboration_id) == collaboration_id,
        col(P.stakeholder_id) == stakeholder_id,
        col(P.role) == Role.lead,
    )
    return collaboration_id is not None and session.scalars(stmt.limit(1)).first() is not None


def _collaboration_of(target: Any) -> str | None:
    # A participant belongs to its collaboration; a new participant's target is the collaboration.
    return target.collaboration_id if isinstance(target, models.Participant) else target.id


def _observation(session: Session, me: str, target: Any, data: dict[str, Any]) -> bool:
    current = target is None or leads(session, me, target.collaboration_id)
    moved_to = data.get("collaboration_id", target.collaboration_id if target else None)
    return current and leads(session, me, moved_to)


def _collaboration(session: Session, me: str, target: Any, data: dict[str, Any]) -> bool:
    return "publication" not in data and leads(session, me, target.id)


def _linked(session: Session, table: Any, column: str, story_id: str) -> list[str]:
    t = table.__table__
    return list(session.scalars(select(t.c[column]).where(t.c.story_id == story_id)))


def _story_concerns(
    session: Session, me: str, stakeholder_ids: list[str], collaboration_ids: list[str]
) -> bool:
    return me in stakeholder_ids or any(leads(session, me, c) for c in collaboration_ids)


def _story(session: Session, me: str, target: Any, data: dict[str, Any]) -> bool:
    """A partner's story is about its organisation, or a collaboration it leads, before and after."""
    if data.get("publication") == Publication.published:
        return False  # editors publish
    if target is not None:
        orgs = _linked(session, models.StoryStakeholder, "stakeholder_id", target.id)
        collaborations = _linked(session, models.StoryCollaboration, "collaboration_id", target.id)
        if not _story_concerns(session, me, orgs, collaborations):
            return False
        if not ({"stakeholder_ids", "collaboration_ids"} & data.keys()):
            return True
        data = {"stakeholder_ids": orgs, "collaboration_ids": collaborations, **data}
    return _story_concerns(session, me, data.get("stakeholder_ids", []), data.get("collaboration_ids", []))


def _referral(session: Session, me: str, target: Any, data: dict[str, Any]) -> bool:
    """A referral concerns the organisation referred, the one that referred it, and the provider."""
    scheme_id = target.scheme_id if target is not None else data.get("scheme_id")
    scheme = session.get(models.SupportScheme, scheme_id) if scheme_id else None
    parties = {scheme.provider_id if scheme else None}
    parties |= {target.stakeholder_id, target.referred_by_id} if target is not None else set()
    parties |= {data.get("stakeholder_id"), data.get("referred_by_id")} if target is None else set()
    return me in parties


PARTNER: dict[tuple[str, Action], Owns] = {
    ("referrals", "read"): _referral,
    ("referrals", "create"): _referral,
    ("referrals", "update"): _referral,
    ("referrals", "delete"): _referral,
    ("stories", "create"): _story,
    ("stories", "update"): _story,
    ("stories", "delete"): _story,
    ("stakeholders", "update"): lambda session, me, target, data: target.id == me,
    ("collaborations", "create"): lambda session, me, target, data: data.get("publication") != "published",
    ("collaborations", "update"): _collaboration,
    ("collaborations", "delete"): lambda session, me, target, data: (
        target.publication == Publication.draft and leads(session, me, target.id)
    ),
    ("participants", "create"): lambda session, me, target, data: leads(
        session, me, _collaboration_of(target)
    ),
    ("participants", "update"): lambda session, me, target, data: leads(
        session, me, _collaboration_of(target)
    ),
    ("participants", "delete"): lambda session, me, target, data: leads(
        session, me, _collaboration_of(target)
    ),
    ("observations", "create"): _observation,
    ("observations", "update"): _observation,
    ("observations", "delete"): _observation,
}
PARTNER_RULE = (
    "A partner may change its own organisation, the collaborations it leads and their participants, "
    "and observations on those collaborations; it may propose a collaboration as a draft, which an "
    "editor publishes, and write draft stories about itself or the collaborations it leads."
)


@dataclass(frozen=True)
class Access:
    """The caller and the rule a route declared; `check` applies the ownership test."""

    principal: Principal | None
    resource: str
    action: Action

    @property
    def sees_drafts(self) -> bool:
        return self.principal is not None

    @property
    def sees_personal(self) -> bool:
        return self.principal is not None and self.principal.role in WRITERS

    @property
    def partner_of(self) -> str | None:
        p = self.principal
        return p.stakeholder_id if p is not None and p.role == AccessRole.partner else None

    def can_see(self, session: Session, record: Any) -> bool:
        """A draft, or a record on a draft collaboration (a participant, a value): signed-in only."""
        if self.sees_drafts:
            return True
        if getattr(record, "publication", Publication.published) != Publication.published:
            return False
        on = getattr(record, "collaboration_id", None)
        return on is None or self.can_see(session, session.get(models.Collaboration, on))

    def can_read(self, session: Session, record: Any) -> bool:
        """What `can_see` allows; some records only the partners they concern."""
        rule, me = PARTNER.get((self.resource, "read")), self.partner_of
        return self.can_see(session, record) and (me is None or rule is None or rule(session, me, record, {}))

    def check(self, session: Session, target: Any = None, data: BaseModel | None = None) -> None:
        """403 unless the caller may act on `target`: a partner owns it (and what `data`
        would make of it); anyone signed in reads their own account."""
        own = SELF.get((self.resource, self.action))
        if own is not None and self.principal is not None:
            rule, refusal = own
            if not rule(self.principal, target):
                raise Forbidden(refusal)
            return
        me = self.partner_of
        if me is None:
            return
        fields = data.model_dump(exclude_unset=True) if data is not None else {}
        owns = PARTNER.get((self.resource, self.action))  # none: not a partner's to do (an import's row)
        if owns is None or not owns(session, me, target, fields):
            raise Forbidden(PARTNER_RULE)


# Not roadmap content: who may write these is decided by role alone (keys: see api_keys.service).
OWN_RULES = {
    "accounts": {AccessRole.admin},
    "api-keys": {AccessRole.admin, AccessRole.partner},
    # A partner's import is checked row by row against what it owns (Access.check).
    "imports": {AccessRole.admin, AccessRole.editor, AccessRole.partner},
}


def _own_account(principal: Principal, account: Any) -> bool:
    if principal.role == AccessRole.admin:
        return True
    return account is not None and principal.kind == "account" and principal.id == account.id


def _own_import(principal: Principal, record: Any) -> bool:
    """A partner sees its own organisation's imports; the team sees all."""
    if principal.role != AccessRole.partner or record is None:
        return True
    return record.stakeholder_id is not None and record.stakeholder_id == principal.stakeholder_id


# Rules for every signed-in caller, judged on the record (`None` for a list): (rule, refusal).
SELF: dict[tuple[str, Action], tuple[Callable[[Principal, Any], bool], str]] = {
    ("accounts", "read"): (_own_account, "Only administrators see other people's accounts."),
    ("imports", "read"): (_own_import, "A partner sees only its own organisation's imports."),
}
# Not public: who was referred where is between the organisations concerned and the team.
SIGNED_IN_READS = {"referrals"}


def may(principal: Principal, resource: str, action: Action) -> bool:
    """The role-level rule; a partner's ownership is checked against the record later."""
    if (resource, action) in SELF:
        return True
    if resource in OWN_RULES:
        return principal.role in OWN_RULES[resource]
    if action == "history" and resource in SIGNED_IN_READS:
        return principal.role != AccessRole.partner  # a trail spans parties; partners read records
    if action in ("history", "read") or principal.role in WRITERS:
        return True
    return principal.role == AccessRole.partner and (resource, action) in PARTNER


def allow(resource: str, action: Action) -> Any:
    """The dependency a route declares: who may call it at all (401 / 403)."""

    async def dependency(request: Request, session: SessionDep, principal: OptionalPrincipal) -> Access:
        if action != "read" or resource in OWN_RULES or resource in SIGNED_IN_READS:
            if principal is None:
                raise Unauthorized("Sign in, or send an API key.")
            if not may(principal, resource, action):
                partner = principal.role == AccessRole.partner
                raise Forbidden(
                    f"The {principal.role} role may not {action} {resource}."
                    + (f" {PARTNER_RULE}" if partner else "")
                )
            request_id = getattr(request.state, "request_id", None)
            act_as(session, Actor(principal.kind, principal.id, principal.name, request_id))
        return Access(principal, resource, action)

    # Read by api.openapi: credentials are optional here, so the operation's security lists `{}`.
    dependency.anonymous_allowed = (  # type: ignore[attr-defined]
        action == "read" and resource not in OWN_RULES and resource not in SIGNED_IN_READS
    )
    return Depends(dependency)
