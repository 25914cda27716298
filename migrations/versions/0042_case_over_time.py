"""A case over time: reassignments and reopenings kept as case events; the case manager's profile.

Revision ID: 0042_case_over_time
Revises: 0062_corrections
"""

import sqlalchemy as sa
from alembic import op

revision = "0042_case_over_time"
down_revision = "0062_corrections"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("from_user_id", sa.Integer(), nullable=True),
        sa.Column("to_user_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_case_event_case_id_case")),
        sa.ForeignKeyConstraint(["by_id"], ["user.id"], name=op.f("fk_case_event_by_id_user")),
        sa.ForeignKeyConstraint(["from_user_id"], ["user.id"], name=op.f("fk_case_event_from_user_id_user")),
        sa.ForeignKeyConstraint(["to_user_id"], ["user.id"], name=op.f("fk_case_event_to_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_event_case_id"), ["case_id"], unique=False)
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_manager_profile", sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("case_manager_profile")
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_event_case_id"))
    op.drop_table("case_event")
