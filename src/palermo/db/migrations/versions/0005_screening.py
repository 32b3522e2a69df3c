"""screening: indexes for the destination-address indicator and alerts by travel event

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 11:40:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_alerts_travel_event", "alerts", ["travel_event_id"], unique=False)
    op.create_index("ix_travel_events_destination", "travel_events", ["destination_address"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_travel_events_destination", table_name="travel_events")
    op.drop_index("ix_alerts_travel_event", table_name="alerts")
