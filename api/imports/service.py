"""Running an import: every row checked, then all written in one transaction, or none.

The import's record (models.DataImport) is committed on its own before the work starts and
after it ends, so its status outlives the work's transaction, whichever way that goes. A dry
run does everything a real one does, inside a transaction it then rolls back: its report of
what would be created, updated or left alone is exact, rows that refer to rows above
included.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlmodel import Session, col

from api import crud, models
from api.access import Access
from api.audit.service import Actor, act_as
from api.auth.principal import Principal
from api.db import analyze, for_writing
from api.errors import ProblemError
from api.imports import bulk, layouts, liveness
from api.imports.fields import RowError, from_problem, validate
from api.imports.kinds import IMPORTERS
from api.imports.kumu import GUESSED
from api.imports.liveness import Progress
from api.imports.reading import FileProblem, open_table
from api.imports.records import Importer
from api.imports.refs import Lookup
from api.imports.schemas import MAX_PROBLEMS, Counts, Import, ImportRequest, ImportStatus, RowProblem
from api.models import utcnow
from api.pagination import PageQuery, paginate
from api.writes import Audited

log = logging.getLogger(__name__)
SORTABLE = {"created_at": col(models.DataImport.created_at)}
FILENAME = 300  # the column's width: a client may send any name, and it is only ever shown
# Rows written past which the planner's statistics are refreshed with the import (api.db.analyze);
# below, autovacuum's own analyze soon catches up and a smaller import barely moves the plans.
ANALYZE_AFTER = 1000


@dataclass
class Work:
    """One run's state: what each row is given (api.imports.records.Run) and what it reports."""

    session: Session
    lookup: Lookup
    options: dict[str, Any]
    counts: Counts = field(default_factory=Counts)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)

    def note(self, text: str) -> None:
        if len(self.notes) < MAX_PROBLEMS and text not in self.notes:
            self.notes.append(text)

    def metric_codes(self) -> set[str]:
        return set(self.session.scalars(select(col(models.Metric.code))))

    def reject(self, number: int | None, error: RowError, row: dict[str, str]) -> None:
        self.counts.rejected += 1
        if len(self.problems) < MAX_PROBLEMS:
            column = self.columns.get(error.field, error.field) if error.field else None
            if error.field == "value" and layouts.VALUE_COLUMN in row:
                column = row[layouts.VALUE_COLUMN]
            self.problems.append(
                RowProblem(row=number, column=column, value=error.value, problem=error.message)
            )


def create(
    session: Session,
    asked: ImportRequest,
    *,
    filename: str | None,
    size: int,
    principal: Principal | None,
    actor: Actor,
) -> models.DataImport:
    """The import's record, queued: the caller commits it before the work starts."""
    record = models.DataImport(
        kind=asked.kind,
        format=asked.format,
        dry_run=asked.dry_run,
        filename=filename[:FILENAME] if filename else None,
        size_bytes=size,
        options=asked.options(),
        actor_kind=actor.kind,
        actor_id=actor.id,
        actor_name=actor.name,
        stakeholder_id=principal.stakeholder_id if principal else None,
    )
    session.add(record)
    session.flush()
    return record


def read(session: Session, record: models.DataImport) -> Import:
    """The import as recorded; while it runs in this process, with its counts so far."""
    found = Import.model_validate(record, from_attributes=True)
    live = liveness.LIVE.get(record.id) if record.status == ImportStatus.running else None
    return found.model_copy(update={"counts": live}) if live else found


def get(session: Session, id_: str, access: Access) -> models.DataImport:
    record = crud.get_or_404(session, models.DataImport, id_, "import")
    access.check(session, record)
    if record.status == ImportStatus.running and liveness.beats(session):
        liveness.interrupted(session)
    return record


def list_(session: Session, page: PageQuery, access: Access) -> tuple[list[Import], str | None]:
    """Newest first; a partner's own organisation's only."""
    D = models.DataImport
    stmt = select(D)
    if access.partner_of is not None:
        stmt = stmt.where(col(D.stakeholder_id) == access.partner_of)
    if liveness.beats(session):
        liveness.interrupted(session)
    keyset = paginate(stmt, page, SORTABLE, col(D.id), "-created_at")
    rows, next_cursor = keyset.split(list(session.scalars(keyset.stmt)))
    return [read(session, r) for r in rows], next_cursor


def run(
    factory: Callable[[], Session],
    import_id: str,
    source: BinaryIO,
    principal: Principal | None,
    actor: Actor,
    progress: Progress | None = None,
) -> models.DataImport:
    """Do the import, then record how it went. Never raises for anything in the file."""
    with factory() as session:
        record = session.get(models.DataImport, import_id)
        assert record is not None
        record.status, record.started_at = ImportStatus.running, utcnow()
        record.heartbeat_at, record.error, record.runner = utcnow(), None, liveness.RUNNER
        session.commit()
        kind, format_, dry_run, options = record.kind, record.format, record.dry_run, dict(record.options)
        beating = liveness.beats(session)
    work: Work | None = None
    error: str | None = None
    try:
        # On SQLite the write lock from the start: a transaction that reads first cannot take
        # it later if another writer committed in between (SQLITE_BUSY, at once, no wait).
        with for_writing(factory()) as session:
            work = Work(session, Lookup(session), options)
            act_as(session, actor)
            told = liveness.telling(factory, import_id, progress, beating)
            _rows(work, IMPORTERS[kind], format_, source, principal, told)
            if dry_run or work.counts.rejected:
                session.rollback()
            else:
                if work.counts.created + work.counts.updated >= ANALYZE_AFTER:
                    analyze(session)
                session.commit()
    except FileProblem as problem:
        error = str(problem)
    except Exception as failure:  # recorded on the import, and logged: it failed, nothing was written
        log.exception("import %s failed", import_id)
        error = f"The import stopped: {type(failure).__name__}. Nothing was written."
    return _finish(factory, import_id, work, error)


def _rows(
    work: Work,
    importer: Importer,
    format_: str,
    source: BinaryIO,
    principal: Principal | None,
    progress: Progress | None,
) -> None:
    document = layouts.DOCUMENTS.get(format_)
    if document is not None:
        laid_out = document(source, importer, work)
    else:
        table = open_table(source, sheet=work.options.get("sheet"))
        laid_out = layouts.LAYOUTS[format_](table, importer, work)
    if importer.bulk is not None:
        for _ in bulk.write(work, importer, importer.bulk, laid_out, principal, work.reject):
            if progress:
                progress(work.counts)
        return
    writes = Audited(importer.resource, importer.label, importer.read, parent=importer.parent)
    for number, row in laid_out:
        work.counts.rows += 1
        savepoint = work.session.begin_nested()
        try:
            action = _write(work, importer, writes, row, principal)
            savepoint.commit()
        except RowError as error:
            savepoint.rollback()
            work.lookup.forget()
            work.reject(number, error, row)
            continue
        except ProblemError as problem:
            savepoint.rollback()
            work.lookup.forget()
            work.reject(number, from_problem(problem), row)
            continue
        setattr(work.counts, action, getattr(work.counts, action) + 1)
        if progress and work.counts.rows % 500 == 0:
            progress(work.counts)
    if progress:
        progress(work.counts)


def _write(
    work: Work, importer: Importer, writes: Audited, row: dict[str, str], principal: Principal | None
) -> str:
    session = work.session
    values = importer.prepare(work, row)
    existing = importer.find(work, values)
    if existing is None:
        data = validate(importer.create, _only(importer.create, values), row)
        Access(principal, importer.resource, "create").check(session, None, data)
        created = importer.make(session, values, data)
        writes.created(session, created)
        return "created"
    # A layout's guess (a Kumu element's unknown Type read as `business`) fills a new record
    # only: it never overwrites what an existing one says.
    guessed = set(row.get(GUESSED, "").split(";"))
    given = {k: v for k, v in _only(importer.update, values).items() if k not in guessed}
    data = validate(importer.update, given, row)
    version, more = existing.version, [False]
    access = Access(principal, importer.resource, "update")

    def change() -> None:
        more[0] = importer.change(session, existing, data, values)

    writes.update(session, access, existing, data, "*", change)
    return "updated" if existing.version != version or more[0] else "unchanged"


def _only(schema: Any, values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k in schema.model_fields}


def _finish(
    factory: Callable[[], Session], import_id: str, work: Work | None, error: str | None
) -> models.DataImport:
    liveness.LIVE.pop(import_id, None)
    with factory() as session:
        record = session.get(models.DataImport, import_id)
        assert record is not None
        failed = error is not None or work is None or work.counts.rejected > 0
        record.status = ImportStatus.failed if failed else ImportStatus.succeeded
        record.error, record.finished_at = error, utcnow()
        if work is not None:
            record.counts = work.counts.model_dump()
            record.problems = [p.model_dump() for p in work.problems]
            record.notes = list(work.notes)
        session.commit()
        session.refresh(record)
        return record
