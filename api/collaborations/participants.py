from sqlalchemy import select
from sqlmodel import Session, col

from api import crud, models
from api.audit import service as audit
from api.collaborations.schemas import Participant, ParticipantCreate, ParticipantUpdate
from api.enums import Role
from api.errors import NotFound
from api.pagination import PageQuery, paginate

P = models.Participant
SORTABLE = {"created_at": col(P.created_at), "updated_at": col(P.updated_at), "role": col(P.role)}


def find(session: Session, collaboration_id: str, id_: str) -> models.Participant | None:
    participant = session.get(P, id_)
    return (
        participant if participant is not None and participant.collaboration_id == collaboration_id else None
    )


def get(session: Session, collaboration_id: str, id_: str) -> models.Participant:
    participant = find(session, collaboration_id, id_)
    if participant is None:
        raise NotFound(f"No participant {id_!r} in collaboration {collaboration_id!r}.")
    return participant


def read(session: Session, participant: models.Participant) -> Participant:
    return Participant.model_validate(participant)


def of(session: Session, collaboration_id: str) -> list[models.Participant]:
    return list(session.scalars(select(P).where(col(P.collaboration_id) == collaboration_id)))


def list_(
    session: Session, collaboration_id: str, page: PageQuery, *, role: Role | None
) -> tuple[list[models.Participant], str | None]:
    stmt = select(P).where(col(P.collaboration_id) == collaboration_id)
    if role:
        stmt = stmt.where(col(P.role) == role)
    keyset = paginate(stmt, page, SORTABLE, col(P.id), "created_at")
    return keyset.split(list(session.scalars(keyset.stmt)))


def create(session: Session, collaboration_id: str, data: ParticipantCreate) -> models.Participant:
    crud.require_exists(session, models.Stakeholder, data.stakeholder_id, "body.stakeholder_id")
    crud.ensure_unique(
        session,
        P,
        "participant",
        None,
        collaboration_id=collaboration_id,
        stakeholder_id=data.stakeholder_id,
        role=data.role,
    )
    return crud.add(session, P(collaboration_id=collaboration_id, **data.model_dump()))


def update(session: Session, participant: models.Participant, data: ParticipantUpdate) -> models.Participant:
    changes = data.model_dump(exclude_unset=True)
    if "role" in changes:
        crud.ensure_unique(
            session,
            P,
            "participant",
            participant.id,
            collaboration_id=participant.collaboration_id,
            stakeholder_id=participant.stakeholder_id,
            role=changes["role"],
        )
    crud.ensure_in_order(participant, changes, "start_date", "end_date")
    crud.apply_changes(participant, changes)
    session.flush()
    return participant


def delete(session: Session, participant: models.Participant) -> None:
    crud.remove(session, participant, "participant", [])


def record_leaving(session: Session, collaboration: models.Collaboration) -> None:
    """The trail records each participant leaving with its collaboration."""
    for participant in of(session, collaboration.id):
        before = read(session, participant)
        audit.record(
            session, "participants", participant.id, before=before, after=None, parent_id=collaboration.id
        )
