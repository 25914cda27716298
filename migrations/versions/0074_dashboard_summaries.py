"""Daily summaries for the dashboard's medians: delays to handoff per call day, the structures' scorecard.

Exact delays (microseconds) with their counts, so an exact median over a period reads a few hundred
(value, count) rows; an index to find a call's first handoff; the call summaries of whole months
and the calls of each summarised day, so a long period reads months, and days only at its edges.

Revision ID: 0074_dashboard_summaries
Revises: 0073_plan_review
"""

import sqlalchemy as sa
from alembic import op

revision = "0074_dashboard_summaries"
down_revision = "0073_plan_review"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "handoff_delay_day_stat",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("delay_us", sa.BigInteger(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "delay_us", name=op.f("pk_handoff_delay_day_stat")),
    )
    op.create_table(
        "handoff_delay_day_summarised",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_handoff_delay_day_summarised")),
    )
    op.create_table(
        "structure_day_stat",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.String(length=15), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("referrals", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "day", "structure_id", "status", "outcome", "reason", name=op.f("pk_structure_day_stat")
        ),
    )
    op.create_table(
        "structure_answer_day_stat",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("structure_id", sa.Integer(), nullable=False),
        sa.Column("delay_us", sa.BigInteger(), nullable=False),
        sa.Column("referrals", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "structure_id", "delay_us", name=op.f("pk_structure_answer_day_stat")),
    )
    op.create_table(
        "structure_day_summarised",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_structure_day_summarised")),
    )
    op.create_index("ix_handoff_call_created", "handoff", ["call_id", "created_at"])
    op.create_table(
        "call_day_total",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_call_day_total")),
    )
    op.create_table(
        "call_month_stat",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("caller_type", sa.String(length=15), nullable=False),
        sa.Column("proposed_route", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=20), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "caller_type", "proposed_route", "route", name=op.f("pk_call_month_stat")),
    )
    op.create_table(
        "call_month_topic",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(length=30), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "topic", name=op.f("pk_call_month_topic")),
    )
    op.create_table(
        "call_month_summarised",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_call_month_summarised")),
    )
    # The days summarised before had no call_day_total: summarised again on their next view.
    op.execute("DELETE FROM call_day_topic")
    op.execute("DELETE FROM call_day_stat")
    op.execute("DELETE FROM call_day_summarised")


def downgrade():
    op.drop_table("call_month_summarised")
    op.drop_table("call_month_topic")
    op.drop_table("call_month_stat")
    op.drop_table("call_day_total")
    op.drop_index("ix_handoff_call_created", table_name="handoff")
    op.drop_table("structure_day_summarised")
    op.drop_table("structure_answer_day_stat")
    op.drop_table("structure_day_stat")
    op.drop_table("handoff_delay_day_summarised")
    op.drop_table("handoff_delay_day_stat")
