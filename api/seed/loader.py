"""Load a region's roadmap data file idempotently, matching what exists by natural key.

What is missing is inserted. An area or organisation that exists is brought up to date with
the file only while the audit trail shows no one but the loader has written it; once a user
(or an import) has, it is theirs and is kept as it is. Everything else that exists is kept.
"""

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import or_, select
from sqlmodel import Session, col

from api import models
from api.areas import service as areas
from api.areas.schemas import AreaCreate, AreaUpdate
from api.audit import service as audit
from api.collaborations import participants
from api.collaborations import service as collaborations
from api.collaborations.schemas import CollaborationCreate, ParticipantCreate
from api.db import analyze
from api.metrics import service as metrics
from api.metrics import values
from api.metrics.schemas import BaselineCreate, MetricCreate
from api.missions import service as missions
from api.missions.schemas import MissionCreate
from api.outcomes import service as outcomes
from api.outcomes.schemas import OutcomeCreate
from api.roadmaps import service as roadmaps
from api.roadmaps.schemas import RoadmapCreate
from api.seed.backfill import backfill
from api.seed.schemas import SeedBaseline, SeedFile, SeedMetric
from api.stakeholders import service as stakeholders
from api.stakeholders.schemas import StakeholderCreate, StakeholderUpdate
from api.support import service as support
from api.support.schemas import SupportSchemeCreate

WEST_MIDLANDS = Path(__file__).with_name("west_midlands.json")
R = TypeVar("R", bound=models.Record)
Changes = TypeVar("Changes", bound=BaseModel)


def read(path: Path = WEST_MIDLANDS) -> SeedFile:
    return SeedFile.model_validate_json(path.read_text(encoding="utf-8"))


def _first(session: Session, model: type[Any], **where: Any) -> Any:
    stmt = select(model).where(*(getattr(model, k) == v for k, v in where.items()))
    return session.scalars(stmt.limit(1)).first()


def _written_by_others(session: Session, resource: str) -> set[str]:
    """Ids of the records of this kind someone other than the loader has created or changed."""
    C, me = models.Change, audit.LOADER
    others = or_(col(C.actor_kind) != me.kind, col(C.actor_name) != me.name)
    return set(session.scalars(select(col(C.resource_id)).where(col(C.resource) == resource, others)))


class Loader:
    def __init__(self, session: Session, seed: SeedFile) -> None:
        self.session, self.seed = session, seed
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.area: dict[str, str] = {}
        self.stakeholder: dict[str, str] = {}
        self.outcome: dict[str, str] = {}
        self.collaboration: dict[str, str] = {}

    def run(self) -> Counter[str]:
        self.areas()
        roadmap_id = self.roadmap()
        self.stakeholders()
        self.missions(roadmap_id)
        self.collaborations()
        for metric in self.seed.metrics:
            self.metric(metric)
        self.support_schemes(roadmap_id)
        self.session.flush()
        return self.created

    def _made(self, kind: str) -> None:
        self.created[kind] += 1

    def _refresh(
        self,
        resource: str,
        record: R,
        read: Callable[[Session, R], BaseModel],
        update: Callable[[Session, R, Changes], R],
        data: Changes,
    ) -> None:
        """Give a record only the loader has written the file's values, recorded in the trail."""
        before, version = read(self.session, record), record.version
        update(self.session, record, data)
        if record.version != version:
            audit.record(self.session, resource, record.id, before=before, after=read(self.session, record))
            self.updated[resource] += 1

    def areas(self) -> None:
        theirs = _written_by_others(self.session, "areas")
        for a in self.seed.areas:
            found = (
                areas.find(self.session, a.code)
                if a.code
                else _first(self.session, models.Area, kind=a.kind, name=a.name)
            )
            parents = [self.area[p] for p in a.parents]
            if found is None:
                found = areas.create(
                    self.session, AreaCreate(code=a.code, name=a.name, kind=a.kind, parent_ids=parents)
                )
                self._made("areas")
            elif found.id not in theirs:
                data = AreaUpdate(name=a.name, kind=a.kind, parent_ids=parents)
                self._refresh("areas", found, areas.read, areas.update, data)
            self.area[a.key] = found.id

    def roadmap(self) -> str:
        r = self.seed.roadmap
        found = _first(self.session, models.Roadmap, key=r.key)
        if found is None:
            found = roadmaps.create(
                self.session,
                RoadmapCreate(
                    key=r.key,
                    title=r.title,
                    summary=r.summary,
                    area_id=self.area[r.area],
                    period_start=r.period_start,
                    period_end=r.period_end,
                ),
            )
            self._made("roadmaps")
        return str(found.id)

    def stakeholders(self) -> None:
        theirs = _written_by_others(self.session, "stakeholders")
        for s in self.seed.stakeholders:
            found = _first(self.session, models.Stakeholder, name=s.name)
            data = {
                **s.model_dump(exclude={"key", "areas", "source_doc"}),
                "area_ids": [self.area[a] for a in s.areas],
            }
            if found is None:
                found = stakeholders.create(self.session, StakeholderCreate(**data))
                self._made("stakeholders")
            elif found.id not in theirs:
                self._refresh(
                    "stakeholders", found, stakeholders.read, stakeholders.update, StakeholderUpdate(**data)
                )
            self.stakeholder[s.key] = found.id

    def missions(self, roadmap_id: str) -> None:
        for m in self.seed.missions:
            mission = _first(self.session, models.Mission, roadmap_id=roadmap_id, code=m.code)
            if mission is None:
                mission = missions.create(
                    self.session,
                    MissionCreate(
                        roadmap_id=roadmap_id,
                        code=m.code,
                        title=m.title,
                        summary=m.summary,
                        foundation=m.foundation,
                    ),
                )
                self._made("missions")
            for o in m.outcomes:
                outcome = _first(self.session, models.Outcome, mission_id=mission.id, code=o.code)
                if outcome is None:
                    outcome = outcomes.create(
                        self.session,
                        OutcomeCreate(
                            mission_id=mission.id, code=o.code, title=o.title, description=o.description
                        ),
                    )
                    self._made("outcomes")
                self.outcome[o.code] = outcome.id

    def collaborations(self) -> None:
        for c in self.seed.collaborations:
            found = _first(self.session, models.Collaboration, title=c.title)
            if found is None:
                data = c.model_dump(exclude={"key", "outcomes", "areas", "participants", "source_doc"})
                found = collaborations.create(
                    self.session,
                    CollaborationCreate(
                        **data,
                        outcome_ids=[self.outcome[o] for o in c.outcomes],
                        area_ids=[self.area[a] for a in c.areas],
                    ),
                )
                self._made("collaborations")
                for p in c.participants:
                    participants.create(
                        self.session,
                        found.id,
                        ParticipantCreate(stakeholder_id=self.stakeholder[p.stakeholder], role=p.role),
                    )
                    self._made("participants")
            self.collaboration[c.key] = found.id

    def metric(self, m: SeedMetric) -> None:
        found = _first(self.session, models.Metric, code=m.code)
        if found is None:
            data = m.model_dump(exclude={"outcomes", "baselines"})
            found = metrics.create(
                self.session, MetricCreate(**data, outcome_ids=[self.outcome[o] for o in m.outcomes])
            )
            self._made("metrics")
        for b in m.baselines:
            self.baseline(found.id, b)

    def baseline(self, metric_id: str, b: SeedBaseline) -> None:
        collaboration_id = self.collaboration[b.collaboration] if b.collaboration else None
        area_id = self.area[b.area]
        if (
            _first(
                self.session,
                models.Baseline,
                metric_id=metric_id,
                area_id=area_id,
                collaboration_id=collaboration_id,
            )
            is None
        ):
            data = b.model_dump(exclude={"area", "collaboration", "source_doc"})
            values.BASELINES.create(
                self.session,
                metric_id,
                BaselineCreate(**data, area_id=area_id, collaboration_id=collaboration_id),
            )
            self._made("baselines")

    def support_schemes(self, roadmap_id: str) -> None:
        mission_ids = {
            m.code: m.id
            for m in self.session.scalars(
                select(models.Mission).where(col(models.Mission.roadmap_id) == roadmap_id)
            )
        }
        for scheme in self.seed.support_schemes:
            if _first(self.session, models.SupportScheme, name=scheme.name) is not None:
                continue
            data = scheme.model_dump(exclude={"provider", "areas", "missions", "source_doc"})
            support.create(
                self.session,
                SupportSchemeCreate(
                    **data,
                    provider_id=self.stakeholder[scheme.provider] if scheme.provider else None,
                    area_ids=[self.area[a] for a in scheme.areas],
                    mission_ids=[mission_ids[m] for m in scheme.missions],
                ),
            )
            self._made("support_schemes")


def load(session: Session, seed: SeedFile | None = None) -> Counter[str]:
    """Insert what is missing and refresh what is still the loader's.

    Returns how many records of each kind were created ("areas") and updated ("areas updated").
    Anything older than the audit trail is recorded as created first, so every record has a
    trail to judge whose it is by; everything inserted is recorded as created afterwards, so
    the change feed carries the roadmap data too.
    """
    audit.act_as(session, audit.LOADER)
    backfill(session)
    loader = Loader(session, seed or read())
    counts = loader.run()
    backfill(session)
    analyze(session)
    return counts + Counter({f"{kind} updated": n for kind, n in loader.updated.items()})
