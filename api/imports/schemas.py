"""What an import is asked to do, and what it reports."""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, model_validator

from api.bounds import BigCount, Count, Name, Quoted, Timestamp
from api.schema_base import Resource


class ImportKind(StrEnum):
    """What the file holds: a resource's plural name, as in URLs."""

    areas = "areas"
    stakeholders = "stakeholders"
    collaborations = "collaborations"
    baselines = "baselines"
    targets = "targets"
    observations = "observations"
    support_schemes = "support-schemes"


class ImportFormat(StrEnum):
    """How the file is laid out. CSV or XLSX is told from the file itself; `oruk` is JSON."""

    fields = "fields"  # one record a row, the API's field names as columns (what exports write)
    tidy = "tidy"
    wide = "wide"
    ons_lookup = "ons-lookup"
    giving360 = "360giving"
    kumu = "kumu"  # a Kumu workbook: `Elements` and `Connections` sheets
    oruk = "oruk"  # an Open Referral UK feed of services: a JSON file


VALUES = ("baselines", "targets", "observations")
MAX_PROBLEMS = 1000  # reported; the count of rejected rows goes on
# The kinds each layout can hold (the fields layout holds any).
LAYOUT_KINDS = {
    ImportFormat.tidy: VALUES,
    ImportFormat.wide: VALUES,
    ImportFormat.ons_lookup: ("areas",),
    ImportFormat.giving360: ("collaborations",),
    ImportFormat.kumu: ("stakeholders", "collaborations"),
    ImportFormat.oruk: ("support-schemes",),
}


class ImportStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class ImportRequest(BaseModel):
    """What to import and how: the query parameters of POST /imports, the CLI's options."""

    kind: ImportKind = Field(description="What the file holds.")
    format: ImportFormat = Field(default=ImportFormat.fields, description="How it is laid out.")
    dry_run: bool = Field(default=False, description="Check every row and report; write nothing.")
    metric: str | None = Field(
        default=None, max_length=100, description="The metric's code, for a file without one."
    )
    date: str | None = Field(
        default=None, max_length=20, description="The figures' date, for a file without one."
    )
    sheet: str | None = Field(
        default=None, max_length=100, description="The XLSX sheet; the first by default."
    )
    map: list[Name] = Field(
        default_factory=list, max_length=200, description="`wide`: `COLUMN=metric-code`, once per column."
    )

    @model_validator(mode="after")
    def _layout_fits_kind(self) -> "ImportRequest":
        fits = LAYOUT_KINDS.get(self.format)
        if fits is not None and self.kind not in fits:
            raise ValueError(f"A {self.format} file holds {' or '.join(fits)}, not {self.kind}.")
        return self

    def options(self) -> dict[str, str]:
        given = {"metric": self.metric, "date": self.date, "sheet": self.sheet, "map": ";".join(self.map)}
        return {k: v for k, v in given.items() if v}


class RowProblem(BaseModel):
    """One thing wrong with the file: where, what it held, and why it cannot be imported."""

    row: Count | None = Field(description="The row as a spreadsheet numbers it (the header is row 1).")
    column: Quoted | None = Field(description="The column as the file names it.")
    value: Quoted | None
    problem: Quoted


class Counts(BaseModel):
    rows: Count = 0
    created: Count = 0
    updated: Count = 0
    unchanged: Count = 0
    rejected: Count = 0


class Import(Resource):
    kind: ImportKind
    format: ImportFormat
    dry_run: bool = Field(description="Checked and reported, nothing written.")
    status: ImportStatus
    filename: Name | None
    size_bytes: BigCount
    options: dict[str, Any]
    counts: Counts = Field(
        description="What was (or, in a dry run, would be) created, updated or left alone."
    )
    problems: list[RowProblem] = Field(
        max_length=MAX_PROBLEMS, description="Why rows cannot be imported: any at all and nothing is."
    )
    notes: list[Quoted] = Field(
        max_length=MAX_PROBLEMS,
        description="Worth knowing but not fatal: extra columns, possible duplicates.",
    )
    error: Quoted | None = Field(description="Why the import failed, when it was not its rows.")
    actor_name: Name
    started_at: Timestamp | None
    finished_at: Timestamp | None
