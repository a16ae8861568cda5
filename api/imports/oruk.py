"""An Open Referral UK feed (HSDS 3.0, UK profile) as support schemes: one scheme a service.

A service's `name`, `description`, `url` and `status` are the scheme's; its `organization` is
the provider, found by name (else its org-id identifier, else its id); each of its
`service_areas` is an area, by the code at the end of its ONS statistical-geography `uri`
(else by name). Who is eligible (kinds of organisation, sizes, sectors) and the missions it
serves are `attributes`: taxonomy terms, each in one of our taxonomies named by URI below.
ORUK has no field for a scheme's offer or closing date: they are under `x-roadmap-tracker`.
The export (api.open_data.oruk) writes these same names, so a feed exported here reads back
as it was.

A file is the JSON of `GET /services` (a page, its services in `contents`), a list of
services, or one service. It is read whole: a catalogue holds hundreds of services, not
millions.
"""

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, Protocol

from api.imports.fields import RowError
from api.imports.reading import FileProblem, read_json
from api.imports.records import Importer
from api.imports.refs import GSS

Rows = Iterator[tuple[int, dict[str, str]]]
EXTENSION = "x-roadmap-tracker"  # what ORUK has no field for: {"offer": …, "closes_on": …}
TAXONOMY = "https://roadmap-tracker.org/taxonomies/"
TAXONOMIES = {  # each taxonomy of ours, by URI, and the field its terms fill
    f"{TAXONOMY}stakeholder-kind": "eligible_kinds",
    f"{TAXONOMY}organisation-size": "eligible_sizes",
    f"{TAXONOMY}sector": "eligible_sectors",
    f"{TAXONOMY}mission": "mission_ids",
}
LINK_TYPES = {"mission_ids": "mission"}  # an attribute's link_type; `eligibility` for the rest
ELIGIBILITY = "eligibility"
GEOGRAPHY = "http://statistics.data.gov.uk/id/statistical-geography/"  # ONS: + a GSS code
STATUSES = {"open": "active", "closed": "inactive"}  # ours, as ORUK's
READ_STATUSES = {"active": "open", "inactive": "closed", "defunct": "closed", "temporarily closed": "closed"}
COLUMNS = {  # where in a service each field is, for problems
    "name": "name",
    "description": "description",
    "url": "url",
    "status": "status",
    "provider_id": "organization",
    "area_ids": "service_areas",
    "offer": f"{EXTENSION}.offer",
    "closes_on": f"{EXTENSION}.closes_on",
    **{field: f"attributes ({uri.removeprefix(TAXONOMY)})" for uri, field in TAXONOMIES.items()},
}
NOT_A_FEED = (
    "An Open Referral UK file is the JSON of GET /services: an object with the services in "
    "`contents`, a list of services, or one service. This file is none of these."
)


class Work(Protocol):
    columns: dict[str, str]  # field name to where the file holds it, for problems

    def note(self, text: str) -> None: ...

    def reject(self, number: int | None, error: RowError, row: dict[str, str]) -> None: ...


def services(source: BinaryIO, importer: Importer, work: Work) -> Rows:
    """Each service as a support scheme's fields (module docstring); row n is the n-th service."""
    document = read_json(source)
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        found: list[Any] = document["contents"]
    elif isinstance(document, list):
        found = document
    elif isinstance(document, dict) and "name" in document:
        found = [document]
    else:
        raise FileProblem(NOT_A_FEED)
    work.columns.update(COLUMNS)
    for number, service in enumerate(found, start=1):
        try:
            yield number, _scheme(service, work)
        except RowError as error:
            work.reject(number, error, {})


def _scheme(service: object, work: Work) -> dict[str, str]:
    if not isinstance(service, dict):
        raise RowError(f"A service is a JSON object, not {_kind(service)}.")
    out = {f: _text(service, f, f) for f in ("name", "description", "url")}
    status = _text(service, "status", "status")
    out["status"] = READ_STATUSES.get(status.lower(), status)
    extra = _object(service, EXTENSION, "offer")
    out |= {f: _text(extra, f, f) for f in ("offer", "closes_on")}
    if not out["offer"] and out["description"]:
        work.note(f"Services without {EXTENSION}.offer take their description as the offer.")
        out["offer"] = out["description"][:2000]
    provider = _object(service, "organization", "provider_id")
    found = (_text(provider, "name", "provider_id"), _org_id(provider), _text(provider, "id", "provider_id"))
    out["provider_id"] = next(filter(None, found), "")
    out["area_ids"] = ";".join(_area(area) for area in _list(service, "service_areas", "area_ids"))
    out |= _terms(_list(service, "attributes", "eligible_kinds"), work)
    return {field: text for field, text in out.items() if text}


def _area(area: object) -> str:
    if not isinstance(area, dict):
        raise RowError(f"A service area is a JSON object, not {_kind(area)}.", "area_ids")
    code = _text(area, "uri", "area_ids").rstrip("/").rpartition("/")[2]
    names = (_text(area, "name", "area_ids"), _text(area, "service_area", "area_ids"))
    ref = code if GSS.match(code) else next(filter(None, names), "")
    if not ref:
        raise RowError("A service area needs an ONS uri (its GSS code) or a name.", "area_ids")
    return ref


def _org_id(organization: Mapping[str, Any]) -> str:
    """Its first identifier in the org-id form: scheme `GB-COH` and identifier `01234567`."""
    for entry in _list(organization, "organization_identifiers", "provider_id"):
        scheme = _text(entry, "identifier_scheme", "provider_id") if isinstance(entry, dict) else ""
        identifier = _text(entry, "identifier", "provider_id") if isinstance(entry, dict) else ""
        if scheme and identifier:
            return identifier if identifier.startswith(f"{scheme}-") else f"{scheme}-{identifier}"
    return ""


def _terms(attributes: list[Any], work: Work) -> dict[str, str]:
    """Our taxonomies' terms, `;`-joined by the field they fill; others' are noted, not read."""
    found: dict[str, list[str]] = {}
    others: set[str] = set()
    for attribute in attributes:
        if not isinstance(attribute, dict):
            raise RowError(f"An attribute is a JSON object, not {_kind(attribute)}.", "eligible_kinds")
        term = _object(attribute, "taxonomy_term", "eligible_kinds")
        taxonomy = _text(term, "taxonomy", "eligible_kinds")
        field = TAXONOMIES.get(taxonomy)
        if field is None:
            others.add(taxonomy or "(none named)")
            continue
        value = _text(term, "term", field) or _text(term, "name", field)
        if value:
            found.setdefault(field, []).append(value)
    if others:
        work.note(f"Attributes in other taxonomies are not read: {', '.join(sorted(others))}.")
    return {field: ";".join(dict.fromkeys(values)) for field, values in found.items()}


def _kind(value: object) -> str:
    if isinstance(value, dict | list | str):
        return "an object" if isinstance(value, dict) else "a list" if isinstance(value, list) else "text"
    return "a number or true/false"


def _text(holder: Mapping[str, Any], key: str, field: str) -> str:
    value = holder.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RowError(f"`{key}` is text, not {_kind(value)}.", field, str(value))
    return value.strip()


def _object(holder: Mapping[str, Any], key: str, field: str) -> Mapping[str, Any]:
    value = holder.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RowError(f"`{key}` is an object, not {_kind(value)}.", field)
    return value


def _list(holder: Mapping[str, Any], key: str, field: str) -> list[Any]:
    value = holder.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RowError(f"`{key}` is a list, not {_kind(value)}.", field)
    return value
