"""A metric's values in Open SDG's tidy layout, and its metadata under Open SDG's names.

One row a value: `Year`, `Series` (when values have a `series` breakdown), `Units`, a column
per breakdown (blank: the total), `GeoCode`, `Value`; with every column, also `Flags`, `Note`
and `Source`, and a bound written as the tidy import reads it (`<15`, `>90`, `c. 20`). The
headings are the import's own (api.imports.layouts), so the file imports back as it was,
with `--metric` naming the metric (a Series column is then read as the breakdown it was).

Only area-wide values: Open SDG charts a statistic by place, and a value measured on one
collaboration is that project's own figure, not part of it (the metric's value lists have those).
"""

import json
from collections.abc import Iterator, Sequence
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import literal, select
from sqlmodel import Session, col

from api import listing, models
from api.db import SessionFactory
from api.errors import Conflict
from api.imports.layouts import FLAGS, GEOCODE, NOTE, SERIES, SOURCE, TIDY, TIDY_FIELDS, UNITS, VALUE, YEAR
from api.imports.reading import normalise_header
from api.metrics import values
from api.metrics.schemas import plain_number
from api.open_data import service
from api.open_data.schemas import OpenSdgMeta, TidyColumns, ValueKind
from api.pagination import PageQuery, paginate
from api.tabular import write_csv

SERIES_PART = normalise_header(SERIES)  # a breakdown of this name is the Series column
RESERVED = {*TIDY, *TIDY_FIELDS} - {SERIES_PART}  # names the import reads as something else
BOUNDS = {"eq": "", "lt": "<", "gt": ">", "approx": "c. "}  # as api.imports.cells.parse_value reads them


def _kind(kind: ValueKind) -> values.Kind:
    return next(k for k in values.KINDS if k.plural == kind)


def breakdown_names(session: Session, metric_id: str, kind: ValueKind) -> list[str]:
    """The breakdowns the area-wide values are given for, a column each, by name. 409 for a
    name the layout reads as one of its own columns: the file would not read back."""
    t = _kind(kind).table
    keys = session.scalars(
        select(col(t.breakdown_key))
        .distinct()
        .where(col(t.metric_id) == metric_id, col(t.collaboration_id).is_(None), col(t.breakdown_key) != "")
    )
    names = sorted({name for key in keys for name in json.loads(key)})
    clashing = [n for n in names if n in RESERVED]
    if clashing:
        raise Conflict(
            f"Breakdowns named {', '.join(clashing)} cannot be told apart from the tidy layout's own "
            "columns: rename the breakdown to export these values in this layout."
        )
    return names


def _split(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """The `series` breakdown (Open SDG's own column, after Year) and the others."""
    return [n for n in names if n == SERIES_PART], [n for n in names if n != SERIES_PART]


def _heading(name: str) -> str:
    """`age_band` as `Age band`, which the import reads back as `age_band`."""
    pretty = name.replace("_", " ").capitalize()
    return pretty if normalise_header(pretty) == name else name


def headings(names: Sequence[str], columns: TidyColumns) -> list[str]:
    series, others = _split(names)
    extra = [FLAGS, NOTE, SOURCE] if columns is TidyColumns.all else []
    return [YEAR, *(SERIES for _ in series), UNITS, *map(_heading, others), GEOCODE, VALUE, *extra]


def _year(day: date) -> str:
    """A year where the value is for 1 January (as the import reads `2023`), else the day."""
    return str(day.year) if (day.month, day.day) == (1, 1) else day.isoformat()


def _page(
    session: Session,
    cursor: str | None,
    metric: models.Metric,
    kind: ValueKind,
    names: Sequence[str],
    full: bool,
) -> tuple[list[list[Any]], str | None]:
    """A page of area-wide values as rows of `headings`, in the order the value lists page them."""
    t, A = _kind(kind).table, models.Area
    qualifier = col(t.qualifier) if hasattr(t, "qualifier") else literal("eq")
    stmt = (
        select(col(t.id), col(t.date), col(t.value), qualifier.label("bound"), col(t.breakdown), col(t.flags))
        .add_columns(col(t.source), col(t.note), col(A.code), col(A.name))
        .join(A, col(A.id) == col(t.area_id))
        .where(col(t.metric_id) == metric.id, col(t.collaboration_id).is_(None))
    )
    keyset = paginate(
        stmt, PageQuery(listing.FILE_PAGE, cursor, None), {"date": col(t.date)}, col(t.id), "date"
    )
    found, next_cursor = keyset.split(list(session.execute(keyset.stmt)))
    (series, others), known = _split(names), set(names)
    rows = []
    for v in found:
        if not v.breakdown.keys() <= known:
            continue  # a breakdown first given since the headings were read: in the next file, not misread
        number = plain_number(v.value)
        shown, extra = (
            (f"{BOUNDS[v.bound]}{number}", [";".join(v.flags), v.note, v.source]) if full else (number, [])
        )
        head = [_year(v.date), *(v.breakdown.get(n, "") for n in series), metric.unit]
        rows.append([*head, *(v.breakdown.get(n, "") for n in others), v.code or v.name, shown, *extra])
    return rows, next_cursor


def data(
    factory: SessionFactory,
    metric: models.Metric,
    kind: ValueKind,
    names: Sequence[str],
    columns: TidyColumns,
) -> Iterator[bytes]:
    """The CSV, a page of values at a time (api.open_data.service.paged)."""
    full = columns is TidyColumns.all
    read = partial(_page, metric=metric, kind=kind, names=names, full=full)
    return write_csv(headings(names, columns), service.paged(factory, read))


def meta(session: Session, metric: models.Metric) -> OpenSdgMeta:
    seen = models.Observation
    observed = session.scalars(
        select(col(seen.id))
        .where(col(seen.metric_id) == metric.id, col(seen.collaboration_id).is_(None))
        .limit(1)
    ).first()
    return OpenSdgMeta(
        indicator_number=metric.code,
        indicator_name=metric.name,
        graph_title=metric.name,
        reporting_status="complete" if observed else "notstarted",
        computation_units=metric.unit,
        computation_calculations=metric.method,
        national_indicator_periodicity=metric.frequency,
        source_active_1=metric.source is not None,
        source_organisation_1=metric.source,
        source_periodicity_1=metric.frequency,
    )
