"""victims: service providers (reference data), consent to share and referrals resting on consent or a legal basis

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 09:56:44.951824
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "victim_service_providers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=False),
        sa.Column("area", sa.String(length=200), nullable=True),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("serves_children", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column(
            "loaded_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("loaded_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_service_providers")),
        sa.UniqueConstraint("key", name=op.f("uq_victim_service_providers_key")),
    )
    op.create_table(
        "victim_consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("data_categories", sa.JSON(), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("given_by", sa.String(length=16), nullable=False),
        sa.Column("informed_in", sa.String(length=64), nullable=False),
        sa.Column("explained_by", sa.String(length=200), nullable=False),
        sa.Column(
            "recorded_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=200), nullable=True),
        sa.Column("withdrawal_note", sa.Text(), nullable=True),
        sa.CheckConstraint("given_by IN ('person', 'guardian')", name=op.f("ck_victim_consents_given_by")),
        sa.CheckConstraint(
            "(withdrawn_at IS NULL) = (withdrawn_by IS NULL)", name=op.f("ck_victim_consents_withdrawal_attributed")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["victim_cases.id"], name=op.f("fk_victim_consents_case_id_victim_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["victim_service_providers.id"],
            name=op.f("fk_victim_consents_provider_id_victim_service_providers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_consents")),
    )
    op.create_index(op.f("ix_victim_consents_case_id"), "victim_consents", ["case_id"], unique=False)

    op.create_table(
        "victim_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("service", sa.String(length=32), nullable=False),
        sa.Column("data_categories", sa.JSON(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=True),
        sa.Column("legal_basis", sa.String(length=32), nullable=True),
        sa.Column("legal_basis_note", sa.Text(), nullable=True),
        sa.Column(
            "referred_at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False
        ),
        sa.Column("referred_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("(consent_id IS NULL) <> (legal_basis IS NULL)", name=op.f("ck_victim_referrals_one_basis")),
        sa.CheckConstraint(
            "legal_basis IS NULL OR legal_basis_note IS NOT NULL", name=op.f("ck_victim_referrals_basis_explained")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["victim_cases.id"], name=op.f("fk_victim_referrals_case_id_victim_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"], ["victim_consents.id"], name=op.f("fk_victim_referrals_consent_id_victim_consents")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["victim_service_providers.id"],
            name=op.f("fk_victim_referrals_provider_id_victim_service_providers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_victim_referrals")),
    )
    op.create_index(op.f("ix_victim_referrals_case_id"), "victim_referrals", ["case_id"], unique=False)
    op.create_index(op.f("ix_victim_referrals_consent_id"), "victim_referrals", ["consent_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_victim_referrals_consent_id"), table_name="victim_referrals")
    op.drop_index(op.f("ix_victim_referrals_case_id"), table_name="victim_referrals")

    op.drop_table("victim_referrals")
    op.drop_index(op.f("ix_victim_consents_case_id"), table_name="victim_consents")

    op.drop_table("victim_consents")
    op.drop_table("victim_service_providers")
