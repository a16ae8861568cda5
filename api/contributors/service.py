"""Who serves a mission's outcomes, through what, and the mission's funding pipeline."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlmodel import Session, col

from api import models
from api.contributors import schemas as s
from api.enums import FundingStatus, Publication
from api.progress import service as progress


@dataclass
class _Tally:
    org: models.Stakeholder
    collaborations: set[str] = field(default_factory=set)
    leads: set[str] = field(default_factory=set)
    outcomes: set[str] = field(default_factory=set)


def contributors(session: Session, mission: models.Mission, as_of: dt.date, public: bool) -> s.Contributors:
    Out, CO, C, P, S = (
        models.Outcome,
        models.CollaborationOutcome,
        models.Collaboration,
        models.Participant,
        models.Stakeholder,
    )
    outcomes = list(
        session.scalars(select(Out).where(col(Out.mission_id) == mission.id).order_by(col(Out.code)))
    )
    links = select(col(CO.outcome_id), C).join(C, col(C.id) == col(CO.collaboration_id))
    links = links.where(col(CO.outcome_id).in_([o.id for o in outcomes]))
    if public:
        links = links.where(col(C.publication) == Publication.published)
    serving: dict[str, list[models.Collaboration]] = defaultdict(list)
    collaborations: dict[str, models.Collaboration] = {}
    for outcome_id, collaboration in session.execute(links):
        serving[outcome_id].append(collaboration)
        collaborations[collaboration.id] = collaboration
    members: dict[str, list[tuple[models.Participant, models.Stakeholder]]] = defaultdict(list)
    rows = (
        select(P, S)
        .join(S, col(S.id) == col(P.stakeholder_id))
        .where(col(P.collaboration_id).in_(list(collaborations)))
    )
    for participant, stakeholder in session.execute(rows):
        members[participant.collaboration_id].append((participant, stakeholder))

    per_outcome, _ = progress.outcome_summaries(session, outcomes, as_of, public)

    def activity(c: models.Collaboration) -> s.Activity:
        people = sorted(members[c.id], key=lambda ps: (ps[0].role != "lead", ps[1].name))
        return s.Activity(
            collaboration_id=c.id,
            title=c.title,
            funding_status=FundingStatus(c.funding_status) if c.funding_status else None,
            funding_amount_pence=c.funding_amount_pence,
            lighthouse=c.lighthouse,
            members=[s.Member(stakeholder_id=st.id, name=st.name, role=p.role) for p, st in people],
        )

    parts = [
        s.OutcomeContribution(
            outcome_id=o.id,
            code=o.code,
            title=o.title,
            progress=per_outcome[o.id],
            collaborations=[
                activity(c) for c in sorted(serving[o.id], key=lambda c: (not c.lighthouse, c.title))
            ],
        )
        for o in outcomes
    ]

    tally: dict[str, _Tally] = {}
    for outcome_id, serving_collaborations in serving.items():
        for c in serving_collaborations:
            for participant, stakeholder in members[c.id]:
                entry = tally.setdefault(stakeholder.id, _Tally(stakeholder))
                entry.collaborations.add(c.id)
                entry.outcomes.add(outcome_id)
                if participant.role == "lead":
                    entry.leads.add(c.id)
    organisations = sorted(
        (
            s.Contributor(
                stakeholder_id=sid,
                name=e.org.name,
                kind=e.org.kind,
                collaborations=len(e.collaborations),
                leads=len(e.leads),
                outcome_ids=sorted(e.outcomes),
            )
            for sid, e in tally.items()
        ),
        key=lambda c: (-c.collaborations, -c.leads, c.name),
    )

    pipeline = {
        key: s.Pipeline(count=0, amount_pence=0, without_amount=0)
        for key in ("funded", "seeking", "exploring", "unknown")
    }
    for c in collaborations.values():
        stage = pipeline[c.funding_status or "unknown"]
        stage.count += 1
        if c.funding_amount_pence is None:
            stage.without_amount += 1
        else:
            stage.amount_pence += c.funding_amount_pence
    return s.Contributors(
        mission_id=mission.id, outcomes=parts, organisations=organisations, pipeline=pipeline
    )
