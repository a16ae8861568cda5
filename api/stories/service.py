from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, SQLModel, col

from api import crud, models
from api.pagination import PageQuery, paginate
from api.stories.schemas import LINKS, Story, StoryCreate, StoryFilters, StoryUpdate

S = models.Story
SORTABLE = {
    "title": col(S.title),
    "created_at": col(S.created_at),
    "updated_at": col(S.updated_at),
}
# link field → (link table, its column, the table it points at, what to call it)
LINK_TABLES: dict[str, tuple[type[SQLModel], str, type[models.Record], str]] = {
    "stakeholder_ids": (models.StoryStakeholder, "stakeholder_id", models.Stakeholder, "stakeholder(s)"),
    "collaboration_ids": (
        models.StoryCollaboration,
        "collaboration_id",
        models.Collaboration,
        "collaboration(s)",
    ),
    "mission_ids": (models.StoryMission, "mission_id", models.Mission, "mission(s)"),
}


def get(session: Session, id_: str) -> models.Story:
    return crud.get_or_404(session, S, id_, "story")


def links(session: Session, ids: Sequence[str]) -> dict[str, dict[str, list[str]]]:
    """link field → story id → linked ids."""
    tables = [(table.__table__, column) for table, column, _, _ in LINK_TABLES.values()]  # type: ignore[attr-defined]
    found = crud.load_links(session, ids, *((t.c.story_id, t.c[column]) for t, column in tables))
    return dict(zip(LINK_TABLES, found, strict=True))


def to_schemas(session: Session, rows: Sequence[models.Story]) -> list[Story]:
    found = links(session, [r.id for r in rows])
    return [Story(**r.model_dump(), **{f: found[f][r.id] for f in LINKS}) for r in rows]


def read(session: Session, story: models.Story) -> Story:
    return to_schemas(session, [story])[0]


def list_(
    session: Session, page: PageQuery, filters: StoryFilters, *, published_only: bool
) -> tuple[list[Story], str | None]:
    stmt = select(S)
    if published_only:
        stmt = stmt.where(col(S.publication) == "published")
    if filters.kind is not None:
        stmt = stmt.where(col(S.kind) == filters.kind)
    if filters.publication is not None:
        stmt = stmt.where(col(S.publication) == filters.publication)
    if filters.metric is not None:
        stmt = stmt.where(col(S.metric_id) == filters.metric)
    linked = {
        "stakeholder_ids": filters.stakeholder,
        "collaboration_ids": filters.collaboration,
        "mission_ids": filters.mission,
    }
    for field, (table, column, _, _) in LINK_TABLES.items():
        wanted = linked[field]
        if wanted:
            t = table.__table__  # type: ignore[attr-defined]
            stmt = stmt.where(col(S.id).in_(select(t.c.story_id).where(t.c[column] == wanted)))
    stmt = crud.text_filter(stmt, filters.q, col(S.title), col(S.summary))
    keyset = paginate(stmt, page, SORTABLE, col(S.id), "-created_at")
    rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
    return to_schemas(session, rows), next_cursor


def _set_links(session: Session, story_id: str, data: dict[str, Any]) -> bool:
    changed = False
    for field, (table, column, target, what) in LINK_TABLES.items():
        if field in data:
            wanted = crud.require_all(session, col(target.id), data[field], f"body.{field}", what)
            changed |= crud.replace_links(session, table, "story_id", story_id, column, wanted)
    return changed


def create(session: Session, data: StoryCreate) -> models.Story:
    values = data.model_dump()
    crud.require_exists(session, models.Metric, values["metric_id"], "body.metric_id")
    story = crud.add(session, S(**{k: v for k, v in values.items() if k not in LINKS}))
    _set_links(session, story.id, values)
    return story


def update(session: Session, story: models.Story, data: StoryUpdate) -> models.Story:
    changes = data.model_dump(exclude_unset=True)
    if changes.get("metric_id") is not None:
        crud.require_exists(session, models.Metric, changes["metric_id"], "body.metric_id")
    links_changed = _set_links(session, story.id, changes)
    crud.apply_changes(
        story, {k: v for k, v in changes.items() if k not in LINKS}, links_changed=links_changed
    )
    session.flush()
    return story


def delete(session: Session, story: models.Story) -> None:
    crud.remove(session, story, "story", [])
