from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session, col

from api import crud, models
from api.outcomes.schemas import Outcome, OutcomeCreate, OutcomeUpdate
from api.pagination import PageQuery, paginate

Out = models.Outcome
MO = models.MetricOutcome
SORTABLE = {
    "code": col(Out.code),
    "title": col(Out.title),
    "created_at": col(Out.created_at),
    "updated_at": col(Out.updated_at),
}


def get(session: Session, id_: str) -> models.Outcome:
    return crud.get_or_404(session, Out, id_, "outcome")


def to_schemas(session: Session, rows: Sequence[models.Outcome]) -> list[Outcome]:
    (metrics,) = crud.load_links(session, [o.id for o in rows], (col(MO.outcome_id), col(MO.metric_id)))
    return [Outcome(**o.model_dump(), metric_ids=metrics[o.id]) for o in rows]


def read(session: Session, outcome: models.Outcome) -> Outcome:
    return to_schemas(session, [outcome])[0]


def list_(
    session: Session, page: PageQuery, *, mission: str | None, metric: str | None, q: str | None
) -> tuple[list[Outcome], str | None]:
    stmt = select(Out)
    if mission:
        stmt = stmt.where(col(Out.mission_id) == mission)
    if metric:
        stmt = stmt.where(col(Out.id).in_(select(col(MO.outcome_id)).where(col(MO.metric_id) == metric)))
    stmt = crud.text_filter(stmt, q, col(Out.title), col(Out.description), col(Out.code))
    keyset = paginate(stmt, page, SORTABLE, col(Out.id), "code")
    rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
    return to_schemas(session, rows), next_cursor


def _next_code(session: Session, mission: models.Mission) -> str:
    """M3 → M3.1, M3.2, …: one more than the highest numbered outcome so far."""
    codes = session.scalars(select(col(Out.code)).where(col(Out.mission_id) == mission.id))
    numbers = [int(tail) for c in codes if (tail := c.rpartition(".")[2]).isdigit()]
    return f"{mission.code}.{max(numbers, default=0) + 1}"


def create(session: Session, data: OutcomeCreate) -> models.Outcome:
    crud.require_exists(session, models.Mission, data.mission_id, "body.mission_id")
    mission = session.get(models.Mission, data.mission_id)
    assert mission is not None
    code = data.code or _next_code(session, mission)
    crud.ensure_unique(session, Out, "outcome", None, mission_id=data.mission_id, code=code)
    return crud.add(session, Out(**data.model_dump(exclude={"code"}), code=code))


def update(session: Session, outcome: models.Outcome, data: OutcomeUpdate) -> models.Outcome:
    changes = data.model_dump(exclude_unset=True)
    if "mission_id" in changes:
        crud.require_exists(session, models.Mission, changes["mission_id"], "body.mission_id")
    if {"mission_id", "code"} & changes.keys():
        crud.ensure_unique(
            session,
            Out,
            "outcome",
            outcome.id,
            mission_id=changes.get("mission_id", outcome.mission_id),
            code=changes.get("code", outcome.code),
        )
    crud.apply_changes(outcome, changes)
    session.flush()
    return outcome


def delete(session: Session, outcome: models.Outcome) -> None:
    crud.remove(
        session,
        outcome,
        "outcome",
        [
            (col(models.CollaborationOutcome.outcome_id), "collaborations"),
            (col(MO.outcome_id), "metrics"),
        ],
    )
