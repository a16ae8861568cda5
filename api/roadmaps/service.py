from sqlalchemy import select
from sqlmodel import Session, col

from api import crud, models
from api.areas import service as areas
from api.pagination import PageQuery, paginate
from api.roadmaps.schemas import Roadmap, RoadmapCreate, RoadmapUpdate

M = models.Roadmap
SORTABLE = {
    "title": col(M.title),
    "key": col(M.key),
    "created_at": col(M.created_at),
    "updated_at": col(M.updated_at),
}


def get(session: Session, id_: str) -> models.Roadmap:
    return crud.get_or_404(session, M, id_, "roadmap")


def list_(
    session: Session, page: PageQuery, *, area: str | None, q: str | None
) -> tuple[list[models.Roadmap], str | None]:
    stmt = select(M)
    if area:
        stmt = stmt.where(col(M.area_id) == areas.get(session, area).id)
    stmt = crud.text_filter(stmt, q, col(M.title), col(M.summary))
    keyset = paginate(stmt, page, SORTABLE, col(M.id), "title")
    return keyset.split(list(session.scalars(keyset.stmt)))


def _resolve_area(session: Session, ref: str | None) -> str | None:
    return areas.resolve_ids(session, [ref], "body.area_id")[0] if ref else None


def read(session: Session, roadmap: models.Roadmap) -> Roadmap:
    return Roadmap.model_validate(roadmap)


def create(session: Session, data: RoadmapCreate) -> models.Roadmap:
    crud.ensure_unique(session, M, "roadmap", None, key=data.key)
    values = data.model_dump()
    values["area_id"] = _resolve_area(session, data.area_id)
    return crud.add(session, M(**values))


def update(session: Session, roadmap: models.Roadmap, data: RoadmapUpdate) -> models.Roadmap:
    changes = data.model_dump(exclude_unset=True)
    if "key" in changes:
        crud.ensure_unique(session, M, "roadmap", roadmap.id, key=changes["key"])
    if "area_id" in changes:
        changes["area_id"] = _resolve_area(session, changes["area_id"])
    crud.ensure_in_order(roadmap, changes, "period_start", "period_end")
    crud.apply_changes(roadmap, changes)
    session.flush()
    return roadmap


def delete(session: Session, roadmap: models.Roadmap) -> None:
    crud.remove(session, roadmap, "roadmap", [(col(models.Mission.roadmap_id), "missions")])
