"""Sessions that end: a per-user session version (logout and a password change end every session
opened before), and the last authenticator step used (a code is accepted once).

Revision ID: 0051_user_sessions
Revises: 0050_call_draft_token
"""

import sqlalchemy as sa
from alembic import op

revision = "0051_user_sessions"
down_revision = "0050_call_draft_token"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("session_version")
