"""keyset indexes

Every list pages on an index of (its filters..., sort column, id): a keyset page is then an
index seek at any depth (api/pagination.py compares row values). Single-column indexes that
a new one starts with go: the wider index serves the same lookups, and on SQLite, without
statistics, an index on a list's filter alone would be chosen and every match sorted.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 15:16:52.209332
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table: (the indexes added, name to columns; the single-column indexes they replace, name to column)
CHANGES: dict[str, tuple[dict[str, list[str]], dict[str, str]]] = {
    "account": (
        {
            "ix_account_created_at_id": ["created_at", "id"],
        },
        {"ix_account_created_at": "created_at"},
    ),
    "api_key": (
        {
            "ix_api_key_created_at_id": ["created_at", "id"],
            "ix_api_key_name_id": ["name", "id"],
        },
        {"ix_api_key_created_at": "created_at"},
    ),
    "area": (
        {
            "ix_area_created_at_id": ["created_at", "id"],
            "ix_area_kind_id": ["kind", "id"],
            "ix_area_kind_name_id": ["kind", "name", "id"],
            "ix_area_name_id": ["name", "id"],
            "ix_area_updated_at_id": ["updated_at", "id"],
        },
        {"ix_area_created_at": "created_at", "ix_area_kind": "kind", "ix_area_name": "name"},
    ),
    "baseline": (
        {
            "ix_baseline_metric_id_created_at_id": ["metric_id", "created_at", "id"],
            "ix_baseline_metric_id_date_id": ["metric_id", "date", "id"],
            "ix_baseline_metric_id_updated_at_id": ["metric_id", "updated_at", "id"],
            "ix_baseline_metric_id_value_id": ["metric_id", "value", "id"],
        },
        {"ix_baseline_created_at": "created_at", "ix_baseline_metric_id": "metric_id"},
    ),
    "collaboration": (
        {
            "ix_collaboration_created_at_id": ["created_at", "id"],
            "ix_collaboration_funding_status_title_id": ["funding_status", "title", "id"],
            "ix_collaboration_kind_id": ["kind", "id"],
            "ix_collaboration_kind_title_id": ["kind", "title", "id"],
            "ix_collaboration_lighthouse_title_id": ["lighthouse", "title", "id"],
            "ix_collaboration_publication_created_at_id": ["publication", "created_at", "id"],
            "ix_collaboration_publication_kind_id": ["publication", "kind", "id"],
            "ix_collaboration_publication_title_id": ["publication", "title", "id"],
            "ix_collaboration_publication_updated_at_id": ["publication", "updated_at", "id"],
            "ix_collaboration_scale_title_id": ["scale", "title", "id"],
            "ix_collaboration_title_id": ["title", "id"],
            "ix_collaboration_updated_at_id": ["updated_at", "id"],
        },
        {
            "ix_collaboration_created_at": "created_at",
            "ix_collaboration_funding_status": "funding_status",
            "ix_collaboration_kind": "kind",
            "ix_collaboration_lighthouse": "lighthouse",
            "ix_collaboration_publication": "publication",
            "ix_collaboration_scale": "scale",
            "ix_collaboration_title": "title",
        },
    ),
    "metric": (
        {
            "ix_metric_created_at_id": ["created_at", "id"],
            "ix_metric_name_id": ["name", "id"],
            "ix_metric_updated_at_id": ["updated_at", "id"],
        },
        {"ix_metric_created_at": "created_at", "ix_metric_name": "name"},
    ),
    "mission": (
        {
            "ix_mission_code_id": ["code", "id"],
            "ix_mission_created_at_id": ["created_at", "id"],
            "ix_mission_title_id": ["title", "id"],
            "ix_mission_updated_at_id": ["updated_at", "id"],
        },
        {"ix_mission_created_at": "created_at"},
    ),
    "observation": (
        {
            "ix_observation_metric_id_created_at_id": ["metric_id", "created_at", "id"],
            "ix_observation_metric_id_date_id": ["metric_id", "date", "id"],
            "ix_observation_metric_id_updated_at_id": ["metric_id", "updated_at", "id"],
            "ix_observation_metric_id_value_id": ["metric_id", "value", "id"],
        },
        {"ix_observation_created_at": "created_at", "ix_observation_metric_id": "metric_id"},
    ),
    "outcome": (
        {
            "ix_outcome_code_id": ["code", "id"],
            "ix_outcome_created_at_id": ["created_at", "id"],
            "ix_outcome_title_id": ["title", "id"],
            "ix_outcome_updated_at_id": ["updated_at", "id"],
        },
        {"ix_outcome_created_at": "created_at", "ix_outcome_title": "title"},
    ),
    "participant": (
        {
            "ix_participant_collaboration_id_created_at_id": ["collaboration_id", "created_at", "id"],
            "ix_participant_collaboration_id_role_id": ["collaboration_id", "role", "id"],
            "ix_participant_collaboration_id_updated_at_id": ["collaboration_id", "updated_at", "id"],
        },
        {"ix_participant_collaboration_id": "collaboration_id", "ix_participant_created_at": "created_at"},
    ),
    "referral": (
        {
            "ix_referral_created_at_id": ["created_at", "id"],
            "ix_referral_referred_on_id": ["referred_on", "id"],
            "ix_referral_scheme_id_referred_on_id": ["scheme_id", "referred_on", "id"],
            "ix_referral_stakeholder_id_referred_on_id": ["stakeholder_id", "referred_on", "id"],
            "ix_referral_status_referred_on_id": ["status", "referred_on", "id"],
            "ix_referral_updated_at_id": ["updated_at", "id"],
        },
        {
            "ix_referral_created_at": "created_at",
            "ix_referral_scheme_id": "scheme_id",
            "ix_referral_stakeholder_id": "stakeholder_id",
            "ix_referral_status": "status",
        },
    ),
    "roadmap": (
        {
            "ix_roadmap_created_at_id": ["created_at", "id"],
            "ix_roadmap_title_id": ["title", "id"],
            "ix_roadmap_updated_at_id": ["updated_at", "id"],
        },
        {"ix_roadmap_created_at": "created_at"},
    ),
    "stakeholder": (
        {
            "ix_stakeholder_created_at_id": ["created_at", "id"],
            "ix_stakeholder_kind_id": ["kind", "id"],
            "ix_stakeholder_kind_name_id": ["kind", "name", "id"],
            "ix_stakeholder_name_id": ["name", "id"],
            "ix_stakeholder_new_to_innovation_name_id": ["new_to_innovation", "name", "id"],
            "ix_stakeholder_status_name_id": ["status", "name", "id"],
            "ix_stakeholder_updated_at_id": ["updated_at", "id"],
        },
        {
            "ix_stakeholder_created_at": "created_at",
            "ix_stakeholder_kind": "kind",
            "ix_stakeholder_name": "name",
            "ix_stakeholder_new_to_innovation": "new_to_innovation",
            "ix_stakeholder_status": "status",
        },
    ),
    "story": (
        {
            "ix_story_created_at_id": ["created_at", "id"],
            "ix_story_kind_created_at_id": ["kind", "created_at", "id"],
            "ix_story_metric_id_created_at_id": ["metric_id", "created_at", "id"],
            "ix_story_publication_created_at_id": ["publication", "created_at", "id"],
            "ix_story_publication_title_id": ["publication", "title", "id"],
            "ix_story_publication_updated_at_id": ["publication", "updated_at", "id"],
            "ix_story_title_id": ["title", "id"],
            "ix_story_updated_at_id": ["updated_at", "id"],
        },
        {
            "ix_story_created_at": "created_at",
            "ix_story_kind": "kind",
            "ix_story_metric_id": "metric_id",
            "ix_story_publication": "publication",
            "ix_story_title": "title",
        },
    ),
    "support_scheme": (
        {
            "ix_support_scheme_created_at_id": ["created_at", "id"],
            "ix_support_scheme_provider_id_name_id": ["provider_id", "name", "id"],
            "ix_support_scheme_status_name_id": ["status", "name", "id"],
            "ix_support_scheme_updated_at_id": ["updated_at", "id"],
        },
        {
            "ix_support_scheme_created_at": "created_at",
            "ix_support_scheme_provider_id": "provider_id",
            "ix_support_scheme_status": "status",
        },
    ),
    "target": (
        {
            "ix_target_metric_id_created_at_id": ["metric_id", "created_at", "id"],
            "ix_target_metric_id_date_id": ["metric_id", "date", "id"],
            "ix_target_metric_id_updated_at_id": ["metric_id", "updated_at", "id"],
            "ix_target_metric_id_value_id": ["metric_id", "value", "id"],
        },
        {"ix_target_created_at": "created_at", "ix_target_metric_id": "metric_id"},
    ),
}


def upgrade() -> None:
    # Each new index before the one it replaces, so no lookup is ever left without one.
    for table, (added, replaced) in CHANGES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, columns in added.items():
                batch_op.create_index(name, columns, unique=False)
            for name in replaced:
                batch_op.drop_index(name)


def downgrade() -> None:
    for table, (added, replaced) in reversed(CHANGES.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, column in replaced.items():
                batch_op.create_index(name, [column], unique=False)
            for name in added:
                batch_op.drop_index(name)
