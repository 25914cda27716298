"""The service plan co-produced over time: who took part in drawing it up or reviewing it (the person,
a carer, the GP, others), when it is next reviewed, and when a plan version was shared with the GP.

Revision ID: 0073_plan_review
Revises: 0072_referral_followup_stats
"""

import sqlalchemy as sa
from alembic import op

revision = "0073_plan_review"
down_revision = "0072_referral_followup_stats"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plan_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("with_person", sa.Boolean(), nullable=False),
        sa.Column("with_carer", sa.Boolean(), nullable=False),
        sa.Column("carer_name", sa.String(length=120), nullable=True),
        sa.Column("with_gp", sa.Boolean(), nullable=False),
        sa.Column("others", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_plan_review_case_id_case")),
        sa.ForeignKeyConstraint(["plan_id"], ["service_plan.id"], name=op.f("fk_plan_review_plan_id_service_plan")),
        sa.ForeignKeyConstraint(["by_id"], ["user.id"], name=op.f("fk_plan_review_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_review")),
    )
    op.create_index("ix_plan_review_case_on", "plan_review", ["case_id", "reviewed_on"], unique=False)
    with op.batch_alter_table("service_plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shared_with_gp_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("shared_with_gp_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_service_plan_shared_with_gp_by_id_user"), "user", ["shared_with_gp_by_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("service_plan", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_service_plan_shared_with_gp_by_id_user"), type_="foreignkey")
        batch_op.drop_column("shared_with_gp_by_id")
        batch_op.drop_column("shared_with_gp_on")
    op.drop_index("ix_plan_review_case_on", table_name="plan_review")
    op.drop_table("plan_review")
