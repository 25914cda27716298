"""SQLite held by another process (a backup, a stuck job): the app's busy timeout bounds the wait
and the nurse gets her form back with a clear message instead of a hung request."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from models import Call, db
from tests.conftest import ON_POSTGRES, call_form


@pytest.fixture
def app_config():
    return {"DATABASE_CONNECT_TIMEOUT": 1}


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's file lock (PostgreSQL: test_database_outage.py)")
def test_a_locked_database_gives_the_form_back_with_everything_typed(app, client, login_as):
    login_as("nurse")
    typed = call_form(caller_name="Paul Appelant", first_name="Yvonne", last_name="Testeuse")
    holder = sqlite3.connect(sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        response = client.post("/calls/new", data=typed)
    finally:
        holder.rollback()
        holder.close()
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert 'id="call-form"' in html and "PAS été enregistré" in html
    for name in ("caller_name", "first_name", "last_name", "postcode"):
        assert f'value="{typed[name]}"' in html, name
    assert db.session.scalar(sa.select(sa.func.count(Call.id))) == 0


def test_database_errors_do_not_carry_the_statements_values(app):
    secret = "Testeuse-Secret"
    try:
        db.session.execute(sa.text("SELECT * FROM no_such_table WHERE name = :name"), {"name": secret})
    except sa.exc.DBAPIError as exc:
        db.session.rollback()
        assert secret not in str(exc)
    else:
        pytest.fail("the query should have failed")
