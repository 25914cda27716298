"""A person's contacts (carers, professionals) and her address.

Revision ID: 0060_person_contacts_address
Revises: 0030_outbox
"""

import sqlalchemy as sa
from alembic import op

revision = "0060_person_contacts_address"
down_revision = "0030_outbox"
branch_labels = None
depends_on = None

ADDRESS = (
    ("street", sa.String(120)),
    ("house_number", sa.String(10)),
    ("box", sa.String(10)),
    ("city", sa.String(80)),
    ("access_notes", sa.Text()),
)


def upgrade():
    op.create_table(
        "person_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(15), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("relation", sa.String(80), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("may_call", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_person_contact_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_contact")),
    )
    op.create_index("ix_person_contact_person", "person_contact", ["person_id"])
    op.create_index("ix_person_contact_phone", "person_contact", ["phone"])
    with op.batch_alter_table("person", schema=None) as batch_op:
        for name, type_ in ADDRESS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        for name, _type in reversed(ADDRESS):
            batch_op.drop_column(name)
    op.drop_index("ix_person_contact_phone", table_name="person_contact")
    op.drop_index("ix_person_contact_person", table_name="person_contact")
    op.drop_table("person_contact")
