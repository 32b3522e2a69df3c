"""network: the link graph's edges (one row per record and tie, with the record's handling) and its builds

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 12:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_builds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column(
            "started_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("records_read", sa.Integer(), nullable=False),
        sa.Column("edges_written", sa.Integer(), nullable=False),
        sa.Column("edges_removed", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.CheckConstraint("kind IN ('full', 'incremental')", name=op.f("ck_network_builds_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_builds")),
    )
    op.create_table(
        "network_edges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("source_key", sa.String(length=400), nullable=False),
        sa.Column("target_key", sa.String(length=400), nullable=False),
        sa.Column("record_table", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("sensitivity", sa.String(length=16), nullable=False),
        sa.Column("handling", sa.String(length=2), nullable=False),
        sa.Column("distribution", sa.String(length=16), nullable=False),
        sa.Column("sharing_group", sa.String(length=100), nullable=True),
        sa.Column("originator", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("build_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("sensitivity IN ('ordinary', 'special')", name=op.f("ck_network_edges_sensitivity")),
        sa.ForeignKeyConstraint(
            ["build_id"], ["network_builds.id"], name=op.f("fk_network_edges_build_id_network_builds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_edges")),
    )
    op.create_index("ix_network_edges_record", "network_edges", ["record_table", "record_id"], unique=False)
    op.create_index("ix_network_edges_source", "network_edges", ["source_key"], unique=False)
    op.create_index("ix_network_edges_target", "network_edges", ["target_key"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_network_edges_target", table_name="network_edges")
    op.drop_index("ix_network_edges_source", table_name="network_edges")
    op.drop_index("ix_network_edges_record", table_name="network_edges")
    op.drop_table("network_edges")
    op.drop_table("network_builds")
