"""Collaborations (with their participants) and support schemes, as files hold them."""

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session, col

from api import models
from api.audit import service as audit
from api.collaborations import participants
from api.collaborations import service as collaborations
from api.collaborations.schemas import CollaborationCreate, CollaborationUpdate, ParticipantCreate
from api.enums import Role, StakeholderKind
from api.imports import cells
from api.imports.fields import RowError, parse_cells, validate
from api.imports.records import Importer, Row, Run, by_external_key, by_id, plain
from api.imports.refs import ORG_ID, same_name
from api.stakeholders import service as stakeholders
from api.stakeholders.schemas import StakeholderCreate
from api.support import service as support
from api.support.schemas import SupportSchemeCreate, SupportSchemeUpdate

LINKED = frozenset({"area_ids", "outcome_ids", "mission_ids", "participants", "provider_id"})


def _links(run: Run, row: Row, values: dict[str, Any]) -> None:
    """Areas, outcomes and missions named in `;`-joined cells, as ids."""
    for field, find in (
        ("area_ids", run.lookup.area),
        ("outcome_ids", run.lookup.outcome),
        ("mission_ids", run.lookup.mission),
    ):
        named = cells.parse_list(row.get(field, ""))
        if named:
            values[field] = [find(ref, field) for ref in named]


# --- collaborations -------------------------------------------------------------------------


def _participants(run: Run, text: str, known: dict[str, str]) -> list[tuple[str, Role]]:
    """`Aston University:lead; GB-CHC-123:partner`: who takes part, and as what."""
    found = []
    for entry in cells.parse_list(text):
        who, colon, role = entry.rpartition(":")
        if not colon or not who.strip():
            raise RowError(
                f"{entry!r} is not organisation:role (e.g. Aston University:lead).", "participants", text
            )
        try:
            stakeholder = known.get(same_name(who)) or run.lookup.stakeholder(who, "participants")
            found.append((stakeholder, Role(role.strip().lower())))
        except ValueError as problem:
            roles = ", ".join(Role)
            raise RowError(f"{role.strip()!r} is not a role: {roles}.", "participants", text) from problem
    return found


KINDS = frozenset(kind.value for kind in StakeholderKind)
ORG_KINDS = {  # org-id list codes (org-id.guide) and what kind of organisation each registers
    "CHC": "third_sector",
    "SC": "third_sector",
    "NIC": "third_sector",
    "MPR": "third_sector",
    "COH": "business",
    "EDU": "university",
    "UKPRN": "university",
    "GOR": "public_body",
    "GOV": "public_body",
    "NHS": "health",
    "LAE": "local_authority",
    "LAS": "local_authority",
    "LAW": "local_authority",
    "LANI": "local_authority",
    "PLA": "local_authority",
}


def _organisations(run: Run, row: Row) -> dict[str, str]:
    """`GB-CHC-1|Name; …`, or `key|Name|kind`: organisations the row names that are not here yet
    are added, keyed by the row's source. Returns each one's id by the key (or name) given,
    for `participants`, which may name one that was only matched by its name."""
    known: dict[str, str] = {}
    source = row.get("source", "").strip() or "360giving"  # what the column was first made for
    for entry in cells.parse_list(row.get("organisations", "")):
        key, _, rest = entry.partition("|")
        name, bar, kind = rest.rpartition("|")
        if not bar or kind.strip() not in KINDS:  # a name may hold a `|`; a kind never does
            name, kind = rest, ""
        key, name = key.strip(), name.strip() or key.strip()
        known[same_name(key or name)] = _organisation(run, row, source, key, name, kind.strip())
    return known


def _organisation(run: Run, row: Row, source: str, key: str, name: str, kind: str) -> str:
    session, S = run.session, models.Stakeholder
    if key and (found := by_external_key(session, S, {"source": source, "external_id": key})):
        return found.id
    for ref in filter(None, (key, name)):
        try:
            found_id = run.lookup.stakeholder(ref, "participants")
        except RowError:
            continue
        other = session.get(S, found_id)
        # One that the same source keys otherwise is another organisation of the same name.
        if other is None or not key or other.source != source or other.external_id in (None, key):
            return found_id
    org_id = ORG_ID.match(key) is not None
    kind = kind or (ORG_KINDS.get(key.split("-")[1], "business") if org_id else "business")
    keyed = {"source": source, "external_id": key} if key and not org_id else {}
    data = validate(
        StakeholderCreate,
        {"name": name[:300], "kind": kind, "identifiers": [key] if org_id else [], **keyed},
        row,
    )
    made = stakeholders.create(session, data)  # type: ignore[arg-type]
    audit.record(session, "stakeholders", made.id, before=None, after=stakeholders.read(session, made))
    named = f"{name!r}" if key in ("", name) else f"{name!r} ({key})"
    run.note(f"Added the organisation {named}, which the file names but which was not here yet.")
    run.lookup.forget()
    return made.id


def _collaboration_prepare(run: Run, row: Row) -> dict[str, Any]:
    known = _organisations(run, row)
    values = parse_cells(CollaborationCreate, row, skip=LINKED)
    _links(run, row, values)
    values["participants"] = _participants(run, row.get("participants", ""), known)
    if row.get("id", "").strip():
        values["id"] = row["id"].strip()
    return values


def _collaboration_find(run: Run, values: dict[str, Any]) -> models.Collaboration | None:
    """By id, then the key it has elsewhere (a 360Giving grant's Identifier), then its exact title."""
    C, session = models.Collaboration, run.session
    if (found := by_id(session, C, values, "collaboration")) is not None:
        return found
    if values.get("external_id"):
        return by_external_key(session, C, values)
    titled = list(
        session.scalars(select(C).where(func.lower(col(C.title)) == same_name(values["title"])).limit(2))
    )
    if len(titled) > 1:
        raise RowError("More than one collaboration has this title: add an id column.", "title")
    return titled[0] if titled else None


def _take_part(session: Session, collaboration: models.Collaboration, wanted: list[tuple[str, Role]]) -> bool:
    """Participants the file names and the collaboration lacks are added (none are removed)."""
    P = models.Participant
    added = False
    query = select(col(P.stakeholder_id), col(P.role)).where(col(P.collaboration_id) == collaboration.id)
    have = {(stakeholder_id, role) for stakeholder_id, role in session.execute(query)}
    for stakeholder_id, role in wanted:
        if (stakeholder_id, role) in have:
            continue
        made = participants.create(
            session, collaboration.id, ParticipantCreate(stakeholder_id=stakeholder_id, role=role)
        )
        audit.record(
            session,
            "participants",
            made.id,
            before=None,
            after=participants.read(session, made),
            parent_id=collaboration.id,
        )
        have.add((stakeholder_id, role))
        added = True
    return added


def _collaboration_make(session: Session, values: dict[str, Any], data: Any) -> models.Collaboration:
    made = collaborations.create(session, data)
    _take_part(session, made, values["participants"])
    return made


def _collaboration_change(session: Session, collaboration: Any, data: Any, values: dict[str, Any]) -> bool:
    collaborations.update(session, collaboration, data)
    return _take_part(session, collaboration, values["participants"])


COLLABORATIONS = Importer(
    "collaborations",
    "collaboration",
    CollaborationCreate,
    CollaborationUpdate,
    collaborations.read,
    _collaboration_prepare,
    _collaboration_find,
    _collaboration_make,
    _collaboration_change,
    frozenset({*CollaborationCreate.model_fields, "participants", "organisations", "id"}),
    aliases={"name": "title", "areas": "area_ids", "outcomes": "outcome_ids", "type": "kind"},
)


# --- support schemes ------------------------------------------------------------------------


def _scheme_prepare(run: Run, row: Row) -> dict[str, Any]:
    values = parse_cells(SupportSchemeCreate, row, skip=LINKED)
    _links(run, row, values)
    if row.get("provider_id", "").strip():
        values["provider_id"] = run.lookup.stakeholder(row["provider_id"], "provider_id")
    return values


def _scheme_find(run: Run, values: dict[str, Any]) -> models.SupportScheme | None:
    S = models.SupportScheme
    return run.session.scalars(
        select(S).where(func.lower(col(S.name)) == same_name(values.get("name", "")))
    ).first()


SUPPORT_SCHEMES = Importer(
    "support-schemes",
    "support scheme",
    SupportSchemeCreate,
    SupportSchemeUpdate,
    support.read,
    _scheme_prepare,
    _scheme_find,
    lambda session, values, data: support.create(session, data),  # type: ignore[arg-type]
    plain(support.update),
    frozenset(SupportSchemeCreate.model_fields),
    aliases={"provider": "provider_id", "areas": "area_ids", "missions": "mission_ids"},
)
