"""alerts: the border point an alert was raised at, for the queue's filter (filled from the travel event when known)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 05:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("border_point", sa.String(length=16), nullable=True))
        batch.create_index("ix_alerts_border_point_created", ["border_point", "created_at"])
    op.execute(
        "UPDATE alerts SET border_point = (SELECT border_points.code FROM travel_events"
        " JOIN border_points ON border_points.id = travel_events.border_point_id"
        " WHERE travel_events.id = alerts.travel_event_id) WHERE travel_event_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_index("ix_alerts_border_point_created")
        batch.drop_column("border_point")
