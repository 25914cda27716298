"""A case over time (2): its progress-notes journal, the expected end and closure criteria set at
admission, and the person's care settings (home, hospital, rehabilitation…) with their dates.

Revision ID: 0070_case_over_time_2
Revises: 0071_person_merge
"""

import sqlalchemy as sa
from alembic import op

revision = "0070_case_over_time_2"
down_revision = "0071_person_merge"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expected_end_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("closure_criteria", sa.Text(), nullable=True))
    op.create_table(
        "case_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_case_note_case_id_case")),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], name=op.f("fk_case_note_author_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_note")),
    )
    op.create_index("ix_case_note_case_at", "case_note", ["case_id", "at"], unique=False)
    op.create_table(
        "care_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_care_setting_person_id_person")),
        sa.ForeignKeyConstraint(["case_id"], ["case.id"], name=op.f("fk_care_setting_case_id_case")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], name=op.f("fk_care_setting_recorded_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_setting")),
    )
    op.create_index("ix_care_setting_person_start", "care_setting", ["person_id", "started_on"], unique=False)


def downgrade():
    op.drop_index("ix_care_setting_person_start", table_name="care_setting")
    op.drop_table("care_setting")
    op.drop_index("ix_case_note_case_at", table_name="case_note")
    op.drop_table("case_note")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_column("closure_criteria")
        batch_op.drop_column("expected_end_on")
