from sqlalchemy import select
from sqlmodel import Session, col

from api import crud, models
from api.enums import Foundation
from api.missions.schemas import Mission, MissionCreate, MissionUpdate
from api.pagination import PageQuery, paginate

M = models.Mission
SORTABLE = {
    "code": col(M.code),
    "title": col(M.title),
    "created_at": col(M.created_at),
    "updated_at": col(M.updated_at),
}


def get(session: Session, id_: str) -> models.Mission:
    return crud.get_or_404(session, M, id_, "mission")


def list_(
    session: Session, page: PageQuery, *, roadmap: str | None, foundation: Foundation | None, q: str | None
) -> tuple[list[models.Mission], str | None]:
    stmt = select(M)
    if roadmap:
        stmt = stmt.where(col(M.roadmap_id) == roadmap)
    if foundation:
        stmt = stmt.where(col(M.foundation) == foundation)
    stmt = crud.text_filter(stmt, q, col(M.title), col(M.summary), col(M.code))
    keyset = paginate(stmt, page, SORTABLE, col(M.id), "code")
    return keyset.split(list(session.scalars(keyset.stmt)))


def read(session: Session, mission: models.Mission) -> Mission:
    return Mission.model_validate(mission)


def create(session: Session, data: MissionCreate) -> models.Mission:
    crud.require_exists(session, models.Roadmap, data.roadmap_id, "body.roadmap_id")
    crud.ensure_unique(session, M, "mission", None, roadmap_id=data.roadmap_id, code=data.code)
    return crud.add(session, M(**data.model_dump()))


def update(session: Session, mission: models.Mission, data: MissionUpdate) -> models.Mission:
    changes = data.model_dump(exclude_unset=True)
    if "code" in changes:
        crud.ensure_unique(
            session, M, "mission", mission.id, roadmap_id=mission.roadmap_id, code=changes["code"]
        )
    crud.apply_changes(mission, changes)
    session.flush()
    return mission


def delete(session: Session, mission: models.Mission) -> None:
    crud.remove(session, mission, "mission", [(col(models.Outcome.mission_id), "outcomes")])
