"""A call remembers the draft it was saved from, once: a second submit of the same form finds it.

Revision ID: 0050_call_draft_token
Revises: 0042_case_over_time
"""

import sqlalchemy as sa
from alembic import op

revision = "0050_call_draft_token"
down_revision = "0042_case_over_time"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft_id", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_call_draft_id"), ["draft_id"])


def downgrade():
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_call_draft_id"), type_="unique")
        batch_op.drop_column("draft_id")
