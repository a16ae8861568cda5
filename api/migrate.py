"""Alembic, driven from code: the CLI, the tests and /readyz use the same entry points."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from api.config import get_settings
from api.db import ensure_sqlite_dir


def config(database_url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(get_settings().migrations_path))
    if database_url:
        cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    ensure_sqlite_dir(database_url)
    command.upgrade(config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(config(database_url), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def known_revisions() -> list[str]:
    """Every revision this code has, newest first."""
    return [script.revision for script in ScriptDirectory.from_config(config()).walk_revisions()]


def migrate_on(connection: Connection, revision: str) -> None:
    """Upgrade or downgrade to a revision inside the connection's own transaction."""
    cfg = config(connection.engine.url.render_as_string(hide_password=False))
    # migrations/env.py runs on this connection; Alembic then neither begins nor commits.
    cfg.attributes["connection"] = connection
    current, order = current_revision(connection), known_revisions()
    if current in order and revision in order and order.index(current) < order.index(revision):
        command.downgrade(cfg, revision)
    else:
        command.upgrade(cfg, revision)
