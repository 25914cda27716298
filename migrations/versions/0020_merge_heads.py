"""One history: merge the five heads the areas grew in parallel from 0001.

Every later migration follows this one (its down_revision is the single previous head), so plain
`helpline db upgrade`, `downgrade` and `migrate` work as Flask-Migrate documents them.

Revision ID: 0020_merge_heads
Revises: 0007_telephony, 0009_audit_append_only, 0017_scale_indexes, 0018_call_day_stats,
         0019_followup_cancel
"""

revision = "0020_merge_heads"
# On one line, so that tools reading revisions line by line (the before-stop check) see every parent.
down_revision = ("0007_telephony", "0009_audit_append_only", "0017_scale_indexes", "0018_call_day_stats", "0019_followup_cancel")  # noqa: E501  # fmt: skip
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
