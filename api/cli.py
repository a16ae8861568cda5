"""`roadmap`: serve, migrate, load the roadmap data, back it up, write the OpenAPI document."""

import ctypes
import json
import os
import secrets
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from api import logs, monitoring
from api import migrate as migrations
from api.accounts import service as accounts
from api.backup.cli import export_database, restore_database
from api.config import get_settings
from api.db import make_engine
from api.enums import AccessRole
from api.errors import ProblemError
from api.imports.cli import import_file
from api.seed import loader

app = typer.Typer(no_args_is_help=True, help="Roadmap Tracker: a region's digital roadmap API.")
console = Console()
app.command("import")(import_file)
app.command("export")(export_database)
app.command("restore")(restore_database)
OPENAPI_FILE = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def say(*objects: object) -> None:
    """Print with rich: word-wrapped to a terminal's width, but never cut into lines when piped.

    Rich wraps at 80 columns (or $COLUMNS) when the output is not a terminal, which would break a
    message, a path or a password across lines in a log or a captured output; so wrap only for a
    terminal (whatever FORCE_COLOR says about colour).
    """
    isatty = getattr(console.file, "isatty", None)
    try:
        terminal = bool(isatty and isatty())
    except ValueError:  # a closed file
        terminal = False
    console.print(*objects, soft_wrap=not terminal)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
) -> None:
    """Serve the API with uvicorn; logs on stderr as LOG_FORMAT says (json, text, auto)."""
    settings = get_settings()
    monitoring.forget_previous_run()
    _few_malloc_arenas()
    uvicorn.run(
        "api.main:app",
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        timeout_keep_alive=settings.keep_alive_seconds,
        timeout_worker_healthcheck=settings.worker_healthcheck_seconds,
        log_config=logs.config(settings.log_format, settings.log_level),
        access_log=False,  # api.requests logs each request, without its query string
    )


M_ARENA_MAX = -8  # glibc's mallopt parameter


def _few_malloc_arenas() -> None:
    """glibc gives threads that allocate at once arenas of their own, up to 8 per CPU, and what
    is freed stays in each: under the thread pool's threads the workers grew 15% in a 5-minute
    soak and went on growing; with 2 arenas they stayed flat, with no loss of throughput seen
    (bench/RESULTS.md). The workers uvicorn starts read MALLOC_ARENA_MAX from the environment;
    this process, already running, is told directly. An operator's own value is kept."""
    arenas = os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return  # not glibc (musl, macOS): its allocator is its own
    if arenas.isdigit():
        libc.mallopt(M_ARENA_MAX, int(arenas))


@app.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Upgrade the database schema (DATABASE_URL) to a revision, head by default."""
    url = get_settings().database_url
    migrations.upgrade(url, revision)
    say(f"[green]Database migrated to {revision}.[/green]")


@app.command("load-roadmap")
def load_roadmap(
    file: Annotated[Path | None, typer.Option(help="A roadmap data file (JSON).")] = None,
) -> None:
    """Load a roadmap's data (the West Midlands by default); loading twice changes nothing.

    Records only the loader has written are brought up to date with the file; what anyone
    else has changed is kept."""
    try:
        seed = loader.read(file) if file else loader.read()
    except (OSError, ValidationError) as exc:
        say(f"[red]Cannot load {file or loader.WEST_MIDLANDS}:[/red]\n{exc}")
        raise typer.Exit(2) from exc
    with _sessions() as session:
        created = loader.load(session, seed)
        session.commit()
    table = Table("records", "created", "updated", title=f"Loaded {seed.roadmap.title}")
    for kind in (
        "areas",
        "roadmaps",
        "stakeholders",
        "missions",
        "outcomes",
        "collaborations",
        "participants",
        "metrics",
        "baselines",
    ):
        table.add_row(kind, str(created[kind]), str(created.get(f"{kind} updated", 0)))
    say(table)
    if not sum(created.values()):
        say("Everything was already loaded; nothing changed.")


def _sessions() -> Session:
    return sessionmaker(make_engine(get_settings().database_url), class_=Session)()


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(help="The administrator's e-mail address.")],
    password: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="Asked for if omitted."),
    ],
) -> None:
    """Create an administrator account."""
    with _sessions() as session:
        try:
            accounts.create(session, email, password, AccessRole.admin)
        except ProblemError as exc:
            say(f"[red]{exc.detail}[/red]")
            raise typer.Exit(1) from exc
        session.commit()
    say(f"Administrator {accounts.normalise(email)} created.")


@app.command("set-password")
def set_password(
    email: Annotated[str, typer.Option(help="The account's e-mail address.")],
    password: Annotated[
        str,
        typer.Option(prompt=True, hide_input=True, confirmation_prompt=True, help="Asked for if omitted."),
    ],
) -> None:
    """Set an account's password (a restored account has none); its sign-ins end."""
    with _sessions() as session:
        account = accounts.find(session, email)
        if account is None:
            say(f"[red]No account has the e-mail address {accounts.normalise(email)}.[/red]")
            raise typer.Exit(1)
        try:
            accounts.set_password(session, account, password)
        except ProblemError as exc:
            say(f"[red]{exc.detail}[/red]")
            raise typer.Exit(1) from exc
        session.commit()
    say(f"Password of {accounts.normalise(email)} set.")


@app.command("ensure-demo-admin")
def ensure_demo_admin(email: Annotated[str, typer.Option()] = "admin@example.org") -> None:
    """On a database with no accounts, create an administrator and print its password."""
    with _sessions() as session:
        if accounts.count(session):
            return
        password = secrets.token_urlsafe(12)
        accounts.create(session, email, password, AccessRole.admin)
        session.commit()
    say(
        f"[yellow]Demo administrator created: {email} / {password}[/yellow]\n"
        "It is for trying the system on this machine: before anyone else can reach it, "
        "create your own administrator with `roadmap create-admin`."
    )


@app.command()
def openapi(
    output: Annotated[Path, typer.Option(help="Where to write it.")] = OPENAPI_FILE,
    check: Annotated[bool, typer.Option(help="Fail if the file differs instead of writing.")] = False,
) -> None:
    """Write the OpenAPI document (or check that the committed one is current)."""
    from api.main import create_app

    text = render_openapi(create_app().openapi())
    if check:
        if not output.exists() or output.read_text() != text:
            say(f"[red]{output} is out of date: run `roadmap openapi`.[/red]")
            raise typer.Exit(1)
        say(f"{output} is current.")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    say(f"Wrote {output}.")


def render_openapi(schema: dict[str, object]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
