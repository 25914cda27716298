"""Callbacks: inbound calls nobody answered become numbers to call back.

Revision ID: 0065_callbacks
Revises: 0020_merge_heads
"""

import sqlalchemy as sa
from alembic import op

revision = "0065_callbacks"
down_revision = "0020_merge_heads"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "callback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phone_number", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("first_missed_at", sa.DateTime(), nullable=False),
        sa.Column("last_missed_at", sa.DateTime(), nullable=False),
        sa.Column("missed_count", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], name=op.f("fk_callback_call_id_call")),
        sa.ForeignKeyConstraint(["closed_by_id"], ["user.id"], name=op.f("fk_callback_closed_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callback")),
    )
    op.create_index(op.f("ix_callback_phone_number"), "callback", ["phone_number"], unique=False)
    op.create_index("ix_callback_status_missed", "callback", ["status", "last_missed_at"], unique=False)
    # Batch mode: SQLite cannot add a foreign key to an existing table without rebuilding it.
    with op.batch_alter_table("phone_call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("callback_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_phone_call_callback_id"), ["callback_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_phone_call_callback_id_callback"), "callback", ["callback_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("phone_call", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_phone_call_callback_id_callback"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_phone_call_callback_id"))
        batch_op.drop_column("callback_id")
    op.drop_index("ix_callback_status_missed", table_name="callback")
    op.drop_index(op.f("ix_callback_phone_number"), table_name="callback")
    op.drop_table("callback")
