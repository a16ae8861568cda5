from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from api import crud, models
from api.areas import service as areas
from api.enums import Publication, StakeholderKind
from api.errors import Conflict, ValidationFailed
from api.pagination import PageQuery, paginate
from api.stakeholders.schemas import Stakeholder, StakeholderCreate, StakeholderFilters, StakeholderUpdate

S = models.Stakeholder
SSector = models.StakeholderSector
SArea = models.StakeholderArea
SId = models.StakeholderIdentifier
LINKS = ("sectors", "area_ids", "identifiers")
SORTABLE = {
    "name": col(S.name),
    "created_at": col(S.created_at),
    "updated_at": col(S.updated_at),
    "kind": col(S.kind),
}
PERSONAL = ("email", "phone")


def get(session: Session, id_: str) -> models.Stakeholder:
    return crud.get_or_404(session, S, id_, "stakeholder")


def _links(session: Session, ids: Sequence[str]) -> tuple[dict[str, list[str]], ...]:
    return tuple(
        crud.load_links(
            session,
            ids,
            (col(SSector.stakeholder_id), col(SSector.sector)),
            (col(SArea.stakeholder_id), col(SArea.area_id)),
            (col(SId.stakeholder_id), col(SId.identifier)),
        )
    )


def to_schemas(
    session: Session, rows: Sequence[models.Stakeholder], *, personal: bool = False
) -> list[Stakeholder]:
    """Contact details only when asked for: left out (not null) otherwise."""
    sectors, area_ids, identifiers = _links(session, [s.id for s in rows])
    hidden = set() if personal else set(PERSONAL)
    return [
        Stakeholder(
            **s.model_dump(exclude=hidden),
            sectors=sectors[s.id],
            area_ids=area_ids[s.id],
            identifiers=identifiers[s.id],
        )
        for s in rows
    ]


def read(session: Session, stakeholder: models.Stakeholder, personal: bool = False) -> Stakeholder:
    return to_schemas(session, [stakeholder], personal=personal)[0]


def list_(
    session: Session,
    page: PageQuery,
    filters: StakeholderFilters,
    *,
    personal: bool = False,
    published_only: bool = False,
) -> tuple[list[Stakeholder], str | None]:
    stmt = select(S)
    if filters.kind is not None:
        stmt = stmt.where(col(S.kind) == filters.kind)
    if filters.status is not None:
        stmt = stmt.where(col(S.status) == filters.status)
    if filters.new_to_innovation is not None:
        stmt = stmt.where(col(S.new_to_innovation) == filters.new_to_innovation)
    if filters.sector:
        sector = filters.sector.lower()
        in_sector = select(col(SSector.stakeholder_id)).where(col(SSector.sector) == sector)
        stmt = stmt.where(col(S.id).in_(in_sector))
    if filters.area:
        inside = areas.within(session, filters.area)
        in_area = select(col(SArea.stakeholder_id)).where(col(SArea.area_id).in_(inside))
        stmt = stmt.where(col(S.id).in_(in_area))
    P, CO, Out = models.Participant, models.CollaborationOutcome, models.Outcome
    serving: list[Any] = []  # each filter: the collaborations a stakeholder must take part in
    if filters.collaboration:
        serving.append([filters.collaboration])
    if filters.mission:
        outcomes = select(col(Out.id)).where(col(Out.mission_id) == filters.mission)
        serving.append(select(col(CO.collaboration_id)).where(col(CO.outcome_id).in_(outcomes)))
    if filters.partner_of:
        serving.append(select(col(P.collaboration_id)).where(col(P.stakeholder_id) == filters.partner_of))
        stmt = stmt.where(col(S.id) != filters.partner_of)
    for collaborations in serving:
        taking_part = select(col(P.stakeholder_id)).where(col(P.collaboration_id).in_(collaborations))
        if published_only:
            C = models.Collaboration
            published = select(col(C.id)).where(col(C.publication) == Publication.published)
            taking_part = taking_part.where(col(P.collaboration_id).in_(published))
        stmt = stmt.where(col(S.id).in_(taking_part))
    stmt = crud.text_filter(stmt, filters.q, col(S.name), col(S.description))
    keyset = paginate(stmt, page, SORTABLE, col(S.id), "name")
    rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
    return to_schemas(session, rows, personal=personal), next_cursor


def _check_personal(kind: str, values: dict[str, Any]) -> None:
    for field in PERSONAL:
        if values.get(field) is not None and kind != "person":
            raise ValidationFailed.single(
                f"body.{field}",
                "Contact details are kept only for stakeholders of kind person; to change a "
                'person into an organisation, send "email": null and "phone": null with the new kind.',
            )


def _scalar_fields(data: dict[str, Any]) -> dict[str, Any]:
    if data.get("website") is not None:
        data["website"] = str(data["website"])
    return {k: v for k, v in data.items() if k not in LINKS}


def identifiers_of(session: Session, stakeholder_id: str) -> list[str]:
    return list(session.scalars(select(col(SId.identifier)).where(col(SId.stakeholder_id) == stakeholder_id)))


def by_identifier(session: Session, identifiers: Sequence[str]) -> dict[str, str]:
    """Which stakeholder holds each of these identifiers: identifier to stakeholder id."""
    stmt = select(col(SId.identifier), col(SId.stakeholder_id)).where(col(SId.identifier).in_(identifiers))
    return {identifier: holder for identifier, holder in session.execute(stmt)}


def _set_links(session: Session, stakeholder_id: str, data: dict[str, Any]) -> bool:
    changed = False
    if "sectors" in data:
        changed |= crud.replace_links(
            session, models.StakeholderSector, "stakeholder_id", stakeholder_id, "sector", data["sectors"]
        )
    if "area_ids" in data:
        ids = areas.resolve_ids(session, data["area_ids"], "body.area_ids")
        changed |= crud.replace_links(
            session, models.StakeholderArea, "stakeholder_id", stakeholder_id, "area_id", ids
        )
    if "identifiers" in data:
        taken = {i: s for i, s in by_identifier(session, data["identifiers"]).items() if s != stakeholder_id}
        if taken:
            identifier, holder = sorted(taken.items())[0]
            raise Conflict(f"{identifier} already identifies another stakeholder ({holder}).")
        changed |= crud.replace_links(
            session, SId, "stakeholder_id", stakeholder_id, "identifier", sorted(set(data["identifiers"]))
        )
    return changed


def create(session: Session, data: StakeholderCreate) -> models.Stakeholder:
    values = data.model_dump()
    _check_personal(values["kind"], values)
    crud.ensure_external_key(session, S, "stakeholder", None, values)
    stakeholder = crud.add(session, S(**_scalar_fields(values)))
    _set_links(session, stakeholder.id, values)
    return stakeholder


def update(session: Session, stakeholder: models.Stakeholder, data: StakeholderUpdate) -> models.Stakeholder:
    changes = data.model_dump(exclude_unset=True)
    kind = changes.get("kind", stakeholder.kind)
    _check_personal(kind, {f: changes.get(f, getattr(stakeholder, f)) for f in PERSONAL})
    crud.ensure_external_key(session, S, "stakeholder", stakeholder, changes)
    links_changed = _set_links(session, stakeholder.id, changes)
    crud.apply_changes(stakeholder, _scalar_fields(changes), links_changed=links_changed)
    session.flush()
    return stakeholder


def delete(session: Session, stakeholder: models.Stakeholder) -> None:
    crud.remove(
        session,
        stakeholder,
        "stakeholder",
        [
            (col(models.Participant.stakeholder_id), "collaboration participations"),
            (col(models.Account.stakeholder_id), "partner accounts"),
            (col(models.ApiKey.stakeholder_id), "API keys"),
        ],
    )


ERASED_NAME = "Erased person"
# What erasure replaces, besides the contact details (which the audit trail never holds).
ERASED = {"name": ERASED_NAME, "description": None, "website": None}


def erase(session: Session, stakeholder: models.Stakeholder) -> models.Stakeholder:
    """Remove a person's personal data; the record (and its collaborations) stay."""
    if stakeholder.kind != StakeholderKind.person:
        raise Conflict("Only a person's record holds personal data to erase; this is an organisation.")
    crud.apply_changes(stakeholder, {**ERASED, "email": None, "phone": None})
    session.flush()
    return stakeholder
