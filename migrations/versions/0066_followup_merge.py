"""One follow-up call per person per period: follow-ups due within 14 days of each other are merged.

The open follow-ups of a person are taken by due date; each one due within 14 days of the call
before it joins that call (status "merged", `merged_into_id`), the call moving to the earliest day.
Downgrade makes the merged follow-ups separate pending calls again (each keeps its own due date)
and drops the column.

Revision ID: 0066_followup_merge
Revises: 0031_referral_answers
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0066_followup_merge"
down_revision = "0031_referral_answers"
branch_labels = None
depends_on = None

WINDOW = dt.timedelta(days=14)


def _as_date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def upgrade():
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_followup_merged_into_id"), ["merged_into_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_followup_merged_into_id_followup"), "followup", ["merged_into_id"], ["id"]
        )
    followup = sa.table(
        "followup",
        sa.column("id", sa.Integer),
        sa.column("person_id", sa.Integer),
        sa.column("due_date", sa.Date),
        sa.column("status", sa.String),
        sa.column("attempts", sa.Integer),
        sa.column("merged_into_id", sa.Integer),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(followup.c.id, followup.c.person_id, followup.c.due_date, followup.c.status, followup.c.attempts)
        .where(followup.c.status.in_(("pending", "claimed")))
        .order_by(followup.c.person_id, followup.c.due_date, followup.c.id)
    ).all()
    host = None  # (id, person_id, due_date) of the current call
    for followup_id, person_id, due, status, attempts in rows:
        due = _as_date(due)
        # A call in progress or already attempted is not folded into another: others join it.
        if (
            host is not None
            and host[1] == person_id
            and due - host[2] <= WINDOW
            and status == "pending"
            and not attempts
        ):
            bind.execute(
                sa.update(followup).where(followup.c.id == followup_id).values(status="merged", merged_into_id=host[0])
            )
        else:
            host = (followup_id, person_id, due)


def downgrade():
    followup = sa.table("followup", sa.column("status", sa.String), sa.column("merged_into_id", sa.Integer))
    op.get_bind().execute(
        sa.update(followup).where(followup.c.status == "merged").values(status="pending", merged_into_id=None)
    )
    with op.batch_alter_table("followup", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_followup_merged_into_id_followup"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_followup_merged_into_id"))
        batch_op.drop_column("merged_into_id")
