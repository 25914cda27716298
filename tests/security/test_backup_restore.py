"""`helpline backup` writes a copy that `helpline restore` brings back (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from helpline.privacy.backup import BackupError, backup
from models import Person, db
from tests.conftest import ON_POSTGRES
from tests.security.conftest import make_person


def _names() -> list[str]:
    db.session.remove()
    return list(db.session.scalars(sa.select(Person.last_name).order_by(Person.id)))


@pytest.mark.skipif(
    ON_POSTGRES and not (shutil.which("pg_dump") and shutil.which("pg_restore")),
    reason="the PostgreSQL client tools are not installed",
)
def test_a_backup_restores_the_database_as_it_was(app, runner, tmp_path):
    make_person(last_name="Avant")
    db.session.commit()
    target = tmp_path / "backups" / "helpline.backup"
    result = runner.invoke(args=["backup", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0 and oct(target.stat().st_mode)[-3:] == "600"
    make_person(last_name="Apres")
    db.session.commit()
    assert _names() == ["Avant", "Apres"]
    db.session.remove()
    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert _names() == ["Avant"]


def test_restore_refuses_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["restore", str(tmp_path / "none.db"), "--yes"])
    assert result.exit_code == 1 and "no such backup file" in result.output


def test_backup_says_clearly_when_pg_dump_is_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match="pg_dump was not found: install the PostgreSQL client tools"):
        backup("postgresql+psycopg://postgres@127.0.0.1:5432/none", tmp_path / "x.dump")
