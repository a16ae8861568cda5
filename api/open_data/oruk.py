"""Support schemes as an Open Referral UK feed: one ORUK service a scheme (api.imports.oruk
reads it back; the names it writes are that module's). A page of ORUK's `GET /services`, with
every service fully nested, streamed a service at a time."""

import json
import uuid
from collections.abc import Iterator, Sequence
from functools import partial

from sqlalchemy import func, select
from sqlmodel import Session

from api import models
from api.db import SessionFactory
from api.imports.oruk import ELIGIBILITY, EXTENSION, GEOGRAPHY, LINK_TYPES, STATUSES, TAXONOMIES
from api.open_data import service
from api.open_data.schemas import (
    OrukAttribute,
    OrukExtension,
    OrukIdentifier,
    OrukOrganization,
    OrukService,
    OrukServiceArea,
    OrukTaxonomyTerm,
)
from api.support import service as support
from api.support.schemas import SupportScheme, SupportSchemeFilters

TAXONOMY = {field: uri for uri, field in TAXONOMIES.items()}
# ORUK's objects need UUIDs; ours for the parts of a scheme (its areas, its terms) are derived
# from what they are, so the same feed twice has the same ids.
NAMESPACE = uuid.UUID("6f1d2a54-4c33-4bd6-9d0b-3f7b8c0e2a11")
WORDS = {"eligible_kinds": "Organisations", "eligible_sizes": "Sizes", "eligible_sectors": "Sectors"}


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _term(scheme_id: str, field: str, term: str, name: str) -> OrukAttribute:
    taxonomy = TAXONOMY[field]
    term_id = _id(taxonomy, term)
    return OrukAttribute(
        id=_id(scheme_id, taxonomy, term),
        link_id=scheme_id,
        link_type=LINK_TYPES.get(field, ELIGIBILITY),
        taxonomy_term_id=term_id,
        taxonomy_term=OrukTaxonomyTerm(id=term_id, name=name, taxonomy=taxonomy, term=term),
    )


def _organization(provider: models.Stakeholder | None, identifiers: list[str]) -> OrukOrganization | None:
    if provider is None:
        return None
    found = []
    for identifier in identifiers:  # org-id: `GB-COH-01234567` is scheme GB-COH, identifier 01234567
        country, listed, own = identifier.split("-", 2)
        found.append(
            OrukIdentifier(
                id=_id(provider.id, identifier),
                organization_id=provider.id,
                identifier_scheme=f"{country}-{listed}",
                identifier=own,
            )
        )
    return OrukOrganization(
        id=provider.id,
        name=provider.name,
        description=provider.description or "",
        website=provider.website,
        organization_identifiers=found,
    )


def _eligibility(scheme: SupportScheme, places: Sequence[str]) -> str:
    said = [f"{WORDS[f]}: {', '.join(map(_label, getattr(scheme, f)))}" for f in WORDS if getattr(scheme, f)]
    said += [f"Areas: {', '.join(places)}"] if places else []
    return ". ".join(said) + "." if said else "Open to any organisation, anywhere."


def _services(session: Session, schemes: Sequence[SupportScheme]) -> Iterator[OrukService]:
    """A page of schemes as services: their providers, areas and missions read once a page."""
    providers = service.by_id(session, models.Stakeholder, {s.provider_id for s in schemes if s.provider_id})
    missions = service.by_id(session, models.Mission, {m for s in schemes for m in s.mission_ids})
    held = service.identifiers(session, providers)
    places = service.areas(session, (a for s in schemes for a in s.area_ids))
    for scheme in schemes:
        areas = [places[a] for a in scheme.area_ids]
        terms = [
            _term(scheme.id, field, value, _label(value))
            for field in ("eligible_kinds", "eligible_sizes", "eligible_sectors")
            for value in getattr(scheme, field)
        ]
        terms += [
            _term(scheme.id, "mission_ids", missions[m].code, missions[m].title) for m in scheme.mission_ids
        ]
        provider = providers.get(scheme.provider_id or "")
        yield OrukService.model_validate(
            {
                "id": scheme.id,
                "organization_id": scheme.provider_id,
                "name": scheme.name,
                "description": scheme.description,
                "url": scheme.url,
                "status": STATUSES[scheme.status],
                "eligibility_description": _eligibility(scheme, [a.name for a in areas]),
                "last_modified": scheme.updated_at,
                "organization": _organization(provider, held.get(scheme.provider_id or "", [])),
                "service_areas": [
                    OrukServiceArea(
                        id=_id(scheme.id, "area", a.id),
                        service_id=scheme.id,
                        name=a.name,
                        service_area=a.name,
                        uri=f"{GEOGRAPHY}{a.code}" if a.code else None,
                    )
                    for a in areas
                ],
                "attributes": terms,
                EXTENSION: OrukExtension(offer=scheme.offer, closes_on=scheme.closes_on),
            }
        )


def _page(session: Session, cursor: str | None) -> tuple[list[bytes], str | None]:
    schemes, next_cursor = service.page(
        partial(support.list_, filters=SupportSchemeFilters()), session, cursor
    )
    return [found.model_dump_json().encode() for found in _services(session, schemes)], next_cursor


def feed(factory: SessionFactory) -> Iterator[bytes]:
    """ORUK's page of services, written as it is read: the page's fields, then each service."""
    with factory() as session:
        total = session.scalar(select(func.count()).select_from(models.SupportScheme)) or 0
    head = {"total_items": total, "total_pages": 1, "page_number": 1, "size": total}
    head |= {"first_page": True, "last_page": True, "empty": total == 0}
    yield (json.dumps(head)[:-1] + ', "contents": [').encode()
    for number, found in enumerate(service.paged(factory, _page)):
        yield found if number == 0 else b", " + found
    yield b"]}"
