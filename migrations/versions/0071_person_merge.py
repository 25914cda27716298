"""Duplicates merged later (undoable until confirmed) and pairs recorded as not the same person.

Revision ID: 0071_person_merge
Revises: 0051_user_sessions (to be re-pointed at 0070_case_over_time_2 when that lands)
"""

import sqlalchemy as sa
from alembic import op

revision = "0071_person_merge"
down_revision = "0051_user_sessions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_person_merged_into_id_person"), "person", ["merged_into_id"], ["id"])
    op.create_table(
        "person_merge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kept_person_id", sa.Integer(), nullable=False),
        sa.Column("merged_person_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("merged_by_id", sa.Integer(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["kept_person_id"], ["person.id"], name=op.f("fk_person_merge_kept_person_id_person")),
        sa.ForeignKeyConstraint(
            ["merged_person_id"], ["person.id"], name=op.f("fk_person_merge_merged_person_id_person")
        ),
        sa.ForeignKeyConstraint(["merged_by_id"], ["user.id"], name=op.f("fk_person_merge_merged_by_id_user")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], name=op.f("fk_person_merge_decided_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merge")),
    )
    op.create_index("ix_person_merge_kept", "person_merge", ["kept_person_id", "status"])
    op.create_index("ix_person_merge_merged", "person_merge", ["merged_person_id", "status"])
    op.create_table(
        "person_distinct",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("other_person_id", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_person_distinct_person_id_person")),
        sa.ForeignKeyConstraint(
            ["other_person_id"], ["person.id"], name=op.f("fk_person_distinct_other_person_id_person")
        ),
        sa.ForeignKeyConstraint(["by_id"], ["user.id"], name=op.f("fk_person_distinct_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_distinct")),
        sa.UniqueConstraint("person_id", "other_person_id", name="uq_person_distinct_pair"),
    )
    op.create_index(op.f("ix_person_distinct_other_person_id"), "person_distinct", ["other_person_id"])


def downgrade():
    op.drop_index(op.f("ix_person_distinct_other_person_id"), table_name="person_distinct")
    op.drop_table("person_distinct")
    op.drop_index("ix_person_merge_merged", table_name="person_merge")
    op.drop_index("ix_person_merge_kept", table_name="person_merge")
    op.drop_table("person_merge")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_person_merged_into_id_person"), type_="foreignkey")
        batch_op.drop_column("merged_into_id")
