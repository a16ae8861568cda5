"""The network as a Kumu map: a workbook of `Elements` and `Connections` in the layout the
`kumu` import reads (api.imports.kumu, whose headings these are), so importing it, as
stakeholders and then as collaborations, makes the same network again.

Elements: each organisation (Type: its kind; Tags: its sectors), then each collaboration
(Type: its kind); the other columns are named as our fields, which the import reads as such.
Connections: from a collaboration to each organisation taking part (Type: the role). A
collaboration of two partners and nothing more (no places, outcomes, dates or funding) is
drawn as Kumu maps draw a partnership, one connection between the two, which the import
reads back as that same collaboration. An element's ID is its key in Kumu if it came from
a Kumu map, else its id here.
"""

from collections.abc import Iterator
from decimal import Decimal
from functools import partial
from itertools import chain
from typing import Any, Protocol

from sqlalchemy import select
from sqlmodel import Session, col

from api import models, tabular
from api.collaborations import service as collaborations
from api.collaborations.schemas import Collaboration, CollaborationFilters
from api.db import SessionFactory
from api.enums import Publication, Role, Scale
from api.imports.kumu import CONNECTION_HEADINGS, ELEMENT_HEADINGS, SOURCE, TAG_SEPARATOR
from api.open_data import service
from api.open_data.service import TakingPart
from api.stakeholders import service as stakeholders
from api.stakeholders.schemas import StakeholderFilters

FIELDS = {  # our fields an Elements column is named for, as the import reads them (or an alias)
    "area_ids": "Areas",
    "identifiers": "Identifiers",
    "new_to_innovation": "New to innovation",
    "outcome_ids": "Outcomes",
    "start_date": "Start date",
    "end_date": "End date",
    "funding_status": "Funding status",
    "funding_route": "Funding route",
    "funding_amount_pence": "Funding amount pence",  # in pounds, as a cell of money always is here
    "lighthouse": "Lighthouse",
    "publication": "Publication",
}
ELEMENTS = [*ELEMENT_HEADINGS, *FIELDS.values()]
ID, LABEL, TYPE, DESCRIPTION, TAGS, WEBSITE = ELEMENT_HEADINGS
LINK_ID, FROM, TO, LINK_TYPE, LINK_LABEL, LINK_DESCRIPTION = CONNECTION_HEADINGS
ELEMENTS_SHEET, CONNECTIONS_SHEET = "Elements", "Connections"
SHEETS = {ELEMENTS_SHEET: ELEMENTS, CONNECTIONS_SHEET: CONNECTION_HEADINGS}  # in this order
Line = tuple[str, dict[str, Any]]  # a row for a sheet: its cells by heading


class Keyed(Protocol):
    id: str
    source: str | None
    external_id: str | None


def _key(record: Keyed, clashing: frozenset[str] = frozenset()) -> str:
    """Its key in Kumu when it came from there (`|` would split it in From and To), else its id."""
    kumu_key = record.external_id if record.source == SOURCE else None
    if kumu_key and TAG_SEPARATOR not in kumu_key and record.id not in clashing:
        return kumu_key
    return record.id


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _organisations(session: Session, cursor: str | None) -> tuple[list[Line], str | None]:
    every_one = partial(stakeholders.list_, filters=StakeholderFilters())
    page, next_cursor = service.page(every_one, session, cursor)
    places = service.areas(session, (a for s in page for a in s.area_ids))
    lines: list[Line] = []
    for s in page:
        element = {ID: _key(s), LABEL: s.name, TYPE: _label(s.kind), DESCRIPTION: s.description}
        element |= {TAGS: TAG_SEPARATOR.join(s.sectors), WEBSITE: s.website}
        element |= {
            FIELDS["area_ids"]: ";".join(service.area_ref(places[a]) for a in s.area_ids),
            FIELDS["identifiers"]: ";".join(s.identifiers),
            FIELDS["new_to_innovation"]: _flag(s.new_to_innovation),
        }
        lines.append((ELEMENTS_SHEET, element))
    return lines, next_cursor


def _a_pair(c: Collaboration, members: list[TakingPart]) -> bool:
    """Whether a connection between two organisations says all there is to say of it."""
    more = (c.area_ids, c.outcome_ids, c.start_date, c.end_date, c.funding_status, c.funding_route)
    plain = not any(more) and c.funding_amount_pence is None and not c.lighthouse
    kept = c.scale == Scale.regional and c.publication == Publication.published  # the import's defaults
    partners = all(m.role == Role.partner and m.start_date is None and m.end_date is None for m in members)
    return plain and kept and partners and len({m.stakeholder.id for m in members}) == len(members) == 2


def _collaboration(
    c: Collaboration, key: str, places: dict[str, models.Area], outcomes: dict[str, str]
) -> dict[str, Any]:
    amount = c.funding_amount_pence
    element = {ID: key, LABEL: c.title, TYPE: _label(c.kind), DESCRIPTION: c.description}
    return element | {
        FIELDS["area_ids"]: ";".join(service.area_ref(places[a]) for a in c.area_ids),
        FIELDS["outcome_ids"]: ";".join(outcomes[o] for o in c.outcome_ids),
        FIELDS["start_date"]: c.start_date,
        FIELDS["end_date"]: c.end_date,
        FIELDS["funding_status"]: c.funding_status,
        FIELDS["funding_route"]: c.funding_route,
        FIELDS["funding_amount_pence"]: None if amount is None else f"£{Decimal(amount) / 100:,.2f}",
        FIELDS["lighthouse"]: _flag(c.lighthouse),
        FIELDS["publication"]: c.publication,
    }


def _clashing(session: Session) -> frozenset[str]:
    """Collaborations keyed in Kumu as an organisation is too: written by their id instead."""
    C, S = models.Collaboration, models.Stakeholder
    kumu_keyed = select(col(S.external_id)).where(col(S.source) == SOURCE)
    same = select(col(C.id)).where(col(C.source) == SOURCE, col(C.external_id).in_(kumu_keyed))
    return frozenset(session.scalars(same))


def _collaborations(
    session: Session, cursor: str | None, clashing: frozenset[str], published_only: bool
) -> tuple[list[Line], str | None]:
    every_one = partial(collaborations.list_, filters=CollaborationFilters(), published_only=published_only)
    page, next_cursor = service.page(every_one, session, cursor)
    members = service.taking_part(session, [c.id for c in page])
    places = service.areas(session, (a for c in page for a in c.area_ids))
    outcomes = service.codes(session, models.Outcome, (o for c in page for o in c.outcome_ids))
    lines: list[Line] = []
    for c in page:
        key, taking_part = _key(c, clashing), members.get(c.id, [])
        if _a_pair(c, taking_part):
            a, b = (_key(m.stakeholder) for m in taking_part)
            link = {LINK_ID: key, FROM: a, TO: b, LINK_TYPE: _label(c.kind), LINK_LABEL: c.title}
            lines.append((CONNECTIONS_SHEET, link | {LINK_DESCRIPTION: c.description}))
            continue
        lines.append((ELEMENTS_SHEET, _collaboration(c, key, places, outcomes)))
        for m in taking_part:
            link = {FROM: key, TO: _key(m.stakeholder), LINK_TYPE: _label(m.role)}
            lines.append((CONNECTIONS_SHEET, link))
    return lines, next_cursor


def workbook(factory: SessionFactory, published_only: bool) -> Iterator[bytes]:
    """The map, built on disk (openpyxl's write-only mode) a page at a time, then sent."""
    book = tabular.workbook()
    sheets = {name: (book.create_sheet(name), headings) for name, headings in SHEETS.items()}
    for sheet, headings in sheets.values():
        sheet.append(list(headings))
    with factory() as session:
        clashing = _clashing(session)
    projects = partial(_collaborations, clashing=clashing, published_only=published_only)
    for name, cells in chain(service.paged(factory, _organisations), service.paged(factory, projects)):
        sheet, headings = sheets[name]
        sheet.append(tabular.sheet_row(sheet, [cells.get(h) for h in headings]))
    yield from tabular.saved(book)
