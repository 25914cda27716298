"""Daily summaries of the calls for the indicators (call_day_stat, call_day_topic, call_day_summarised).

Revision ID: 0018_call_day_stats
Revises: 0008_reports
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_call_day_stats"
down_revision = "0008_reports"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "call_day_stat",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("caller_type", sa.String(length=15), nullable=False),
        sa.Column("proposed_route", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "caller_type", "proposed_route", "route", name=op.f("pk_call_day_stat")),
    )
    op.create_table(
        "call_day_topic",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(length=30), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "topic", name=op.f("pk_call_day_topic")),
    )
    op.create_table(
        "call_day_summarised",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_call_day_summarised")),
    )


def downgrade():
    op.drop_table("call_day_summarised")
    op.drop_table("call_day_topic")
    op.drop_table("call_day_stat")
