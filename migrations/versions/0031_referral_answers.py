"""The structure's answer through its link: who answered (no user), first contact, capacity and freshness.

Revision ID: 0031_referral_answers
Revises: 0040_case_relay
"""

import sqlalchemy as sa
from alembic import op

revision = "0031_referral_answers"
down_revision = "0040_case_relay"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("referral_event", schema=None) as batch_op:
        batch_op.alter_column("by_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("via", sa.String(length=10), nullable=True))
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_contact_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("structure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity_available", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("capacity_updated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("wait_time", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("wait_time_updated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("assured_date", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("structure", schema=None) as batch_op:
        for name in ("assured_date", "wait_time_updated_at", "wait_time", "capacity_updated_at", "capacity_available"):
            batch_op.drop_column(name)
    with op.batch_alter_table("referral", schema=None) as batch_op:
        batch_op.drop_column("first_contact_at")
    # Events the structures recorded have no user: they cannot go back to a NOT NULL column.
    op.execute("DELETE FROM referral_event WHERE by_id IS NULL")
    with op.batch_alter_table("referral_event", schema=None) as batch_op:
        batch_op.drop_column("via")
        batch_op.alter_column("by_id", existing_type=sa.Integer(), nullable=False)
