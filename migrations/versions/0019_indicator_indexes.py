"""Indexes for the indicators of a period: follow-ups by due date, referrals by date sent.

Revision ID: 0019_indicator_indexes
Revises: 0018_call_day_stats
"""
from alembic import op

revision = "0019_indicator_indexes"
down_revision = "0018_call_day_stats"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_followup_due_offset", "followup", ["due_date", "offset_days"])
    op.create_index("ix_referral_sent", "referral", ["sent_at"])


def downgrade():
    op.drop_index("ix_referral_sent", table_name="referral")
    op.drop_index("ix_followup_due_offset", table_name="followup")
