"""Running an import in a test as the API's runner does: its record committed, then the work."""

import io
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from api import models
from api.audit.service import Actor
from api.imports import service
from api.imports.schemas import ImportRequest

TEAM = Actor("account", None, "digital team")
Factory = Callable[[], Session]


def run(
    factory: Factory,
    kind: str,
    data: str | bytes,
    *,
    dry_run: bool = False,
    filename: str = "f.csv",
    **options: Any,
) -> models.DataImport:
    """Import `data` as `kind` (options as the query's: format, metric, date, map, sheet)."""
    raw = data.encode() if isinstance(data, str) else data
    asked = ImportRequest(kind=kind, format=options.pop("format", "fields"), dry_run=dry_run, **options)
    with factory() as session:
        record = service.create(session, asked, filename=filename, size=len(raw), principal=None, actor=TEAM)
        session.commit()
        import_id = record.id
    return service.run(factory, import_id, io.BytesIO(raw), None, TEAM)


def count(factory: Factory, table: Any) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0
