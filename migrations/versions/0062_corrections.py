"""Corrections of saved calls and persons' records, with the previous values and the re-run triage.

Revision ID: 0062_corrections
Revises: 0041_meeting_record
"""

import sqlalchemy as sa
from alembic import op

revision = "0062_corrections"
down_revision = "0041_meeting_record"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("object_type", sa.String(20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("route_before", sa.String(20), nullable=True),
        sa.Column("route_after", sa.String(20), nullable=True),
        sa.Column("proposal_after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_correction_person_id_person")),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_correction_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction")),
    )
    op.create_index("ix_correction_object", "correction", ["object_type", "object_id", "at"])
    op.create_index("ix_correction_person", "correction", ["person_id", "at"])


def downgrade():
    op.drop_index("ix_correction_person", table_name="correction")
    op.drop_index("ix_correction_object", table_name="correction")
    op.drop_table("correction")
