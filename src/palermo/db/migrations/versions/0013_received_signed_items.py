"""sharing: received records keep the item as signed by its originator, with its hop chain, to forward untouched

Records received before this revision have none; they are not forwarded (rule no_originator_signature).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sharing_received_records") as batch:
        batch.add_column(sa.Column("signed_item", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sharing_received_records") as batch:
        batch.drop_column("signed_item")
