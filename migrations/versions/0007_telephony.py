"""telephony: nurse leg, conference SID, transfer and dial outcome on phone calls

Revision ID: 0007_telephony
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_telephony"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("phone_call", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nurse_call_sid", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("conference_sid", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("transfer_to_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("transfer_status", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("dial_status", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_phone_call_nurse_call_sid"), ["nurse_call_sid"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_phone_call_transfer_to_id_user"), "user", ["transfer_to_id"], ["id"])


def downgrade():
    with op.batch_alter_table("phone_call", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_phone_call_transfer_to_id_user"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_phone_call_nurse_call_sid"))
        batch_op.drop_column("dial_status")
        batch_op.drop_column("transfer_status")
        batch_op.drop_column("transfer_to_id")
        batch_op.drop_column("conference_sid")
        batch_op.drop_column("nurse_call_sid")
