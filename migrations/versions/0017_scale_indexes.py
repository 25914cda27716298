"""Indexes found by the scale benchmark (bench/scale_bench.py) on a million calls.

- handoff (from_user_id, created_at): the nurse's home page lists the handoffs she sent, newest
  first; without it the query read every handoff ever written.
- person (first_name_key, last_name_key): the person search matches each word against the first or
  the last name; with the last-name index alone, a search for a name nobody has read every person.

Revision ID: 0017_scale_indexes
Revises: 0001
"""

from alembic import op

revision = "0017_scale_indexes"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_handoff_from_created", "handoff", ["from_user_id", "created_at"])
    op.create_index("ix_person_first_name", "person", ["first_name_key", "last_name_key"])


def downgrade():
    op.drop_index("ix_person_first_name", table_name="person")
    op.drop_index("ix_handoff_from_created", table_name="handoff")
