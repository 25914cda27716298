"""One linear migration history: one head, no branch labels, downgrade one step and upgrade again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from helpline import MIGRATIONS_DIR
from models import db


def _scripts() -> ScriptDirectory:
    return ScriptDirectory(MIGRATIONS_DIR)


def test_the_history_has_one_head_and_no_branch_labels():
    scripts = _scripts()
    assert len(scripts.get_heads()) == 1, scripts.get_heads()
    assert [rev.revision for rev in scripts.walk_revisions() if rev.branch_labels] == []


def test_every_revision_after_the_merge_has_one_parent():
    """Only 0020 merges; every later revision follows the single previous head."""
    scripts = _scripts()
    later = [rev for rev in scripts.walk_revisions("0020_merge_heads", "heads") if rev.revision != "0020_merge_heads"]
    assert all(isinstance(rev.down_revision, str) for rev in later), [r.revision for r in later]


def test_the_database_is_at_the_single_head_after_upgrade(app):
    with db.engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    assert stored == [_scripts().get_current_head()]


def test_downgrade_one_step_and_upgrade_again(app):
    """`helpline db downgrade` then `helpline db upgrade`: the plain commands a deployment uses."""
    head = _scripts().get_revision(_scripts().get_current_head())
    db.session.remove()
    if isinstance(head.down_revision, tuple):  # the merge itself is the head: undo it by name
        downgrade(revision=head.down_revision[0])
    else:
        downgrade()
    with db.engine.connect() as connection:
        stored = set(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
    assert head.revision not in stored
    upgrade()
    with db.engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    assert stored == [head.revision]
