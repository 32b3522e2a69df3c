"""persons: search keys of person names (palermo.persons.name_keys), computed for the records already stored

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 07:40:00
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    op.create_table(
        "person_name_keys",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "key", sa.String(length=100).with_variant(sa.String(100, collation="C"), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person_records.id"],
            name=op.f("fk_person_name_keys_person_id_person_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("person_id", "key", name=op.f("pk_person_name_keys")),
    )
    with op.batch_alter_table("person_name_keys", schema=None) as batch_op:
        batch_op.create_index("ix_person_name_keys_key", ["key", "person_id"], unique=False)
    _backfill()


def _backfill() -> None:
    """Keys for the records stored before this revision, with the same function ingest uses from now on."""
    from palermo.persons.name_keys import name_keys

    conn = op.get_bind()
    names: dict[int, list[str]] = defaultdict(list)
    for person_id, full_name in conn.execute(
        sa.text("SELECT person_id, full_name FROM person_names ORDER BY person_id, position")
    ):
        names[person_id].append(full_name)
    keys = sa.table("person_name_keys", sa.column("person_id"), sa.column("key"))
    rows: list[dict[str, object]] = []
    for person_id, full_names in names.items():
        rows.extend({"person_id": person_id, "key": key} for key in name_keys(full_names))
        if len(rows) >= BATCH:
            conn.execute(keys.insert(), rows)
            rows = []
    if rows:
        conn.execute(keys.insert(), rows)


def downgrade() -> None:
    with op.batch_alter_table("person_name_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_person_name_keys_key")
    op.drop_table("person_name_keys")
