"""imports, breakdowns, flags, identifiers

- data_import: one record per file brought in (its status, counts and report).
- Metric values carry a breakdown ({"age": "65+"}; empty for the total) and flags
  (provisional, estimated, revised, break_in_series). The breakdown takes part in a
  value's uniqueness, so each scope index is rebuilt with it.
- Stakeholders and collaborations keep the key they have in another system
  (source, external_id); organisations keep their org-id identifiers, one owner each.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:43:51.290121
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NULLABLE_COLLABORATION = "coalesce(collaboration_id, '')"
SCOPES = {
    "baseline": ["metric_id", "area_id", NULLABLE_COLLABORATION],
    "target": ["metric_id", "area_id", "date", NULLABLE_COLLABORATION],
    "observation": ["metric_id", "area_id", "date", NULLABLE_COLLABORATION],
}
KEYED = ("stakeholder", "collaboration")


def _scope_index(kind: str, columns: list[str]) -> None:
    op.create_index(f"uq_{kind}_scope", kind, [sa.text(c) for c in columns], unique=True)


def upgrade() -> None:
    op.create_table(
        "data_import",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("error", sa.String(), nullable=True),
        sa.Column("actor_kind", sa.String(length=8), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("actor_name", sa.String(length=320), nullable=False),
        sa.Column("stakeholder_id", sa.String(length=36), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("runner", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_data_import_created_at_id", "data_import", ["created_at", "id"])
    op.create_table(
        "stakeholder_identifier",
        sa.Column("identifier", sa.String(length=100), nullable=False),
        sa.Column("stakeholder_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(["stakeholder_id"], ["stakeholder.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("identifier"),
    )
    op.create_index("ix_stakeholder_identifier_stakeholder_id", "stakeholder_identifier", ["stakeholder_id"])
    for kind, columns in SCOPES.items():
        # Existing values are totals, with no flags. (Plain ADD COLUMN on SQLite too: a
        # rebuilt table would lose the expression index, which SQLite cannot reflect.)
        op.add_column(kind, sa.Column("breakdown", sa.JSON(), nullable=False, server_default="{}"))
        op.add_column(
            kind, sa.Column("breakdown_key", sa.String(length=1000), nullable=False, server_default="")
        )
        op.add_column(kind, sa.Column("flags", sa.JSON(), nullable=False, server_default="[]"))
        op.drop_index(f"uq_{kind}_scope", table_name=kind)
        _scope_index(kind, [*columns, "breakdown_key"])
    for table in KEYED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("source", sa.String(length=100), nullable=True))
            batch.add_column(sa.Column("external_id", sa.String(length=200), nullable=True))
            batch.create_unique_constraint(f"uq_{table}_source_external_id", ["source", "external_id"])


def downgrade() -> None:
    for table in KEYED:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_source_external_id", type_="unique")
            batch.drop_column("external_id")
            batch.drop_column("source")
    for kind, columns in SCOPES.items():
        # Values of one scope that differ only by breakdown cannot all survive: keep the totals.
        op.execute(f"DELETE FROM {kind} WHERE breakdown_key <> ''")
        op.drop_index(f"uq_{kind}_scope", table_name=kind)
        with op.batch_alter_table(kind) as batch:
            batch.drop_column("flags")
            batch.drop_column("breakdown_key")
            batch.drop_column("breakdown")
        _scope_index(kind, columns)
    op.drop_index("ix_stakeholder_identifier_stakeholder_id", table_name="stakeholder_identifier")
    op.drop_table("stakeholder_identifier")
    op.drop_index("ix_data_import_created_at_id", table_name="data_import")
    op.drop_table("data_import")
