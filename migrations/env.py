"""Alembic environment: the models' metadata is the target; the URL comes from settings."""

from typing import Any

from alembic import context
from sqlalchemy import engine_from_config, pool, text
from sqlmodel import SQLModel

import api.models  # noqa: F401  (registers the tables)
from api.config import get_settings

config = context.config
target_metadata = SQLModel.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render our column types as plain SQLAlchemy ones so migrations never import the app."""
    if type_ == "type" and type(obj).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and type(obj).__name__ == "ExactDecimal":
        return 'sa.Numeric(18, 6).with_variant(sa.BigInteger(), "sqlite")'
    if type_ == "type" and type(obj).__name__ == "AutoString":
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False


def url() -> str:
    return config.get_main_option("sqlalchemy.url") or get_settings().database_url


def options() -> dict[str, Any]:
    return {
        "target_metadata": target_metadata,
        "render_item": render_item,
        "render_as_batch": url().startswith("sqlite"),
        "compare_type": True,
    }


def run_offline() -> None:
    context.configure(url=url(), literal_binds=True, **options())
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connectable = config.attributes.get("connection")
    if connectable is not None:
        context.configure(connection=connectable, **options())
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config({"sqlalchemy.url": url()}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **options())
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                # Replicas that all migrate at start take turns; later ones find nothing to do.
                # (Inside Alembic's transaction: a statement before it would start one Alembic
                # then leaves uncommitted.)
                connection.execute(text("SELECT pg_advisory_xact_lock(72600301)"))
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
