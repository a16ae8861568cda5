"""Likely duplicated effort among collaborations (the method: api.overlaps.compute), per data version."""

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, select
from sqlmodel import Session, col

from api import models
from api.areas import service as areas
from api.cache import per_data_version
from api.enums import Publication
from api.overlaps import compute
from api.overlaps.schemas import Overlap, Side

Rows = Select[*tuple[Any, ...]]  # a statement of any columns
ID_CHUNK = 5000  # bound parameters per statement, well under PostgreSQL's 65,535


def _collaborations(mission: str | None, public: bool) -> Rows:
    C, CO, Out = models.Collaboration, models.CollaborationOutcome, models.Outcome
    stmt: Rows = select(col(C.id), col(C.title), col(C.description))
    if public:
        stmt = stmt.where(col(C.publication) == Publication.published)
    if mission:
        outcomes = select(col(Out.id)).where(col(Out.mission_id) == mission)
        stmt = stmt.where(
            col(C.id).in_(select(col(CO.collaboration_id)).where(col(CO.outcome_id).in_(outcomes)))
        )
    return stmt


def _kinds(session: Session, ids: list[str]) -> dict[str, str]:
    """Each area's kind: the region-wide ones say nothing about two collaborations."""
    A = models.Area
    kinds: dict[str, str] = {}
    for start in range(0, len(ids), ID_CHUNK):
        stmt = select(col(A.id), col(A.kind)).where(col(A.id).in_(ids[start : start + ID_CHUNK]))
        kinds.update((id_, kind) for id_, kind in session.execute(stmt))
    return kinds


@per_data_version
def find(session: Session, mission: str | None, public: bool, min_score: float) -> list[Overlap]:
    """Every likely duplicate, highest score first: text similarity over thousands is not free."""
    CO, CA, P = models.CollaborationOutcome, models.CollaborationArea, models.Participant
    chosen = _collaborations(mission, public)
    rows = list(session.execute(chosen.order_by(col(models.Collaboration.id))))
    ids = [id_ for id_, _, _ in rows]
    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for table, column, field in (
        (CO, CO.outcome_id, "outcomes"),
        (CA, CA.area_id, "areas"),
        (P, P.stakeholder_id, "members"),
    ):
        owner_column = col(table.collaboration_id)
        # The ids themselves, not the subquery again: without statistics (a transaction that
        # wrote them) PostgreSQL planned nested scans that ran for minutes on a few hundred rows.
        for start in range(0, len(ids), ID_CHUNK):
            stmt = select(owner_column, col(column)).where(owner_column.in_(ids[start : start + ID_CHUNK]))
            for owner, value in session.execute(stmt):
                links[owner][field].add(value)
    all_areas = sorted({a for owned in links.values() for a in owned["areas"]})
    containing = areas.containing_each(session, all_areas)
    broad = compute.region_wide(_kinds(session, all_areas))
    activities = [
        compute.Activity(
            id=id_,
            title=title,
            description=description or "",
            outcomes=frozenset(links[id_]["outcomes"]),
            areas=frozenset(links[id_]["areas"]),
            members=frozenset(links[id_]["members"]),
        )
        for id_, title, description in rows
    ]
    titles = {id_: title for id_, title, _ in rows}
    return [
        Overlap(
            a=Side(id=o.a, title=titles[o.a]),
            b=Side(id=o.b, title=titles[o.b]),
            score=o.score,
            text_similarity=round(o.text, 6),
            shared_terms=list(o.terms),
            shared_outcome_ids=sorted(o.outcomes),
            outcome_overlap=round(o.outcome_overlap, 6),
            area_overlap=round(o.area_overlap, 6),
            shared_stakeholder_ids=sorted(o.members),
            member_overlap=round(o.member_overlap, 6),
            reasons=list(o.reasons),
        )
        for o in compute.overlaps(activities, containing, min_score, broad)
    ]
