"""Relays: a call about a followed person passed on to her case manager, and its acknowledgement.

Revision ID: 0040_case_relay
Revises: 0060_person_contacts_address
"""

import sqlalchemy as sa
from alembic import op

revision = "0040_case_relay"
down_revision = "0060_person_contacts_address"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "relay",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("acknowledgement_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["call_id"], ["call.id"], name=op.f("fk_relay_call_id_call")),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_relay_case_id_case")),
        sa.ForeignKeyConstraint(["to_user_id"], ["user.id"], name=op.f("fk_relay_to_user_id_user")),
        sa.ForeignKeyConstraint(["acknowledged_by_id"], ["user.id"], name=op.f("fk_relay_acknowledged_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relay")),
        sa.UniqueConstraint("call_id", name=op.f("uq_relay_call_id")),
    )
    with op.batch_alter_table("relay", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relay_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_relay_to_ack", ["to_user_id", "acknowledged_at"], unique=False)


def downgrade():
    with op.batch_alter_table("relay", schema=None) as batch_op:
        batch_op.drop_index("ix_relay_to_ack")
        batch_op.drop_index(batch_op.f("ix_relay_case_id"))
    op.drop_table("relay")
