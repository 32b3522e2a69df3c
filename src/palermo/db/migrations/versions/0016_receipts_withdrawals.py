"""sharing: signed delivery receipts (kept by the sender, and by the receiver to answer a resend), records sent per
partner (where a withdrawal must follow), and withdrawals (tombstones)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-09 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sharing_received_bundles") as batch:
        batch.add_column(sa.Column("receipt", sa.Text(), nullable=True))
    op.create_table(
        "sharing_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported", sa.Integer(), nullable=False),
        sa.Column("echoes", sa.Integer(), nullable=False),
        sa.Column("accepted", sa.JSON(), nullable=False),
        sa.Column("refused", sa.JSON(), nullable=False),
        sa.Column("receipt", sa.Text(), nullable=False),
        sa.Column(
            "stored_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_sharing_receipts_partner_id_partners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_receipts")),
        sa.UniqueConstraint("bundle_id", name=op.f("uq_sharing_receipts_bundle_id")),
    )
    op.create_table(
        "sharing_sent_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("record_table", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_sharing_sent_records_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_sent_records")),
    )
    op.create_index("ix_sharing_sent_records_entity", "sharing_sent_records", ["entity_id"])
    op.create_index("ix_sharing_sent_records_record", "sharing_sent_records", ["record_table", "record_id"])
    op.create_table(
        "sharing_withdrawals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("originator", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice", sa.JSON(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_sharing_withdrawals_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_withdrawals")),
    )
    op.create_index("ix_sharing_withdrawals_entity", "sharing_withdrawals", ["entity_id", "originator"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_sharing_withdrawals_entity", table_name="sharing_withdrawals")
    op.drop_table("sharing_withdrawals")
    op.drop_index("ix_sharing_sent_records_record", table_name="sharing_sent_records")
    op.drop_index("ix_sharing_sent_records_entity", table_name="sharing_sent_records")
    op.drop_table("sharing_sent_records")
    op.drop_table("sharing_receipts")
    with op.batch_alter_table("sharing_received_bundles") as batch:
        batch.drop_column("receipt")
