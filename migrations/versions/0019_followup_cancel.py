"""Cancelled follow-ups: who cancelled one, when and why.

Revision ID: 0019_followup_cancel
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_followup_cancel"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    # Batch mode: SQLite cannot add a foreign key to an existing table without rebuilding it.
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cancel_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_followup_cancelled_by_id_user"), "user", ["cancelled_by_id"], ["id"])


def downgrade():
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_followup_cancelled_by_id_user"), type_="foreignkey")
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("cancelled_by_id")
        batch_op.drop_column("cancelled_at")
