"""Who serves a mission's outcomes, through what, and the mission's funding pipeline.

One query per level (the outcomes, the collaborations serving them, their members) and the
outcomes' progress; columns only, no ORM objects. Kept per data version.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import select
from sqlmodel import Session, col

from api import models
from api.cache import per_data_version
from api.contributors import schemas as s
from api.enums import FundingStatus, Publication
from api.missions import service as missions
from api.progress import service as progress


class _Collaboration(NamedTuple):
    id: str
    title: str
    funding_status: str | None
    funding_amount_pence: int | None
    lighthouse: bool


class _Member(NamedTuple):
    collaboration_id: str
    role: str
    stakeholder_id: str
    name: str
    kind: str


@dataclass
class _Tally:
    name: str
    kind: str
    collaborations: set[str] = field(default_factory=set)
    leads: set[str] = field(default_factory=set)
    outcomes: set[str] = field(default_factory=set)


def _serving(
    session: Session, outcome_ids: list[str], public: bool
) -> tuple[dict[str, list[_Collaboration]], dict[str, _Collaboration]]:
    """Per outcome, the collaborations serving it; and each of them once."""
    CO, C = models.CollaborationOutcome, models.Collaboration
    stmt = select(
        col(CO.outcome_id),
        col(C.id),
        col(C.title),
        col(C.funding_status),
        col(C.funding_amount_pence),
        col(C.lighthouse),
    ).join(C, col(C.id) == col(CO.collaboration_id))
    stmt = stmt.where(col(CO.outcome_id).in_(outcome_ids))
    if public:
        stmt = stmt.where(col(C.publication) == Publication.published)
    serving: dict[str, list[_Collaboration]] = defaultdict(list)
    collaborations: dict[str, _Collaboration] = {}
    for outcome_id, *values in session.execute(stmt):
        collaboration = collaborations.setdefault(values[0], _Collaboration(*values))
        serving[outcome_id].append(collaboration)
    return serving, collaborations


def _members(session: Session, outcome_ids: list[str], public: bool) -> dict[str, list[_Member]]:
    """Each serving collaboration's members, leads first, then by name."""
    P, S, CO, C = models.Participant, models.Stakeholder, models.CollaborationOutcome, models.Collaboration
    serving = select(col(CO.collaboration_id)).where(col(CO.outcome_id).in_(outcome_ids))
    if public:
        published = select(col(C.id)).where(col(C.publication) == Publication.published)
        serving = serving.where(col(CO.collaboration_id).in_(published))
    stmt = (
        select(col(P.collaboration_id), col(P.role), col(S.id), col(S.name), col(S.kind))
        .join(S, col(S.id) == col(P.stakeholder_id))
        .where(col(P.collaboration_id).in_(serving))
    )
    members: dict[str, list[_Member]] = defaultdict(list)
    for values in session.execute(stmt):
        member = _Member(*values)
        members[member.collaboration_id].append(member)
    for people in members.values():
        people.sort(key=lambda m: (m.role != "lead", m.name, m.stakeholder_id))
    return members


def _activity(c: _Collaboration, members: list[_Member]) -> s.Activity:
    return s.Activity(
        collaboration_id=c.id,
        title=c.title,
        funding_status=FundingStatus(c.funding_status) if c.funding_status else None,
        funding_amount_pence=c.funding_amount_pence,
        lighthouse=c.lighthouse,
        members=[s.Member(stakeholder_id=m.stakeholder_id, name=m.name, role=m.role) for m in members],
    )


def _organisations(
    serving: dict[str, list[_Collaboration]], members: dict[str, list[_Member]]
) -> list[s.Contributor]:
    tally: dict[str, _Tally] = {}
    for outcome_id, collaborations in serving.items():
        for c in collaborations:
            for m in members[c.id]:
                entry = tally.setdefault(m.stakeholder_id, _Tally(m.name, m.kind))
                entry.collaborations.add(c.id)
                entry.outcomes.add(outcome_id)
                if m.role == "lead":
                    entry.leads.add(c.id)
    found = (
        s.Contributor(
            stakeholder_id=sid,
            name=e.name,
            kind=e.kind,
            collaborations=len(e.collaborations),
            leads=len(e.leads),
            outcome_ids=sorted(e.outcomes),
        )
        for sid, e in tally.items()
    )
    return sorted(found, key=lambda c: (-c.collaborations, -c.leads, c.name, c.stakeholder_id))


def _pipeline(collaborations: dict[str, _Collaboration]) -> dict[str, s.Pipeline]:
    pipeline = {
        key: s.Pipeline(count=0, amount_pence=0, without_amount=0, without_amount_ids=[])
        for key in ("funded", "seeking", "exploring", "unknown")
    }
    for c in sorted(collaborations.values(), key=lambda c: c.id):
        stage = pipeline[c.funding_status or "unknown"]
        stage.count += 1
        if c.funding_amount_pence is None:
            stage.without_amount += 1
            stage.without_amount_ids.append(c.id)
        else:
            stage.amount_pence += c.funding_amount_pence
    return pipeline


def _method(pipeline: dict[str, s.Pipeline]) -> str:
    funded = pipeline["funded"]
    gap = (
        f"{funded.without_amount} of the {funded.count} funded collaborations have no amount "
        "(pipeline.funded.without_amount_ids), so the funded total is a floor, not the whole."
        if funded.without_amount
        else "every funded collaboration has one, so the funded total is complete."
    )
    return (
        "Each collaboration serving one of the mission's outcomes counts once, under its "
        f"funding_status (unknown when it has none). amount_pence sums only the amounts recorded: {gap}"
    )


@per_data_version
def contributors(session: Session, mission_id: str, as_of: dt.date, public: bool) -> s.Contributors:
    mission = missions.get(session, mission_id)
    outcomes = progress.outcomes_of(session, mission.id)
    ids = [o.id for o in outcomes]
    serving, collaborations = _serving(session, ids, public)
    members = _members(session, ids, public)
    per_outcome, _ = progress.outcome_summaries(session, outcomes, as_of, public)
    activities = {c.id: _activity(c, members[c.id]) for c in collaborations.values()}
    parts = [
        s.OutcomeContribution(
            outcome_id=o.id,
            code=o.code,
            title=o.title,
            progress=per_outcome[o.id],
            collaborations=[
                activities[c.id]
                for c in sorted(serving[o.id], key=lambda c: (not c.lighthouse, c.title, c.id))
            ],
        )
        for o in outcomes
    ]
    pipeline = _pipeline(collaborations)
    return s.Contributors(
        mission_id=mission.id,
        outcomes=parts,
        organisations=_organisations(serving, members),
        pipeline=pipeline,
        method=_method(pipeline),
    )
