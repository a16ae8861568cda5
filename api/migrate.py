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
