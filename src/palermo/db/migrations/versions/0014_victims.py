"""victims: victim cases, their append-only indicator assessments and the observed indicators (special category)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 09:48:53.372359
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "victim_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "opened_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("opened_by", sa.String(length=200), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("identity_id", sa.Integer(), nullable=True),
        sa.Column("alert_id", sa.Integer(), nullable=True),
        sa.Column("subject", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("handling", sa.String(length=2), nullable=False),
        sa.Column("sensitivity", sa.String(length=16), nullable=False),
        sa.CheckConstraint("origin IN ('screening', 'manual')", name=op.f("ck_victim_cases_origin")),
        sa.CheckConstraint("sensitivity = 'special'", name=op.f("ck_victim_cases_special")),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_victim_cases_status")),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_victim_cases_alert_id_alerts"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["identity_id"], ["identities.id"], name=op.f("fk_victim_cases_identity_id_identities"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person_records.id"],
            name=op.f("fk_victim_cases_person_id_person_records"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_cases")),
    )
    op.create_index("ix_victim_cases_identity", "victim_cases", ["identity_id"], unique=False)
    op.create_index("ix_victim_cases_person", "victim_cases", ["person_id"], unique=False)

    op.create_table(
        "victim_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("revises_id", sa.Integer(), nullable=True),
        sa.Column(
            "recorded_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("interviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("interviewer", sa.String(length=200), nullable=False),
        sa.Column("indicator_list", sa.String(length=16), nullable=False),
        sa.Column("population_basis", sa.String(length=16), nullable=False),
        sa.Column("presumed_victim", sa.Boolean(), nullable=False),
        sa.Column("rule_version", sa.String(length=32), nullable=False),
        sa.Column("outcome", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("revision_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "indicator_list IN ('adult_labour', 'adult_sexual', 'child_labour', 'child_sexual')",
            name=op.f("ck_victim_assessments_indicator_list"),
        ),
        sa.CheckConstraint(
            "population_basis IN ('stated', 'birth_date')", name=op.f("ck_victim_assessments_population_basis")
        ),
        sa.CheckConstraint("(version = 1) = (revises_id IS NULL)", name=op.f("ck_victim_assessments_revision_chain")),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["victim_cases.id"],
            name=op.f("fk_victim_assessments_case_id_victim_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revises_id"], ["victim_assessments.id"], name=op.f("fk_victim_assessments_revises_id_victim_assessments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_assessments")),
        sa.UniqueConstraint("case_id", "version", name="uq_victim_assessments_case_version"),
        sa.UniqueConstraint("revises_id", name="uq_victim_assessments_revises"),
    )
    op.create_index(op.f("ix_victim_assessments_case_id"), "victim_assessments", ["case_id"], unique=False)

    op.create_table(
        "victim_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(length=64), nullable=False),
        sa.Column("observed_by", sa.String(length=200), nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["victim_assessments.id"],
            name=op.f("fk_victim_observations_assessment_id_victim_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_observations")),
    )
    op.create_index(
        op.f("ix_victim_observations_assessment_id"), "victim_observations", ["assessment_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_victim_observations_assessment_id"), table_name="victim_observations")

    op.drop_table("victim_observations")
    op.drop_index(op.f("ix_victim_assessments_case_id"), table_name="victim_assessments")

    op.drop_table("victim_assessments")
    op.drop_index("ix_victim_cases_person", table_name="victim_cases")
    op.drop_index("ix_victim_cases_identity", table_name="victim_cases")

    op.drop_table("victim_cases")
