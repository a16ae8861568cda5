"""A Kumu (kumu.io) map: its `Elements` and `Connections` sheets, as stakeholders or collaborations.

An element whose Type is a collaboration's (Project, Programme, Partnership, Initiative, …)
is a collaboration; every other element is an organisation (or a person), its Type read as
our kind where one fits and as `business` where none does (noted). Tags are its sectors.
Each is matched again by source `kumu` and its ID, or its Label in a map without an ID
column: the same map twice changes nothing, a corrected one updates in place (an element
relabelled in a map without IDs is a new element, as it is to Kumu).

As collaborations, a connection between a collaboration and an organisation makes the
organisation take part, in the role the connection's Type names (`partner` when it names
none of ours, noted). A connection between two organisations is a `partnership` of its own
(or the kind its Type names), both of them partners, keyed by the connection's ID or
`From→To`, so the network shows the link. Organisations not here yet are added with their
name, kind and key; the rest of what the map says of them comes with a stakeholders import.
A map says nothing of funding: `funding_status` is left unset and `scale` is the default.

Elements' other columns named as our fields (`Areas`, `Identifiers`, `Start date`, …) are read
as such. Both sheets are read whole before the first row is written, as connections may name
any element: Kumu maps run to thousands of rows, not millions.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from api.enums import CollaborationKind, Role, StakeholderKind
from api.imports.fields import RowError
from api.imports.reading import FileProblem, Table, normalise_header
from api.imports.records import Importer
from api.imports.refs import same_name

Rows = Iterator[tuple[int, dict[str, str]]]
SOURCE = "kumu"
NOT_A_MAP = (
    "A Kumu map is an Excel workbook with Elements and Connections sheets: "
    "export the map from Kumu as Excel (.xlsx) and import that."
)
COLLABORATION_TYPES = {  # an element of one of these Types is a collaboration, of this kind
    **{kind.value: kind.value for kind in CollaborationKind},
    **dict.fromkeys(("program", "programme"), "programme"),
    **dict.fromkeys(("collaboration", "alliance"), "partnership"),
    "initiative": "project",
    **dict.fromkeys(("steering_group", "committee"), "board"),
    "bid": "funding_bid",
}
ORGANISATION_TYPES = {  # Types as maps name them, as our kinds of organisation
    **{kind.value: kind.value for kind in StakeholderKind},
    **dict.fromkeys(("council", "local_government"), "local_authority"),
    "local_enterprise_partnership": "lep",
    **dict.fromkeys(("company", "sme", "startup", "private_sector"), "business"),
    "higher_education": "university",
    "further_education": "college",
    **dict.fromkeys(("government", "government_department", "public_sector", "agency"), "public_body"),
    "nhs": "health",
    **dict.fromkeys(
        ("charity", "community_group", "social_enterprise", "non_profit", "vcse"), "third_sector"
    ),
    "cluster": "network",
    **dict.fromkeys(("individual", "people"), "person"),
}
DEFAULT_KIND = "business"
GUESSED = "_guessed"  # a row's fields (`;`-joined) that fill a new record only: guesses
ROLE_TYPES = {  # connection Types as people write them, as our participants' roles
    **{role.value: role.value for role in Role},
    **dict.fromkeys(("leads", "led_by", "lead_partner"), "lead"),
    **dict.fromkeys(("partners", "partner_of"), "partner"),
    **dict.fromkeys(("funds", "funded_by", "funding"), "funder"),
    "member_of": "member",
    "chairs": "chair",
    "coordinates": "coordinator",
}
# Each sheet's own columns as Kumu heads them; the export (api.open_data) writes these.
ELEMENT_HEADINGS = ("ID", "Label", "Type", "Description", "Tags", "Website")
CONNECTION_HEADINGS = ("ID", "From", "To", "Type", "Label", "Description")
TAG_SEPARATOR = "|"  # Kumu's, between an element's tags
FIXED = {*(normalise_header(h) for h in ELEMENT_HEADINGS), "element_type"}
NOT_PASSED = {  # our fields that an Elements column of the same name is not: the map's own, or
    # what maps use for something else (Size sizes a node) or should not carry (contact details)
    *("id", "name", "title", "kind", "source", "external_id", "participants", "organisations"),
    *("size", "status", "scale", "email", "phone"),
}
CONNECTION_COLUMNS = {*(normalise_header(h) for h in CONNECTION_HEADINGS), "connection_type"}


class Work(Protocol):
    columns: dict[str, str]  # field name to the column as the file names it, for problems

    def note(self, text: str) -> None: ...

    def reject(self, number: int | None, error: RowError, row: dict[str, str]) -> None: ...


@dataclass
class Element:
    row: int
    key: str  # its ID, or its Label in a map without IDs
    label: str
    type: str
    cells: dict[str, str]
    collaboration: str | None  # the kind of collaboration it is, if it is one


@dataclass
class Connection:
    row: int
    key: str  # its ID, or From→To by the elements' keys
    ends: tuple[Element, Element]
    type: str
    cells: dict[str, str]


def kumu(table: Table, importer: Importer, work: Work) -> Rows:
    """Elements as stakeholders, or Elements and Connections as collaborations (module docstring)."""
    if table.format != "xlsx":
        raise FileProblem(NOT_A_MAP)
    elements_sheet = _sheet(table, "Elements")
    elements = _elements(elements_sheet, work)
    if importer.resource == "stakeholders":
        return _stakeholders(elements_sheet, elements, importer, work)
    return _collaborations(elements_sheet, elements, _sheet(table, "Connections"), importer, work)


def _sheet(table: Table, name: str) -> Table:
    if (table.sheet or "").casefold() == name.casefold():
        return table
    if name.casefold() not in (sheet.casefold() for sheet in table.sheets):
        found = ", ".join(f'"{sheet}"' for sheet in table.sheets)
        raise FileProblem(f'A Kumu map has a sheet called "{name}"; this workbook\'s sheets are: {found}.')
    return table.open_sheet(name)


def _column(sheet: Table, header: str) -> str:
    return f"{sheet.sheet}: {sheet.original.get(header, header.title())}"


def _type_column(sheet: Table, other: str) -> str:
    return next((h for h in ("type", other) if h in sheet.headers), "type")


def _elements(sheet: Table, work: Work) -> dict[str, Element]:
    """Every element by its key. Rows with the same key are one element, later cells filling in,
    as Kumu reads them."""
    if "label" not in sheet.headers:
        raise FileProblem(f'The "{sheet.sheet}" sheet has no Label column: a Kumu map names elements there.')
    type_ = _type_column(sheet, "element_type")
    found: dict[str, Element] = {}
    for row in sheet.rows:
        label = row.values["label"].strip()
        key = row.values.get("id", "").strip() or label
        if not label:
            work.reject(row.number, RowError("An element needs a label.", _column(sheet, "label"), ""), {})
            continue
        first, cells = found.get(key), dict(row.values)
        if first is not None:
            work.note(
                f"{sheet.sheet} rows {first.row} and {row.number} are one element, {key!r}, as in Kumu."
            )
            cells = first.cells | {h: text for h, text in cells.items() if text.strip()}
        kind = cells.get(type_, "").strip()
        number = first.row if first else row.number
        found[key] = Element(number, key, label, kind, cells, COLLABORATION_TYPES.get(normalise_header(kind)))
    return found


def _kind(element: Element) -> str:
    return ORGANISATION_TYPES.get(normalise_header(element.type), DEFAULT_KIND)


def _note_kinds(work: Work, organisations: list[Element]) -> None:
    unknown = {
        e.type or "(blank)" for e in organisations if normalise_header(e.type) not in ORGANISATION_TYPES
    }
    if unknown:
        types = ", ".join(sorted(unknown))
        work.note(f"Types read as {DEFAULT_KIND}, being none of our kinds of organisation: {types}.")


def _passed(sheet: Table, importer: Importer, work: Work, read: set[str]) -> dict[str, str]:
    """Columns that are fields of what is imported, by header; the others are noted as not read."""
    fields = {h: importer.aliases.get(h, h) for h in sheet.headers if h not in read}
    passed = {h: name for h, name in fields.items() if name in importer.columns and name not in NOT_PASSED}
    unread = [sheet.original[h] for h in fields if h not in passed]
    if unread:
        work.note(f"Not read from {sheet.sheet} (not a field of {importer.label}): {', '.join(unread)}.")
    return passed


def _element_columns(sheet: Table, work: Work, passed: Mapping[str, str], **fixed: str) -> None:
    key = "id" if "id" in sheet.headers else "label"
    fixed |= {"kind": _type_column(sheet, "element_type"), "external_id": key, "description": "description"}
    work.columns.update({name: _column(sheet, h) for h, name in passed.items()})
    work.columns.update({name: _column(sheet, h) for name, h in fixed.items()})


def _row(element: Element, passed: Mapping[str, str]) -> dict[str, str]:
    out = {name: element.cells[h] for h, name in passed.items() if element.cells.get(h, "").strip()}
    out.update(source=SOURCE, external_id=element.key)
    if element.cells.get("description", "").strip():
        out["description"] = element.cells["description"]
    return out


# --- stakeholders ---------------------------------------------------------------------------


def _stakeholders(sheet: Table, elements: dict[str, Element], importer: Importer, work: Work) -> Rows:
    passed = _passed(sheet, importer, work, FIXED)
    _element_columns(sheet, work, passed, name="label", sectors="tags", website="website")
    types = sorted({e.type for e in elements.values() if e.collaboration})
    if types:
        work.note(
            f"Elements typed {', '.join(types)} are collaborations, not organisations: "
            "import the map as collaborations for them."
        )
    organisations = [e for e in elements.values() if not e.collaboration]
    _note_kinds(work, organisations)
    for element in organisations:
        out = _row(element, passed)
        out.update(name=element.label, kind=_kind(element))
        if normalise_header(element.type) not in ORGANISATION_TYPES:
            out[GUESSED] = "kind"  # the fallback kind: for a new organisation, never over a known one
        tags = [tag.strip() for tag in element.cells.get("tags", "").split(TAG_SEPARATOR)]
        if any(tags):
            out["sectors"] = ";".join(filter(None, tags))
        website = element.cells.get("website", "").strip()
        if website:  # maps often hold example.org: a web address, all the same
            out["website"] = website if "://" in website else f"https://{website}"
        yield element.row, out


# --- collaborations -------------------------------------------------------------------------


def _connections(sheet: Table, elements: dict[str, Element], work: Work) -> list[Connection]:
    """Each connection, one per pair of elements (Kumu's `A|B` in From or To joins each)."""
    for needed in ("from", "to"):
        if needed not in sheet.headers:
            raise FileProblem(f'The "{sheet.sheet}" sheet has no {needed.title()} column.')
    index: dict[str, Element | None] = {}  # by label where no two share it, and by key
    for element in elements.values():
        label = same_name(element.label)
        index[label] = None if label in index else element
    index.update({same_name(element.key): element for element in elements.values()})
    type_ = _type_column(sheet, "connection_type")
    unread = [sheet.original[h] for h in sheet.headers if h not in CONNECTION_COLUMNS]
    if unread:
        work.note(f"Not read from {sheet.sheet}: {', '.join(unread)}.")
    found: list[Connection] = []
    for row in sheet.rows:
        try:
            froms, tos = (_ends(row.values[end], index, _column(sheet, end)) for end in ("from", "to"))
        except RowError as error:
            work.reject(row.number, error, {})
            continue
        id_, kind = row.values.get("id", "").strip(), row.values.get(type_, "").strip()
        for a in froms:
            for b in tos:
                key = id_ if id_ and len(froms) == len(tos) == 1 else f"{a.key}→{b.key}"
                found.append(Connection(row.number, key, (a, b), kind, row.values))
    return found


def _ends(text: str, index: Mapping[str, Element | None], column: str) -> list[Element]:
    refs = [ref.strip() for ref in text.split("|") if ref.strip()]
    if not refs:
        raise RowError("A connection joins two elements: this end names none.", column, text)
    found = []
    for ref in refs:
        if same_name(ref) not in index:
            raise RowError(
                f"No element {ref!r} in Elements: add it there, or check the spelling.", column, ref
            )
        element = index[same_name(ref)]
        if element is None:
            raise RowError(f"More than one element is labelled {ref!r}: use its ID.", column, ref)
        found.append(element)
    return found


def _role(connection: Connection, unknown: set[str]) -> str:
    role = ROLE_TYPES.get(normalise_header(connection.type))
    if role is None and connection.type:
        unknown.add(connection.type)
    return role or "partner"


def _taking_part(members: list[tuple[Element, str]]) -> dict[str, str]:
    """`organisations` adds those not here yet (key|name|kind); `participants` says as what."""
    return {
        "organisations": ";".join(dict.fromkeys(f"{e.key}|{e.label}|{_kind(e)}" for e, _ in members)),
        "participants": ";".join(dict.fromkeys(f"{e.key}:{role}" for e, role in members)),
    }


@dataclass
class Links:
    members: dict[str, list[tuple[Element, str]]]  # each collaboration's organisations, with roles
    pairs: dict[str, list[Connection]]  # connections between two organisations, by key


def _links(sheet: Table, elements: dict[str, Element], work: Work) -> Links:
    links = Links({}, {})
    unknown: set[str] = set()
    unread: set[int] = set()
    for connection in _connections(sheet, elements, work):
        a, b = connection.ends
        if a is b or (a.collaboration and b.collaboration):
            unread.add(connection.row)
        elif a.collaboration or b.collaboration:
            project, organisation = (a, b) if a.collaboration else (b, a)
            links.members.setdefault(project.key, []).append((organisation, _role(connection, unknown)))
        else:
            links.pairs.setdefault(connection.key, []).append(connection)
    if unread:
        rows = ", ".join(str(n) for n in sorted(unread))
        work.note(
            f"Not read: {sheet.sheet} rows {rows}, joining two collaborations or one element to itself."
        )
    if unknown:
        types = ", ".join(sorted(unknown))
        work.note(f"Connection types read as partner, being none of our roles ({', '.join(Role)}): {types}.")
    taking_part = [e for group in links.members.values() for e, _ in group]
    taking_part += [e for group in links.pairs.values() for e in group[0].ends]
    _note_kinds(work, list({e.key: e for e in taking_part}.values()))
    keys = {e.key for e in taking_part}
    alone = [e.label for e in elements.values() if not e.collaboration and e.key not in keys]
    if alone:
        named = ", ".join(alone[:5]) + (f", … ({len(alone)} in all)" if len(alone) > 5 else "")
        work.note(
            f"Organisations that take part in nothing are left out of a collaborations import: {named}. "
            "Import the map as stakeholders for them."
        )
    return links


def _collaborations(
    sheet: Table, elements: dict[str, Element], connections: Table, importer: Importer, work: Work
) -> Rows:
    links = _links(connections, elements, work)
    passed = _passed(sheet, importer, work, FIXED - {"tags", "website"})
    ends = f"{_column(connections, 'from')}, {connections.original.get('to', 'To')}"
    _element_columns(sheet, work, passed, title="label")
    work.columns.update(participants=ends, organisations=ends)
    for element in elements.values():
        if element.collaboration:
            out = _row(element, passed) | {"title": element.label, "kind": element.collaboration}
            yield element.row, out | _taking_part(links.members.get(element.key, []))
    # Each row is written before the next is asked for, so from here on a problem is named by
    # the Connections sheet's columns.
    has = connections.headers
    work.columns.update(
        title=_column(connections, "label") if "label" in has else ends,
        description=_column(connections, "description"),
        kind=_column(connections, _type_column(connections, "connection_type")),
        external_id=_column(connections, "id") if "id" in has else ends,
    )
    projects = {e.key for e in elements.values() if e.collaboration}
    for key, group in links.pairs.items():
        if key in projects:  # one source, one key: the two would be one collaboration
            clash = RowError(
                "An element has this ID too: give the connection its own.", _column(connections, "id"), key
            )
            work.reject(group[0].row, clash, {})
            continue
        yield group[0].row, _pair(connections, key, group, work)


def _pair(sheet: Table, key: str, group: list[Connection], work: Work) -> dict[str, str]:
    """Connections between the same two organisations (without IDs) are one collaboration."""
    a, b = group[0].ends
    if len(group) > 1:
        rows = ", ".join(str(c.row) for c in group)
        work.note(f"{sheet.sheet} rows {rows} join {a.label} and {b.label}: read as one collaboration.")

    def first(column: str) -> str:
        return next((c.cells[column] for c in group if c.cells.get(column, "").strip()), "")

    kinds = (COLLABORATION_TYPES.get(normalise_header(c.type)) for c in group)
    out = {"title": (first("label").strip() or f"{a.label} and {b.label}")[:300], "source": SOURCE}
    out |= {"kind": next(filter(None, kinds), "partnership"), "external_id": key}
    out |= {"description": first("description")} if first("description") else {}
    return out | _taking_part([(a, "partner"), (b, "partner")])
