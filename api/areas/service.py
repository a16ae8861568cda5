import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import literal, select
from sqlmodel import Session, col

from api import crud, models
from api.areas.schemas import GSS_PATTERN, Area, AreaCreate, AreaUpdate
from api.enums import AreaKind
from api.errors import Conflict, NotFound, ValidationFailed
from api.pagination import PageQuery, paginate

A = models.Area
AP = models.AreaParent
_GSS = re.compile(GSS_PATTERN)
SORTABLE = {
    "name": col(A.name),
    "created_at": col(A.created_at),
    "updated_at": col(A.updated_at),
    "kind": col(A.kind),
}


def find(session: Session, ref: str) -> models.Area | None:
    """An area by id or by GSS code."""
    if _GSS.match(ref):
        return session.scalars(select(A).where(col(A.code) == ref)).first()
    return session.get(A, ref)


def get(session: Session, ref: str) -> models.Area:
    area = find(session, ref)
    if area is None:
        raise NotFound(f"No area with id or code {ref!r}.")
    return area


def resolve_ids(session: Session, refs: Iterable[str], field: str) -> list[str]:
    """Turn ids or GSS codes into ids; 422 naming the field for any unknown one."""
    refs = list(dict.fromkeys(refs))
    codes = [r for r in refs if _GSS.match(r)]
    by_code: dict[str, str] = {}
    if codes:
        query = select(col(A.code), col(A.id)).where(col(A.code).in_(codes))
        by_code = dict(session.execute(query).all())
    ids = crud.existing_ids(session, col(A.id), (r for r in refs if r not in codes))
    missing = [r for r in refs if r not in by_code and r not in ids]
    if missing:
        raise ValidationFailed.single(field, f"Unknown area(s): {', '.join(missing)}.")
    return [by_code.get(r, r) for r in refs]


def within(session: Session, ref: str) -> Any:
    """A subquery of the area's id and every area inside it, however deep."""
    area = get(session, ref)
    tree = select(literal(area.id).label("id")).cte("area_tree", recursive=True)
    child = select(col(AP.area_id)).where(col(AP.parent_id) == tree.c.id)
    tree = tree.union(child)
    return select(tree.c.id)


def containing_each(session: Session, ids: Sequence[str]) -> dict[str, frozenset[str]]:
    """Each area with every area that contains it, however far up: one query per level."""
    parents: dict[str, list[str]] = {}
    frontier = set(ids)
    while frontier:  # areas nest a few levels deep: ward, authority, region, nation
        found = parents_of(session, sorted(frontier))
        parents.update(found)
        frontier = {p for ps in found.values() for p in ps} - parents.keys()
    closures: dict[str, frozenset[str]] = {}

    def up(area: str) -> frozenset[str]:
        if area not in closures:
            closures[area] = frozenset({area})  # guards against a cycle in bad data
            closures[area] = frozenset({area}).union(*(up(p) for p in parents.get(area, [])))
        return closures[area]

    return {area: up(area) for area in ids}


def containing(session: Session, ids: Sequence[str]) -> set[str]:
    """These areas and every area that contains them, however far up."""
    return set().union(*containing_each(session, ids).values())


def parents_of(session: Session, ids: Sequence[str]) -> dict[str, list[str]]:
    return crud.load_links(session, ids, (col(AP.area_id), col(AP.parent_id)))[0]


def to_schema(area: models.Area, parents: list[str]) -> Area:
    return Area(**area.model_dump(), parent_ids=parents)


def read(session: Session, area: models.Area) -> Area:
    return to_schema(area, parents_of(session, [area.id])[area.id])


def list_(
    session: Session,
    page: PageQuery,
    *,
    kind: AreaKind | None,
    parent: str | None,
    q: str | None,
) -> tuple[list[Area], str | None]:
    stmt = select(A)
    if kind:
        stmt = stmt.where(col(A.kind) == kind)
    if parent:
        parent_id = get(session, parent).id
        stmt = stmt.where(col(A.id).in_(select(col(AP.area_id)).where(col(AP.parent_id) == parent_id)))
    stmt = crud.text_filter(stmt, q, col(A.name), col(A.code))
    keyset = paginate(stmt, page, SORTABLE, col(A.id), "name")
    rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
    parents = parents_of(session, [a.id for a in rows])
    return [to_schema(a, parents[a.id]) for a in rows], next_cursor


def _check_parents(session: Session, area_id: str, parent_ids: list[str]) -> None:
    if area_id in parent_ids:
        raise ValidationFailed.single("body.parent_ids", "An area cannot be its own parent.")
    inside = set(session.scalars(within(session, area_id)))
    if inside.intersection(parent_ids):
        raise ValidationFailed.single(
            "body.parent_ids", "A parent cannot lie within the area itself (that makes a cycle)."
        )


def create(session: Session, data: AreaCreate) -> models.Area:
    parent_ids = resolve_ids(session, data.parent_ids, "body.parent_ids")
    _unique_code(session, data.code, None)
    area = crud.add(session, models.Area(**data.model_dump(exclude={"parent_ids"})))
    crud.replace_links(session, models.AreaParent, "area_id", area.id, "parent_id", parent_ids)
    return area


def update(session: Session, area: models.Area, data: AreaUpdate) -> models.Area:
    changes = data.model_dump(exclude_unset=True)
    parents_changed = False
    if "parent_ids" in changes:
        parent_ids = resolve_ids(session, changes.pop("parent_ids"), "body.parent_ids")
        _check_parents(session, area.id, parent_ids)
        parents_changed = crud.replace_links(
            session, models.AreaParent, "area_id", area.id, "parent_id", parent_ids
        )
    if "code" in changes:
        _unique_code(session, changes["code"], area.id)
    crud.apply_changes(area, changes, links_changed=parents_changed)
    session.flush()
    return area


def _unique_code(session: Session, code: str | None, own_id: str | None) -> None:
    if code is None:
        return
    other = find(session, code)
    if other is not None and other.id != own_id:
        raise Conflict(f"Another area already has the code {code}.")


def delete(session: Session, area: models.Area) -> None:
    crud.remove(
        session,
        area,
        "area",
        [
            (col(AP.parent_id), "child areas"),
            (col(models.StakeholderArea.area_id), "stakeholders"),
            (col(models.CollaborationArea.area_id), "collaborations"),
            (col(models.Roadmap.area_id), "roadmaps"),
            (col(models.Baseline.area_id), "baselines"),
            (col(models.Target.area_id), "targets"),
            (col(models.Observation.area_id), "observations"),
        ],
    )
