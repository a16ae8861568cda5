"""metric progress method

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 22:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("metric", schema=None) as batch_op:
        # Every metric so far was judged by pace: it keeps that method until someone chooses.
        batch_op.add_column(
            sa.Column("progress_method", sa.String(length=16), nullable=False, server_default="pace")
        )


def downgrade() -> None:
    with op.batch_alter_table("metric", schema=None) as batch_op:
        batch_op.drop_column("progress_method")
