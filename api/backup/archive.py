"""The backup archive: a zip of `manifest.json` and one JSON Lines entry per table.

Each value is written as its column's type reads it, so it reads back exactly on either
engine: datetimes ISO 8601 with their zone, dates and times ISO, decimals as strings, bytes
as base64, JSON columns as JSON, the rest (text, integers, booleans) as they are.
"""

import base64
import json
import os
import tempfile
import time as time_
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa
from pydantic import AwareDatetime, BaseModel, Field, ValidationError

FORMAT = "roadmap-tracker-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """An export or restore refused or failed; the message says why, in one line."""


class TableEntry(BaseModel):
    name: str
    rows: int = Field(ge=0)
    columns: dict[str, str]  # column -> kind (see ENCODE)

    @property
    def member(self) -> str:
        return f"tables/{self.name}.jsonl"


class Manifest(BaseModel):
    format: Literal["roadmap-tracker-backup"] = "roadmap-tracker-backup"
    format_version: int = FORMAT_VERSION
    revision: str  # the source database's Alembic revision
    created_at: AwareDatetime
    engine: str
    app_version: str | None
    tables: list[TableEntry]  # in foreign-key order
    left_out: dict[str, str]  # table or table.column -> why it is not here


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def _same(value: Any) -> Any:
    return value


ENCODE: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.isoformat,
    "date": date.isoformat,
    "time": time.isoformat,
    "decimal": str,
    "bytes": _b64,
    "json": _same,
    "plain": _same,
}
DECODE: dict[str, Callable[[Any], Any]] = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "decimal": Decimal,
    "bytes": base64.b64decode,
    "json": _same,
    "plain": _same,
}
# By the Python type a column reads as; checked exactly, as a datetime is also a date.
KINDS: dict[type, str] = {
    datetime: "datetime",
    date: "date",
    time: "time",
    Decimal: "decimal",
    bytes: "bytes",
    dict: "json",
    list: "json",
}


def kind_of(type_: sa.types.TypeEngine[Any]) -> str:
    """How a column's values are written: from the Python type it reads as."""
    if isinstance(type_, sa.TypeDecorator):
        # Its own python_type is `object`; what it reads as is its impl's (UTCDateTime, ExactDecimal).
        return kind_of(type_.impl_instance)
    if isinstance(type_, sa.JSON):
        return "json"
    try:
        python_type = type_.python_type
    except NotImplementedError:
        return "plain"
    return KINDS.get(python_type, "plain")


def encoder(columns: Sequence[tuple[str, str]]) -> Callable[[Sequence[Any]], bytes]:
    """One row (values in `columns` order) as one JSON line."""
    coders = [(name, ENCODE[kind]) for name, kind in columns]

    def encode(row: Sequence[Any]) -> bytes:
        out = {name: None if v is None else code(v) for (name, code), v in zip(coders, row, strict=True)}
        return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"

    return encode


@contextmanager
def writing(path: Path) -> Iterator[zipfile.ZipFile]:
    """A new archive at `path`, put there only once whole: a failed export leaves what was there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(fd)
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            yield zf
        os.replace(partial, path)
    finally:
        Path(partial).unlink(missing_ok=True)


def write_table(zf: zipfile.ZipFile, entry: TableEntry, batches: Iterable[Sequence[Sequence[Any]]]) -> int:
    """Write a table's rows batch by batch (never the whole table in memory); the count written."""
    encode, written = encoder(list(entry.columns.items())), 0
    member = zipfile.ZipInfo(entry.member, date_time=time_.localtime()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    # force_zip64: a table's size is not known before it is written and may pass 2 GiB.
    with zf.open(member, "w", force_zip64=True) as out:
        for batch in batches:
            out.write(b"".join(encode(row) for row in batch))
            written += len(batch)
    return written


def write_manifest(zf: zipfile.ZipFile, manifest: Manifest) -> None:
    zf.writestr(MANIFEST, manifest.model_dump_json(indent=2) + "\n")


class Reader:
    """An archive opened for a restore: its manifest checked first, then its tables read as streams."""

    def __init__(self, path: Path) -> None:
        self.name = path.name
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as error:
            raise BackupError(f"{path.name} is not a Roadmap Tracker backup: {_reason(error)}.") from error
        try:
            self.manifest = self._manifest()
        except BaseException:
            self.zip.close()
            raise

    def _manifest(self) -> Manifest:
        try:
            raw = json.loads(self.zip.read(MANIFEST))
        except KeyError as error:
            raise BackupError(
                f"{self.name} is not a Roadmap Tracker backup: it has no {MANIFEST}."
            ) from error
        except (ValueError, zipfile.BadZipFile, zlib.error) as error:
            raise BackupError(f"{self.name} is damaged: its {MANIFEST} cannot be read.") from error
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise BackupError(f"{self.name} is not a Roadmap Tracker backup: its {MANIFEST} is another's.")
        version = raw.get("format_version")
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise BackupError(
                f"{self.name} is a backup of format {version}, newer than this Roadmap Tracker reads "
                f"({FORMAT_VERSION}); upgrade this installation first."
            )
        try:
            manifest = Manifest.model_validate(raw)
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise BackupError(
                f"{self.name} is damaged: its {MANIFEST} has {where}: {first['msg']}."
            ) from error
        members = set(self.zip.namelist())
        for entry in manifest.tables:
            if entry.member not in members:
                raise BackupError(f"{self.name} is damaged: it lacks {entry.member}.")
            if unknown := set(entry.columns.values()) - DECODE.keys():
                raise BackupError(f"{self.name} is damaged: {entry.name} has columns of kind {unknown}.")
        return manifest

    def rows(self, entry: TableEntry) -> Iterator[dict[str, Any]]:
        """A table's rows, decoded, one at a time; a damaged line stops it with its number."""
        decoders = [(name, DECODE[kind]) for name, kind in entry.columns.items()]
        names = set(entry.columns)
        line = 0
        try:
            with self.zip.open(entry.member) as stream:
                for text in stream:
                    line += 1
                    raw = json.loads(text)
                    if not isinstance(raw, dict) or raw.keys() != names:
                        raise ValueError("not the manifest's columns")
                    yield {n: None if raw[n] is None else decode(raw[n]) for n, decode in decoders}
        except (ValueError, TypeError, InvalidOperation, zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise BackupError(
                f"{self.name} is damaged: {entry.member} line {line}: {_reason(error)}."
            ) from error

    def close(self) -> None:
        self.zip.close()


def _reason(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0].rstrip(".")
