"""watchlist entries: every listed date of birth, not only the most precise one

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 05:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("watchlist_entries") as batch:
        batch.add_column(sa.Column("other_birth_dates", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("watchlist_entries") as batch:
        batch.drop_column("other_birth_dates")
