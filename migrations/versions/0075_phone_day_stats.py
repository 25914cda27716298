"""Daily summaries of the line's inbound calls and callbacks (answered, missed by reason, callers by status)
for the dashboard's phone indicator; callbacks indexed by their first missed call.

Revision ID: 0075_phone_day_stats
Revises: 0074_dashboard_summaries
"""

import sqlalchemy as sa
from alembic import op

revision = "0075_phone_day_stats"
down_revision = "0074_dashboard_summaries"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "phone_day_stat",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=12), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "kind", "key", name=op.f("pk_phone_day_stat")),
    )
    op.create_table(
        "phone_day_summarised",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_phone_day_summarised")),
    )
    op.create_index("ix_callback_first_missed", "callback", ["first_missed_at"], unique=False)


def downgrade():
    op.drop_index("ix_callback_first_missed", table_name="callback")
    op.drop_table("phone_day_summarised")
    op.drop_table("phone_day_stat")
