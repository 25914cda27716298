"""Daily summaries of the referrals (by sending day) and follow-ups (by due day) for the indicators.

Revision ID: 0072_referral_followup_stats
Revises: 0070_case_over_time_2
"""

import sqlalchemy as sa
from alembic import op

revision = "0072_referral_followup_stats"
down_revision = "0070_case_over_time_2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "referral_day_stat",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=15), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("referrals", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "category", "status", "outcome", "reason", name=op.f("pk_referral_day_stat")),
    )
    op.create_table(
        "referral_day_summarised",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_referral_day_summarised")),
    )
    op.create_table(
        "followup_day_stat",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("offset_days", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("hospitalisation", sa.String(length=3), nullable=False),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=False),
        sa.Column("followups", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day",
            "offset_days",
            "state",
            "on_time",
            "hospitalisation",
            "satisfaction",
            name=op.f("pk_followup_day_stat"),
        ),
    )
    op.create_table(
        "followup_day_summarised",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_followup_day_summarised")),
    )


def downgrade():
    op.drop_table("followup_day_summarised")
    op.drop_table("followup_day_stat")
    op.drop_table("referral_day_summarised")
    op.drop_table("referral_day_stat")
