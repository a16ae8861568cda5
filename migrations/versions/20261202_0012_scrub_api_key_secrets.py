"""scrub API key secrets from the audit trail

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 02:10:00.000000

Until now creating or rotating an API key recorded its new secret (`key`) in the change's
state and field changes. The secrets are removed; the keys themselves keep working (only
their hash is checked), and rotating one is the way to be sure an exposed secret is dead.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

change = sa.table(
    "change",
    sa.column("id", sa.Integer),
    sa.column("resource", sa.String),
    sa.column("changes", sa.JSON),
    sa.column("state", sa.JSON),
)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(change.c.id, change.c.changes, change.c.state).where(change.c.resource == "api-keys")
    ).all()
    for id_, changes, state in rows:
        kept = [c for c in changes or [] if c.get("field") != "key"]
        if (state or {}).get("key") is None and kept == (changes or []):
            continue
        scrubbed = {k: v for k, v in state.items() if k != "key"} if state is not None else None
        connection.execute(change.update().where(change.c.id == id_).values(changes=kept, state=scrubbed))


def downgrade() -> None:
    pass  # a secret removed is gone for good, as it should be
