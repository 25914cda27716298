"""Person flags: what every nurse must know before talking about her, who set it, why, until when.

Revision ID: 0061_person_flags
Revises: 0066_followup_merge
"""

import sqlalchemy as sa
from alembic import op

revision = "0061_person_flags"
down_revision = "0066_followup_merge"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "person_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=False),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_person_flag_person_id_person")),
        sa.ForeignKeyConstraint(["set_by_id"], ["user.id"], name=op.f("fk_person_flag_set_by_id_user")),
        sa.ForeignKeyConstraint(["lifted_by_id"], ["user.id"], name=op.f("fk_person_flag_lifted_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_flag")),
    )
    op.create_index("ix_person_flag_person", "person_flag", ["person_id", "lifted_at"])


def downgrade():
    op.drop_index("ix_person_flag_person", table_name="person_flag")
    op.drop_table("person_flag")
