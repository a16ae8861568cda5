from collections.abc import Sequence
from typing import Any

from sqlalchemy import SQLColumnExpression, select
from sqlalchemy.sql import ColumnElement
from sqlmodel import Session, col

from api import crud, models
from api.access import Access
from api.areas import service as areas
from api.audit import service as audit
from api.collaborations import participants
from api.collaborations.schemas import (
    Collaboration,
    CollaborationCreate,
    CollaborationFilters,
    CollaborationUpdate,
    ParticipantCreate,
)
from api.enums import Publication, Role
from api.pagination import PageQuery, paginate

C = models.Collaboration
SORTABLE = {
    "title": col(C.title),
    "kind": col(C.kind),
    "created_at": col(C.created_at),
    "updated_at": col(C.updated_at),
}
LINKS = ("outcome_ids", "area_ids")


def get(session: Session, id_: str) -> models.Collaboration:
    return crud.get_or_404(session, C, id_, "collaboration")


def to_schemas(session: Session, rows: Sequence[models.Collaboration]) -> list[Collaboration]:
    ids = [c.id for c in rows]
    CO, CA = models.CollaborationOutcome, models.CollaborationArea
    outcomes, area_ids = crud.load_links(
        session,
        ids,
        (col(CO.collaboration_id), col(CO.outcome_id)),
        (col(CA.collaboration_id), col(CA.area_id)),
    )
    return [
        Collaboration(**c.model_dump(), outcome_ids=outcomes[c.id], area_ids=area_ids[c.id]) for c in rows
    ]


def read(session: Session, collaboration: models.Collaboration) -> Collaboration:
    return to_schemas(session, [collaboration])[0]


def _in(link_column: SQLColumnExpression[str], where: ColumnElement[bool]) -> ColumnElement[bool]:
    return col(C.id).in_(select(link_column).where(where))


def list_(
    session: Session, page: PageQuery, filters: CollaborationFilters, *, published_only: bool
) -> tuple[list[Collaboration], str | None]:
    stmt = select(C)
    # Callers who do not see drafts get the published ones, whatever they asked for.
    publication = Publication.published if published_only else filters.publication
    if publication is not None:
        stmt = stmt.where(col(C.publication) == publication)
    if filters.kind is not None:
        stmt = stmt.where(col(C.kind) == filters.kind)
    if filters.scale is not None:
        stmt = stmt.where(col(C.scale) == filters.scale)
    if filters.funding_status is not None:
        stmt = stmt.where(col(C.funding_status) == filters.funding_status)
    if filters.lighthouse is not None:
        stmt = stmt.where(col(C.lighthouse) == filters.lighthouse)
    CO, CA, P = models.CollaborationOutcome, models.CollaborationArea, models.Participant
    if filters.outcome:
        stmt = stmt.where(_in(col(CO.collaboration_id), col(CO.outcome_id) == filters.outcome))
    if filters.mission:
        Out = models.Outcome
        outcomes = select(col(Out.id)).where(col(Out.mission_id) == filters.mission)
        stmt = stmt.where(_in(col(CO.collaboration_id), col(CO.outcome_id).in_(outcomes)))
    if filters.area:
        inside = areas.within(session, filters.area)
        stmt = stmt.where(_in(col(CA.collaboration_id), col(CA.area_id).in_(inside)))
    if filters.stakeholder:
        stmt = stmt.where(_in(col(P.collaboration_id), col(P.stakeholder_id) == filters.stakeholder))
    stmt = crud.text_filter(stmt, filters.q, col(C.title), col(C.description))
    keyset = paginate(stmt, page, SORTABLE, col(C.id), "title")
    rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
    return to_schemas(session, rows), next_cursor


def _set_links(session: Session, collaboration_id: str, data: dict[str, Any]) -> bool:
    changed = False
    if "outcome_ids" in data:
        wanted = crud.require_all(
            session, col(models.Outcome.id), data["outcome_ids"], "body.outcome_ids", "outcome(s)"
        )
        changed |= crud.replace_links(
            session, models.CollaborationOutcome, "collaboration_id", collaboration_id, "outcome_id", wanted
        )
    if "area_ids" in data:
        ids = areas.resolve_ids(session, data["area_ids"], "body.area_ids")
        changed |= crud.replace_links(
            session, models.CollaborationArea, "collaboration_id", collaboration_id, "area_id", ids
        )
    return changed


def create(session: Session, data: CollaborationCreate) -> models.Collaboration:
    values = data.model_dump()
    values["publication"] = values["publication"] or Publication.published
    crud.ensure_external_key(session, C, "collaboration", None, values)
    collaboration = crud.add(session, C(**{k: v for k, v in values.items() if k not in LINKS}))
    _set_links(session, collaboration.id, values)
    return collaboration


def propose(session: Session, access: Access, data: CollaborationCreate) -> models.Collaboration:
    """A partner's collaboration is a draft, led by the partner's organisation."""
    lead = access.partner_of
    if lead is None:
        return create(session, data)
    proposal = create(session, data.model_copy(update={"publication": Publication.draft}))
    participant = participants.create(
        session, proposal.id, ParticipantCreate(stakeholder_id=lead, role=Role.lead)
    )
    after = participants.read(session, participant)
    audit.record(session, "participants", participant.id, before=None, after=after, parent_id=proposal.id)
    return proposal


def update(
    session: Session, collaboration: models.Collaboration, data: CollaborationUpdate
) -> models.Collaboration:
    changes = data.model_dump(exclude_unset=True)
    crud.ensure_in_order(collaboration, changes, "start_date", "end_date")
    crud.ensure_external_key(session, C, "collaboration", collaboration, changes)
    links_changed = _set_links(session, collaboration.id, changes)
    scalars = {k: v for k, v in changes.items() if k not in LINKS}
    crud.apply_changes(collaboration, scalars, links_changed=links_changed)
    session.flush()
    return collaboration


def delete(session: Session, collaboration: models.Collaboration) -> None:
    # Participants belong to the collaboration and go with it; measured values do not.
    crud.remove(
        session,
        collaboration,
        "collaboration",
        [
            (col(models.Baseline.collaboration_id), "baselines"),
            (col(models.Target.collaboration_id), "targets"),
            (col(models.Observation.collaboration_id), "observations"),
        ],
    )
