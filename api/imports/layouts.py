"""How a file is laid out, turned into rows of the API's field names for one kind of record.

Each layout yields (row number, row) pairs; a row maps field names to cell text.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, BinaryIO, Protocol

from api.imports import oruk
from api.imports.fields import RowError
from api.imports.kumu import kumu
from api.imports.reading import Table, normalise_header
from api.imports.records import Importer

Rows = Iterator[tuple[int, dict[str, str]]]


class Notes(Protocol):
    columns: dict[str, str]  # field name to the column as the file names it, for problems

    @property
    def options(self) -> Mapping[str, Any]: ...

    def note(self, text: str) -> None: ...

    def metric_codes(self) -> set[str]: ...

    def reject(self, number: int | None, error: RowError, row: dict[str, str]) -> None: ...


def fields(table: Table, importer: Importer, work: Notes) -> Rows:
    """One record a row, the API's field names (or their usual aliases) as columns."""
    names = {h: importer.aliases.get(h, h) for h in table.headers}
    work.columns.update({name: table.original[h] for h, name in names.items()})
    ignored = [table.original[h] for h, name in names.items() if name not in importer.columns]
    if ignored:
        work.note(f"Not read (not a field of {importer.resource}): {', '.join(ignored)}.")
    extra_noted = False
    for row in table.rows:
        if row.extra and not extra_noted:
            work.note(f"Row {row.number} has cells beyond the last heading: they are not read.")
            extra_noted = True
        yield row.number, {names[h]: v for h, v in row.values.items() if names.get(h) in importer.columns}


Layout = Callable[[Table, Importer, Notes], Rows]
LAYOUTS: dict[str, Layout] = {"fields": fields}


# --- tidy: the Open SDG layout ----------------------------------------------------------------

# The layout's own columns as Open SDG heads them; the export (api.open_data) writes these.
YEAR, SERIES, UNITS, GEOCODE, VALUE = "Year", "Series", "Units", "GeoCode", "Value"
TIDY = {
    normalise_header(YEAR): "date",
    normalise_header(GEOCODE): "area_id",
    normalise_header(VALUE): "value",
    normalise_header(UNITS): "",
    normalise_header(SERIES): "series",
}
# Never breakdowns: the first three are read with the value, the others are Open SDG's own.
SOURCE, NOTE, FLAGS = "Source", "Note", "Flags"
TIDY_FIELDS = {normalise_header(h) for h in (SOURCE, NOTE, FLAGS)} | {
    "observation_status",
    "unit_measure",
    "unit_multiplier",
}


def tidy(table: Table, importer: Importer, work: Notes) -> Rows:
    """One value a row: `Year`, optional `Series` and `Units`, breakdown columns, `GeoCode`, `Value`.

    Every other column is a breakdown (`Age`, `Sex`); a blank breakdown cell is the total.
    `Series` names the metric unless the file's metric is given, when it is a breakdown too.
    """
    if "value" not in table.headers:
        work.note("A tidy file has a Value column; this one has none.")
    work.columns.update({TIDY.get(h) or h: table.original[h] for h in table.headers if TIDY.get(h) != ""})
    metric_named = bool(work.options.get("metric"))
    parts = [h for h in table.headers if h not in TIDY and h not in TIDY_FIELDS]
    if "units" in table.headers:
        work.note("Units are the metric's: the Units column is not read.")
    for row in table.rows:
        cells = row.values
        out = {TIDY[h]: v for h, v in cells.items() if TIDY.get(h)}
        out.update({h: cells[h] for h in ("source", "note", "flags") if cells.get(h)})
        breakdown = [f"{p}:{cells[p]}" for p in parts if cells.get(p, "").strip()]
        series = out.pop("series", "").strip()
        if series and metric_named:
            breakdown.insert(0, f"series:{series}")
        elif series:
            out["metric_id"] = series
        out["breakdown"] = ";".join(breakdown)
        yield row.number, out


# --- wide: one row per area, one column per metric (Ofcom, ONS local tables) -----------------

VALUE_COLUMN = "_value_column"
AREA_COLUMNS = ("area_id", "area", "area_code", "geocode", "code", "gss_code", "area_name", "name")


def _area_column(headers: list[str]) -> str | None:
    for name in AREA_COLUMNS:
        if name in headers:
            return name
    return next((h for h in headers if h.endswith("cd")), None)  # ONS: LAD23CD and the like


def wide(table: Table, importer: Importer, work: Notes) -> Rows:
    """One row per area and one column per metric: `--map COLUMN=code`, or columns named as
    metrics' codes; the figures' date from `--date` (or a date column)."""
    pairs = (p.partition("=") for p in str(work.options.get("map") or "").split(";") if p)
    mapping = {normalise_header(column): code.strip() for column, _, code in pairs}
    area = _area_column(table.headers)
    if area is None:
        work.note("No area column (GeoCode, area, or an ONS …CD column): every row lacks its area.")
    if mapping:
        measured = {h: mapping[h] for h in table.headers if h in mapping}
        missing = [column for column in mapping if column not in table.headers]
        if missing:
            work.note(f"Mapped but not in the file: {', '.join(missing)}.")
    else:  # without a map, the columns named as metrics' codes are read
        known = work.metric_codes()
        measured = {h: h.replace("_", "-") for h in table.headers if h.replace("_", "-") in known}
    measured = {h: code for h, code in measured.items() if h not in ("date", "source", "note", area)}
    shared = [h for h in ("date", "source", "note") if h in table.headers]  # for each figure on the row
    unread = [table.original[h] for h in table.headers if h not in measured and h not in (area, *shared)]
    if unread:
        work.note(f"Not read (not mapped to a metric): {', '.join(unread)}.")
    if not measured:
        work.note("No column is mapped to a metric: use --map COLUMN=code.")
    for row in table.rows:
        for h, code in measured.items():
            value = row.values.get(h, "")
            if not value.strip():
                continue
            out = {"metric_id": code, "area_id": row.values.get(area or "", ""), "value": value}
            out[VALUE_COLUMN] = table.original[h]  # a bad figure is named by its own column
            out.update({s: row.values[s] for s in shared if row.values.get(s)})
            yield row.number, out


# --- ons-lookup: an ONS geography lookup loads the area hierarchy -----------------------------

LEVELS = (  # highest first: each row's parents are created before its children
    ("rgn", "region"),
    ("itl1", "region"),
    ("cauth", "combined_authority"),
    ("lep", "lep"),
    ("utla", "local_authority"),
    ("ctyua", "local_authority"),
    ("lad", "local_authority"),
    ("ltla", "local_authority"),
    ("wd", "ward"),
)


def ons_lookup(table: Table, importer: Importer, work: Notes) -> Rows:
    """Year-suffixed code and name columns (WD23CD, WD23NM, LAD23CD, …, RGN23CD): each area
    once, with the areas above it on its row as parents (added to any it has already)."""
    found: list[tuple[str, str, str]] = []  # (kind, code column, name column)
    for prefix, kind in LEVELS:
        for h in table.headers:
            match = re.fullmatch(rf"{prefix}[0-9]{{2}}cd", h)
            name = h[:-2] + "nm" if match else ""
            if match and name in table.headers:
                found.append((kind, h, name))
    if not found:
        work.note("No ONS code and name column pairs (such as LAD23CD and LAD23NM) were found.")
    work.columns.update({"code": "…CD", "name": "…NM"})
    seen: set[str] = set()
    for row in table.rows:
        above: list[str] = []
        for kind, code_column, name_column in found:
            code = row.values.get(code_column, "").strip()
            if not code:
                continue
            if code not in seen:
                seen.add(code)
                parents = ";".join(p for p in above if p != code)
                yield (
                    row.number,
                    {
                        "code": code,
                        "name": row.values.get(name_column, ""),
                        "kind": kind,
                        "add_parent_ids": parents,
                    },
                )
            above.append(code)


# --- 360Giving: grants become funded collaborations -------------------------------------------

GRANT_COLUMNS = {  # 360Giving's headings (the export writes them), and the fields they fill
    "Identifier": "external_id",
    "Title": "title",
    "Description": "description",
    "Amount Awarded": "funding_amount_pence",  # in pounds: read as such (see giving360)
    "Planned Dates:Start Date": "start_date",
    "Planned Dates:End Date": "end_date",
    "Beneficiary Location:Geographic Code": "area_ids",
}
GRANT = {normalise_header(heading): field for heading, field in GRANT_COLUMNS.items()}
AWARD_DATE = "Award Date"  # the start date, where no planned one is given
GIVING360 = "360giving"  # the source a grant's collaboration (and a new organisation) is keyed by
PARTIES = {"Funding Org": "funder", "Recipient Org": "lead"}  # each with :Identifier and :Name


def giving360(table: Table, importer: Importer, work: Notes) -> Rows:
    """360Giving grants: each a funded project, its funder and recipient taking part (added
    as organisations when they are not here yet), matched again by its grant Identifier."""
    work.columns.update({field: table.original[h] for h, field in GRANT.items() if h in table.headers})
    for row in table.rows:
        cells = row.values
        out = {field: cells[h] for h, field in GRANT.items() if cells.get(h, "").strip()}
        if amount := out.get("funding_amount_pence", "").strip():
            # 360Giving's amounts are pounds; a pence field reads pounds when they say so.
            out["funding_amount_pence"] = amount if amount.startswith("£") else f"£{amount}"
        out.update({"source": GIVING360, "kind": "project", "funding_status": "funded"})
        awarded = cells.get(normalise_header(AWARD_DATE), "")
        if not out.get("start_date") and awarded:
            out["start_date"] = awarded
        parties = []
        for party, role in PARTIES.items():
            who = normalise_header(party)
            key, name = cells.get(f"{who}:identifier", "").strip(), cells.get(f"{who}:name", "").strip()
            if key or name:
                parties.append((f"{key}|{name}", f"{key or name}:{role}"))
        out["organisations"] = ";".join(p for p, _ in parties)
        out["participants"] = ";".join(r for _, r in parties)
        yield row.number, out


LAYOUTS["360giving"] = giving360
LAYOUTS["tidy"] = tidy
LAYOUTS["wide"] = wide
LAYOUTS["ons-lookup"] = ons_lookup
LAYOUTS["kumu"] = kumu  # a Kumu map's two sheets: api.imports.kumu

# Layouts of a JSON document rather than a table: given the file itself.
Document = Callable[[BinaryIO, Importer, Notes], Rows]
DOCUMENTS: dict[str, Document] = {"oruk": oruk.services}  # an Open Referral UK feed: api.imports.oruk
