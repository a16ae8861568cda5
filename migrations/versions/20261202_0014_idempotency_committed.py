"""idempotency committed

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 12:30:00.000000

Whether the request that claimed an Idempotency-Key committed: set in its own transaction, so
a server stopped between the commit and the answer cannot let a retry write twice.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_record") as batch:
        batch.add_column(sa.Column("committed", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_record") as batch:
        batch.drop_column("committed")
