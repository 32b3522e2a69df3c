"""alerts: a subject reference for alerts of any kind, and an index for per-kind queues

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 23:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("subject", sa.String(length=200), nullable=True))
        batch.create_index("ix_alerts_kind_status", ["kind", "status"])


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_index("ix_alerts_kind_status")
        batch.drop_column("subject")
