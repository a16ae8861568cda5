"""A "create" in the audit trail for every record that has none yet.

Records made before the trail existed (and everything `load-roadmap` inserts) enter the
change feed this way, in an order a mirror can apply: parents before children.
"""

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlmodel import Session, col

from api import models
from api.areas import service as areas
from api.audit import service as audit
from api.collaborations import service as collaborations
from api.collaborations.schemas import Participant
from api.metrics import service as metrics
from api.metrics import values
from api.missions import service as missions
from api.outcomes import service as outcomes
from api.roadmaps import service as roadmaps
from api.stakeholders import service as stakeholders
from api.stories import service as stories
from api.support import service as support

Reader = Callable[[Session, Any], BaseModel]


# resource, table, how the API shows one, and its parent for the trail.
ORDER: list[tuple[str, type[models.Record], Reader, str | None]] = [
    ("areas", models.Area, areas.read, None),
    ("roadmaps", models.Roadmap, roadmaps.read, None),
    ("stakeholders", models.Stakeholder, stakeholders.read, None),
    ("missions", models.Mission, missions.read, None),
    ("outcomes", models.Outcome, outcomes.read, None),
    ("metrics", models.Metric, metrics.read, None),
    ("collaborations", models.Collaboration, collaborations.read, None),
    ("participants", models.Participant, lambda s, p: Participant.model_validate(p), "collaboration_id"),
    *((k.plural, k.table, k.read, "metric_id") for k in values.KINDS),
    ("stories", models.Story, stories.read, None),
    ("support-schemes", models.SupportScheme, support.read, None),
]


def backfill(session: Session) -> int:
    """Record the records the trail does not know; returns how many."""
    recorded = 0
    for resource, table, read, parent in ORDER:
        known = select(col(models.Change.resource_id)).where(col(models.Change.resource) == resource)
        stmt = select(table).where(col(table.id).not_in(known)).order_by(col(table.created_at), col(table.id))
        for record in session.scalars(stmt):
            parent_id = getattr(record, parent) if parent else None
            audit.record(
                session, resource, record.id, before=None, after=read(session, record), parent_id=parent_id
            )
            recorded += 1
    return recorded
