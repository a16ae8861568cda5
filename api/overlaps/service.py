"""Likely duplicated effort among collaborations, via api.insights.overlaps."""

from collections import defaultdict

from sqlalchemy import select
from sqlmodel import Session, col

from api import models
from api.areas import service as areas
from api.cache import cached, data_version
from api.enums import Publication
from api.insights import overlaps
from api.overlaps.schemas import Overlap, Side


def _pairs(session: Session, mission: str | None, public: bool, min_score: float) -> list[Overlap]:
    C, CO, CA, P = (
        models.Collaboration,
        models.CollaborationOutcome,
        models.CollaborationArea,
        models.Participant,
    )
    stmt = select(C).order_by(col(C.id))
    if public:
        stmt = stmt.where(col(C.publication) == Publication.published)
    if mission:
        outcomes = select(col(models.Outcome.id)).where(col(models.Outcome.mission_id) == mission)
        stmt = stmt.where(
            col(C.id).in_(select(col(CO.collaboration_id)).where(col(CO.outcome_id).in_(outcomes)))
        )
    rows = list(session.scalars(stmt))
    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for table, column, field in (
        (CO, CO.outcome_id, "outcomes"),
        (CA, CA.area_id, "areas"),
        (P, P.stakeholder_id, "members"),
    ):
        for owner, value in session.execute(select(col(table.collaboration_id), col(column))):
            links[owner][field].add(value)
    all_areas = sorted({a for owned in links.values() for a in owned["areas"]})
    containing = areas.containing_each(session, all_areas)
    activities = [
        overlaps.Activity(
            id=c.id,
            text=f"{c.title}. {c.description or ''}",
            outcomes=frozenset(links[c.id]["outcomes"]),
            areas=frozenset(links[c.id]["areas"]),
            members=frozenset(links[c.id]["members"]),
        )
        for c in rows
    ]
    titles = {c.id: c.title for c in rows}
    return [
        Overlap(
            a=Side(id=o.a, title=titles[o.a]),
            b=Side(id=o.b, title=titles[o.b]),
            score=o.score,
            text_similarity=o.text,
            shared_outcome_ids=sorted(o.outcomes),
            area_overlap=round(o.area_overlap, 6),
            shared_stakeholder_ids=sorted(o.members),
            reasons=list(o.reasons),
        )
        for o in overlaps.overlaps(activities, containing, min_score)
    ]


def find(session: Session, mission: str | None, public: bool, min_score: float) -> list[Overlap]:
    """Cached per data version, like the network: text similarity over thousands is not free."""
    key = ("overlaps", mission, public, min_score, data_version(session))
    found, _ = cached(key, lambda: _pairs(session, mission, public, min_score))
    return found
