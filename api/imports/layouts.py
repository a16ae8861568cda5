"""How a file is laid out, turned into rows of the API's field names for one kind of record.

Each layout yields (row number, row) pairs; a row maps field names to cell text.
"""

from collections.abc import Callable, Iterator
from typing import Protocol

from api.imports.reading import Table
from api.imports.records import Importer

Rows = Iterator[tuple[int, dict[str, str]]]


class Notes(Protocol):
    columns: dict[str, str]  # field name to the column as the file names it, for problems

    def note(self, text: str) -> None: ...


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
