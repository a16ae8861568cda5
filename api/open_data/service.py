"""What the open formats are written from: the domain services' own queries, a page at a time,
and the few look-ups they share (a metric by id or code, areas as codes, who takes part)."""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import TypeVar

from sqlalchemy import select
from sqlmodel import Session, col

from api import listing, models
from api.db import SessionFactory
from api.errors import NotFound
from api.listing import Fetch, Read, each_page
from api.pagination import PageQuery

T = TypeVar("T")
R = TypeVar("R", bound=models.Record)


def metric(session: Session, ref: str) -> models.Metric:
    """By id, or by its code (what partners and Open SDG sites name it by)."""
    M = models.Metric
    found = session.get(M, ref) or session.scalars(select(M).where(col(M.code) == ref.lower())).first()
    if found is None:
        raise NotFound(f"No metric with id or code {ref!r}.")
    return found


def paged(factory: SessionFactory, read: Read[T]) -> Iterator[T]:
    """Everything `read` gives, each page read (and made into what the file writes) in a
    short session of its own, as every list's file is."""
    return chain.from_iterable(each_page(factory, read))


def page(fetch: Fetch[T], session: Session, cursor: str | None) -> tuple[Sequence[T], str | None]:
    """One page of a domain list, as its own route pages it."""
    return fetch(session, PageQuery(listing.FILE_PAGE, cursor, None))


def by_id(session: Session, model: type[R], ids: Iterable[str]) -> dict[str, R]:
    """The records with these ids, in one query."""
    wanted = set(ids)
    return (
        {r.id: r for r in session.scalars(select(model).where(col(model.id).in_(wanted)))} if wanted else {}
    )


def areas(session: Session, ids: Iterable[str]) -> dict[str, models.Area]:
    return by_id(session, models.Area, ids)


def area_ref(area: models.Area) -> str:
    """How a file names an area: its GSS code, or its name where it has none (the import reads both)."""
    return area.code or area.name


Coded = type[models.Mission] | type[models.Outcome]


def codes(session: Session, model: Coded, ids: Iterable[str]) -> dict[str, str]:
    """Missions' or outcomes' codes by id: how a file names them (the import reads a code)."""
    wanted = set(ids)
    stmt = select(col(model.id), col(model.code)).where(col(model.id).in_(wanted))
    return {id_: code for id_, code in session.execute(stmt)} if wanted else {}


@dataclass(frozen=True)
class TakingPart:
    collaboration_id: str
    role: str
    start_date: date | None
    end_date: date | None
    stakeholder: models.Stakeholder


def taking_part(session: Session, collaboration_ids: Sequence[str]) -> dict[str, list[TakingPart]]:
    """Each collaboration's participants with their organisations, oldest first: one query a page."""
    P, S = models.Participant, models.Stakeholder
    found: dict[str, list[TakingPart]] = {}
    if not collaboration_ids:
        return found
    stmt = (
        select(P, S)
        .join(S, col(S.id) == col(P.stakeholder_id))
        .where(col(P.collaboration_id).in_(collaboration_ids))
        .order_by(col(P.created_at), col(P.id))
    )
    for participant, stakeholder in session.execute(stmt):
        found.setdefault(participant.collaboration_id, []).append(
            TakingPart(
                participant.collaboration_id,
                participant.role,
                participant.start_date,
                participant.end_date,
                stakeholder,
            )
        )
    return found


def identifiers(session: Session, stakeholder_ids: Iterable[str]) -> dict[str, list[str]]:
    """Each organisation's org-id identifiers, sorted."""
    SI = models.StakeholderIdentifier
    found: dict[str, list[str]] = {}
    wanted = set(stakeholder_ids)
    if wanted:
        stmt = select(col(SI.stakeholder_id), col(SI.identifier)).where(col(SI.stakeholder_id).in_(wanted))
        for holder, identifier in session.execute(stmt.order_by(col(SI.identifier))):
            found.setdefault(holder, []).append(identifier)
    return found
