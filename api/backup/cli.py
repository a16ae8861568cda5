"""`roadmap export FILE` and `roadmap restore FILE`: the database (DATABASE_URL) to an archive and back."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from api import migrate as migrations
from api.backup import service
from api.backup.archive import BackupError, Manifest
from api.config import get_settings
from api.db import make_engine


def export_database(
    file: Annotated[
        Path, typer.Argument(dir_okay=False, help="The archive to write (a .zip); replaced whole.")
    ],
) -> None:
    """Write the whole database to a backup archive: every record and the audit trail, no secrets."""
    from api.cli import say

    engine = make_engine(get_settings().database_url, pool_size=1)
    try:
        with _progress("Exporting") as progress:
            manifest = service.export(engine, file, progress)
    except (BackupError, SQLAlchemyError, OSError) as error:
        _fail(error, "Nothing was exported")
    finally:
        engine.dispose()
    say(_summary(manifest, f"Exported to {file}"))
    say(
        f"[green]Exported {_rows(manifest)} rows from {_where()} (revision {manifest.revision}) "
        f"to {file}.[/green]"
    )
    say("Not in it: passwords, API key secrets, sign-in tokens, idempotency records, sign-in failures.")


def restore_database(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="An archive `roadmap export` wrote.")],
) -> None:
    """Load a backup archive into an empty database, then upgrade it to this version's schema."""
    from api.cli import say

    try:
        with _progress("Restoring") as progress:
            manifest = service.restore(get_settings().database_url, file, progress)
    except (BackupError, SQLAlchemyError, OSError) as error:
        _fail(error, "Nothing was restored")
    say(_summary(manifest, f"Restored from {file}"))
    say(
        f"[green]Restored {_rows(manifest)} rows into {_where()}, exported from {manifest.engine} "
        f"on {manifest.created_at:%Y-%m-%d %H:%M} UTC.[/green]"
    )
    if manifest.revision != (head := migrations.head_revision()):
        say(f"Its schema was upgraded from revision {manifest.revision} to {head}.")
    counts = {entry.name: entry.rows for entry in manifest.tables}
    if counts.get("account"):
        say(
            f"[yellow]The archive holds no passwords ({_count(counts['account'], 'account')} restored): "
            "an account signs in once given one with `roadmap set-password --email EMAIL`.[/yellow]"
        )
    if counts.get("api_key"):
        say(
            f"[yellow]The archive holds no API key secrets ({_count(counts['api_key'], 'key')} restored): "
            "a key works again once an administrator rotates it (POST /api/v1/api-keys/{id}/rotate).[/yellow]"
        )


@contextmanager
def _progress(doing: str) -> Iterator[service.Progress]:
    """A bar per table, on a terminal only: a log or a pipe gets the summary alone."""
    from api.cli import console

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    tasks: dict[str, TaskID] = {}

    def update(table: str, done: int, total: int) -> None:
        if table not in tasks:
            # One bar at a time: thirty would not fit a terminal, and the summary lists them all.
            for done_before in tasks.values():
                bar.update(done_before, visible=False)
            tasks[table] = bar.add_task(f"{doing} {table}", total=total)
        bar.update(tasks[table], completed=done)

    with bar:
        yield update


def _summary(manifest: Manifest, title: str) -> Table:
    table = Table("table", "rows", title=title)
    for entry in sorted(manifest.tables, key=lambda e: e.name):
        table.add_row(entry.name, str(entry.rows))
    return table


def _rows(manifest: Manifest) -> int:
    return sum(entry.rows for entry in manifest.tables)


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _where() -> str:
    return make_url(get_settings().database_url).render_as_string(hide_password=True)


def _fail(error: Exception, consequence: str) -> NoReturn:
    from api.cli import say

    if isinstance(error, BackupError):
        say(f"[red]{error} {consequence}.[/red]")
    else:
        # A database or file problem: its first line names it (the rest is SQL and links).
        reason = getattr(error, "orig", None) or error
        first = (str(reason).splitlines() or [type(reason).__name__])[0]
        say(f"[red]{consequence}: {first}[/red]")
    raise typer.Exit(1) from error
