"""What an import is asked to do, and what it reports."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

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
    """How the file is laid out. CSV or XLSX is told from the file itself."""

    fields = "fields"  # one record a row, the API's field names as columns (what exports write)
    tidy = "tidy"
    wide = "wide"
    ons_lookup = "ons-lookup"
    giving360 = "360giving"
    kumu = "kumu"


class ImportStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class RowProblem(BaseModel):
    """One thing wrong with the file: where, what it held, and why it cannot be imported."""

    row: int | None = Field(description="The row as a spreadsheet numbers it (the header is row 1).")
    column: str | None = Field(description="The column as the file names it.")
    value: str | None
    problem: str


class Counts(BaseModel):
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


class Import(Resource):
    kind: ImportKind
    format: ImportFormat
    dry_run: bool = Field(description="Checked and reported, nothing written.")
    status: ImportStatus
    filename: str | None
    size_bytes: int
    options: dict[str, Any]
    counts: Counts = Field(
        description="What was (or, in a dry run, would be) created, updated or left alone."
    )
    problems: list[RowProblem] = Field(description="Why rows cannot be imported: any at all and nothing is.")
    notes: list[str] = Field(description="Worth knowing but not fatal: extra columns, possible duplicates.")
    error: str | None = Field(description="Why the import failed, when it was not its rows.")
    actor_name: str
    started_at: datetime | None
    finished_at: datetime | None
