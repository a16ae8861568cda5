"""rate limit counters

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 06:10:00.000000

Requests per caller per window, for the rate limits (api.rate_limits). Used on PostgreSQL,
where every replica must see one count; SQLite, one host, counts in memory and leaves it empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit_counter",
        sa.Column("bucket", sa.String(length=64), nullable=False),
        sa.Column("period", sa.BigInteger(), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("bucket", "period"),
    )


def downgrade() -> None:
    op.drop_table("rate_limit_counter")
