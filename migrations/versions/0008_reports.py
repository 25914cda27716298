"""reports: stored topic models, themes, per-note themes and the topic suggester

Revision ID: 0008_reports
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_reports"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "topic_model",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fitted_at", sa.DateTime(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("n_topics", sa.Integer(), nullable=False),
        sa.Column("n_documents", sa.Integer(), nullable=False),
        sa.Column("n_unassigned", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("model", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_model")),
    )
    op.create_table(
        "topic_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=True),
        sa.Column("named_by_id", sa.Integer(), nullable=True),
        sa.Column("named_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["model_id"], ["topic_model.id"], name=op.f("fk_topic_theme_model_id_topic_model"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["named_by_id"], ["user.id"], name=op.f("fk_topic_theme_named_by_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_theme")),
        sa.UniqueConstraint("model_id", "index", name=op.f("uq_topic_theme_model_id")),
    )
    op.create_index(op.f("ix_topic_theme_model_id"), "topic_theme", ["model_id"], unique=False)
    op.create_table(
        "note_theme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("note_date", sa.Date(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["model_id"], ["topic_model.id"], name=op.f("fk_note_theme_model_id_topic_model"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["topic_theme.id"], name=op.f("fk_note_theme_theme_id_topic_theme"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_theme")),
    )
    op.create_index("ix_note_theme_theme_date", "note_theme", ["theme_id", "note_date"], unique=False)
    op.create_index("ix_note_theme_model_source", "note_theme", ["model_id", "source", "source_id"], unique=False)
    op.create_table(
        "topic_suggester",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(), nullable=False),
        sa.Column("n_calls", sa.Integer(), nullable=False),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column("model", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topic_suggester")),
    )


def downgrade():
    op.drop_table("topic_suggester")
    op.drop_index("ix_note_theme_model_source", table_name="note_theme")
    op.drop_index("ix_note_theme_theme_date", table_name="note_theme")
    op.drop_table("note_theme")
    op.drop_index(op.f("ix_topic_theme_model_id"), table_name="topic_theme")
    op.drop_table("topic_theme")
    op.drop_table("topic_model")
