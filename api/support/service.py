import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from api import crud, models
from api.areas import service as areas
from api.cache import per_data_version
from api.enums import Publication
from api.pagination import PageQuery, paginate
from api.stakeholders import service as stakeholders
from api.support import compute as matching
from api.support.schemas import (
    LINKS,
    Match,
    SupportScheme,
    SupportSchemeCreate,
    SupportSchemeFilters,
    SupportSchemeUpdate,
)

S = models.SupportScheme
SA, SM = models.SupportSchemeArea, models.SupportSchemeMission
SORTABLE = {"name": col(S.name), "created_at": col(S.created_at), "updated_at": col(S.updated_at)}


def get(session: Session, id_: str) -> models.SupportScheme:
    return crud.get_or_404(session, S, id_, "support scheme")


def to_schemas(session: Session, rows: Sequence[models.SupportScheme]) -> list[SupportScheme]:
    ids = [r.id for r in rows]
    area_ids, mission_ids = crud.load_links(
        session, ids, (col(SA.scheme_id), col(SA.area_id)), (col(SM.scheme_id), col(SM.mission_id))
    )
    return [
        SupportScheme(**r.model_dump(), area_ids=area_ids[r.id], mission_ids=mission_ids[r.id]) for r in rows
    ]


def read(session: Session, scheme: models.SupportScheme) -> SupportScheme:
    return to_schemas(session, [scheme])[0]


def list_(
    session: Session, page: PageQuery, filters: SupportSchemeFilters
) -> tuple[list[SupportScheme], str | None]:
    stmt = select(S)
    if filters.status is not None:
        stmt = stmt.where(col(S.status) == filters.status)
    if filters.provider is not None:
        stmt = stmt.where(col(S.provider_id) == filters.provider)
    if filters.mission:
        stmt = stmt.where(
            col(S.id).in_(select(col(SM.scheme_id)).where(col(SM.mission_id) == filters.mission))
        )
    stmt = crud.text_filter(stmt, filters.q, col(S.name), col(S.offer))
    keyset = paginate(stmt, page, SORTABLE, col(S.id), "name")
    rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
    return to_schemas(session, rows), next_cursor


def _scalars(values: dict[str, Any]) -> dict[str, Any]:
    if values.get("url") is not None:
        values["url"] = str(values["url"])
    if "eligible_sectors" in values:
        values["eligible_sectors"] = sorted(
            {s.strip().lower() for s in values["eligible_sectors"] if s.strip()}
        )
    for field in ("eligible_kinds", "eligible_sizes"):
        if field in values:
            values[field] = sorted(set(values[field]))
    return {k: v for k, v in values.items() if k not in LINKS}


def _set_links(session: Session, scheme_id: str, data: dict[str, Any]) -> bool:
    changed = False
    if "area_ids" in data:
        ids = areas.resolve_ids(session, data["area_ids"], "body.area_ids")
        changed |= crud.replace_links(session, SA, "scheme_id", scheme_id, "area_id", ids)
    if "mission_ids" in data:
        wanted = crud.require_all(
            session, col(models.Mission.id), data["mission_ids"], "body.mission_ids", "mission(s)"
        )
        changed |= crud.replace_links(session, SM, "scheme_id", scheme_id, "mission_id", wanted)
    return changed


def create(session: Session, data: SupportSchemeCreate) -> models.SupportScheme:
    values = data.model_dump()
    crud.require_exists(session, models.Stakeholder, values["provider_id"], "body.provider_id")
    crud.ensure_unique(session, S, "support scheme", None, name=values["name"])
    scheme = crud.add(session, S(**_scalars(values)))
    _set_links(session, scheme.id, values)
    return scheme


def update(session: Session, scheme: models.SupportScheme, data: SupportSchemeUpdate) -> models.SupportScheme:
    changes = data.model_dump(exclude_unset=True)
    if changes.get("provider_id") is not None:
        crud.require_exists(session, models.Stakeholder, changes["provider_id"], "body.provider_id")
    if "name" in changes:
        crud.ensure_unique(session, S, "support scheme", scheme.id, name=changes["name"])
    links_changed = _set_links(session, scheme.id, changes)
    crud.apply_changes(scheme, _scalars(changes), links_changed=links_changed)
    session.flush()
    return scheme


def delete(session: Session, scheme: models.SupportScheme) -> None:
    crud.remove(session, scheme, "support scheme", [(col(models.Referral.scheme_id), "referrals")])


def _applicant(session: Session, stakeholder: models.Stakeholder, public: bool) -> matching.Applicant:
    SS, SAr = models.StakeholderSector, models.StakeholderArea
    sectors = session.scalars(select(col(SS.sector)).where(col(SS.stakeholder_id) == stakeholder.id))
    own_areas = list(
        session.scalars(select(col(SAr.area_id)).where(col(SAr.stakeholder_id) == stakeholder.id))
    )
    P, CO, Out, C = models.Participant, models.CollaborationOutcome, models.Outcome, models.Collaboration
    missions = select(col(Out.mission_id)).join(CO, col(CO.outcome_id) == col(Out.id))
    missions = missions.join(P, col(P.collaboration_id) == col(CO.collaboration_id))
    missions = missions.where(col(P.stakeholder_id) == stakeholder.id)
    if public:  # a draft collaboration is not public, nor the mission it would serve
        published = select(col(C.id)).where(col(C.publication) == Publication.published)
        missions = missions.where(col(CO.collaboration_id).in_(published))
    return matching.Applicant(
        kind=stakeholder.kind,
        size=stakeholder.size,
        sectors=frozenset(sectors),
        places=frozenset(areas.containing(session, own_areas)),
        missions=frozenset(session.scalars(missions.distinct())),
    )


@per_data_version
def match(
    session: Session, stakeholder_id: str, today: dt.date, include_ineligible: bool, public: bool
) -> list[Match]:
    """Every scheme ranked for this organisation: matching.rank over the whole (small) catalogue."""
    stakeholder = stakeholders.get(session, stakeholder_id)
    schemes = to_schemas(session, list(session.scalars(select(S))))
    candidates = [
        matching.Scheme(
            id=s.id,
            open=s.status == "open",
            closes_on=s.closes_on,
            areas=frozenset(s.area_ids),
            kinds=frozenset(s.eligible_kinds),
            sizes=frozenset(s.eligible_sizes),
            sectors=frozenset(s.eligible_sectors),
            missions=frozenset(s.mission_ids),
        )
        for s in schemes
    ]
    by_id = {s.id: s for s in schemes}
    ranked = matching.rank(_applicant(session, stakeholder, public), candidates, today, include_ineligible)
    return [
        Match(
            **by_id[m.scheme_id].model_dump(),
            eligible=m.eligible,
            eligibility=m.eligibility,
            score=m.score,
            reasons=list(m.reasons),
            unmet=list(m.unmet),
            unknown=list(m.unknown),
        )
        for m in ranked
    ]
