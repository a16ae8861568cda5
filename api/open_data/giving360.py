"""Funded collaborations as 360Giving grants, in the spreadsheet layout the `360giving` import
reads (its headings are that layout's own, api.imports.layouts), so the file imports back as
the same funded projects.

One grant a collaboration whose funding is `funded`: its recipient is its (first) lead, its
funder its (first) funder. A grant's Identifier is the one it came with from 360Giving, or
else this API's id under the prefix below. Award Date is left blank: no award date is held.
"""

from collections.abc import Iterator, Sequence
from datetime import UTC
from decimal import Decimal
from functools import partial
from typing import Any

from sqlmodel import Session

from api import models, tabular
from api.collaborations import service as collaborations
from api.collaborations.schemas import Collaboration, CollaborationFilters
from api.db import SessionFactory
from api.enums import FundingStatus
from api.imports.layouts import AWARD_DATE, GIVING360, GRANT_COLUMNS, PARTIES
from api.open_data import service

FUNDED = CollaborationFilters(funding_status=FundingStatus.funded)
SOURCE = GIVING360  # what the import keys a grant by, with its Identifier
PREFIX = "360G-roadmap-tracker-"  # our grants' Identifiers: 360Giving's own prefix, then our id
HEADING = {field: heading for heading, field in GRANT_COLUMNS.items()}
CURRENCY, LOCATION, MODIFIED = "Currency", "Beneficiary Location:Name", "Last Modified"
PARTY_COLUMNS = [f"{party}:{part}" for party in PARTIES for part in ("Identifier", "Name")]
HEADINGS = [
    *(HEADING[f] for f in ("external_id", "title", "description")),
    CURRENCY,
    HEADING["funding_amount_pence"],
    AWARD_DATE,
    *(HEADING[f] for f in ("start_date", "end_date")),
    *PARTY_COLUMNS,
    LOCATION,
    HEADING["area_ids"],
    MODIFIED,
]


def _pounds(pence: int) -> Decimal:
    return Decimal(pence) / 100  # exact: 1250050 is 12500.5


def _org_key(stakeholder: models.Stakeholder, identifiers: list[str]) -> str:
    """Its org-id identifier, or its key from 360Giving; blank rather than made up."""
    if identifiers:
        return identifiers[0]
    return (stakeholder.external_id or "") if stakeholder.source == SOURCE else ""


def _grants(session: Session, page: Sequence[Collaboration]) -> Iterator[dict[str, Any]]:
    ids = [c.id for c in page]
    parties = service.taking_part(session, ids)
    held = service.identifiers(session, (p.stakeholder.id for ps in parties.values() for p in ps))
    places = service.areas(session, (a for c in page for a in c.area_ids))
    for grant in page:
        row: dict[str, Any] = {
            HEADING["external_id"]: grant.external_id if grant.source == SOURCE else f"{PREFIX}{grant.id}",
            HEADING["title"]: grant.title,
            HEADING["description"]: grant.description,
            HEADING["start_date"]: grant.start_date,
            HEADING["end_date"]: grant.end_date,
            LOCATION: ";".join(places[a].name for a in grant.area_ids),
            HEADING["area_ids"]: ";".join(service.area_ref(places[a]) for a in grant.area_ids),
            MODIFIED: grant.updated_at.astimezone(UTC).isoformat(),
        }
        if grant.funding_amount_pence is not None:
            row |= {CURRENCY: "GBP", HEADING["funding_amount_pence"]: _pounds(grant.funding_amount_pence)}
        for party, role in PARTIES.items():
            first = next((p for p in parties.get(grant.id, []) if p.role == role), None)
            if first is not None:
                org = first.stakeholder
                row |= {f"{party}:Identifier": _org_key(org, held.get(org.id, [])), f"{party}:Name": org.name}
        yield row


def _page(session: Session, cursor: str | None, published_only: bool) -> tuple[list[list[Any]], str | None]:
    fetch = partial(collaborations.list_, filters=FUNDED, published_only=published_only)
    found, next_cursor = service.page(fetch, session, cursor)
    return [[grant.get(heading) for heading in HEADINGS] for grant in _grants(session, found)], next_cursor


def rows(factory: SessionFactory, published_only: bool) -> Iterator[list[Any]]:
    """Each funded collaboration the caller may see, as a row of `HEADINGS`, a page at a time."""
    return service.paged(factory, partial(_page, published_only=published_only))


def csv(factory: SessionFactory, published_only: bool) -> Iterator[bytes]:
    return tabular.write_csv(HEADINGS, rows(factory, published_only))


def workbook(factory: SessionFactory, published_only: bool) -> Iterator[bytes]:
    """The same rows on one sheet, sent as they are written."""
    book = tabular.StreamedBook()
    sheet = book.sheet("grants")
    sheet.append(HEADINGS)
    for number, row in enumerate(rows(factory, published_only), 1):
        sheet.append(tabular.sheet_row(sheet, row))
        if number % tabular.ROWS_A_CHUNK == 0 and (chunk := book.take()):
            yield chunk
    yield book.finish()
