"""`roadmap import FILE --kind KIND`: the same import the API runs, with a progress bar."""

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from api.audit.service import Actor
from api.config import get_settings
from api.db import make_engine
from api.imports import service
from api.imports.schemas import Counts, ImportFormat, ImportKind, ImportRequest, ImportStatus

CLI = Actor("system", None, "roadmap import")


def import_file(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="A CSV or XLSX file (JSON for --format oruk)."
        ),
    ],
    kind: Annotated[ImportKind, typer.Option(help="What the file holds.")],
    format: Annotated[ImportFormat, typer.Option(help="How it is laid out.")] = ImportFormat.fields,
    dry_run: Annotated[bool, typer.Option(help="Check every row and report; write nothing.")] = False,
    metric: Annotated[
        str | None, typer.Option(help="The metric's code, if the file has no metric column.")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help="The date the figures refer to, if the file has none.")
    ] = None,
    sheet: Annotated[str | None, typer.Option(help="The XLSX sheet (the first by default).")] = None,
    map: Annotated[
        list[str] | None, typer.Option("--map", help="wide: COLUMN=metric-code, once per column.")
    ] = None,
) -> None:
    """Import a CSV, XLSX or JSON file: checked whole, written in one transaction, or not at all."""
    from api.cli import say

    factory = sessionmaker(make_engine(get_settings().database_url), class_=Session)
    try:
        asked = ImportRequest(
            kind=kind, format=format, dry_run=dry_run, metric=metric, date=date, sheet=sheet, map=map or []
        )
    except ValidationError as error:
        say(f"[red]{error.errors()[0]['msg'].removeprefix('Value error, ')}[/red]")
        raise typer.Exit(2) from error
    with factory() as session:
        record = service.create(
            session, asked, filename=file.name, size=file.stat().st_size, principal=None, actor=CLI
        )
        session.commit()
        import_id = record.id
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rows]} rows"),
        TimeElapsedColumn(),
        transient=True,
    )
    with bar, file.open("rb") as source:
        task = bar.add_task(f"{'Checking' if dry_run else 'Importing'} {file.name}", total=None, rows=0)

        def progress(counts: Counts) -> None:
            bar.update(task, rows=counts.rows)

        record = service.run(factory, import_id, source, None, CLI, progress)
    counts = Counts.model_validate(record.counts)
    summary = Table(
        "rows",
        "created",
        "updated",
        "unchanged",
        "rejected",
        title=f"{'Dry run of ' if dry_run else ''}{file.name} ({kind})",
    )
    summary.add_row(
        *(str(getattr(counts, f)) for f in ("rows", "created", "updated", "unchanged", "rejected"))
    )
    say(summary)
    for note in record.notes:
        say(f"[yellow]Note:[/yellow] {note}")
    if record.problems:
        problems = Table("row", "column", "value", "problem", title="Why rows cannot be imported")
        for p in record.problems:
            problems.add_row(str(p["row"] or ""), p["column"] or "", p["value"] or "", p["problem"])
        say(problems)
    if record.status != ImportStatus.succeeded:
        why = record.error or "Nothing was imported: fix the rows above and import the file again."
        say(f"[red]{why}[/red]")
        raise typer.Exit(1)
    say(
        "[green]Dry run: every row can be imported; nothing was written.[/green]"
        if dry_run
        else "[green]Imported.[/green]"
    )
