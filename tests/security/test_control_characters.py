"""A NUL byte or another control character typed in a form or a search: stripped before any form
sees it, the user told which field changed, and the save goes through (PostgreSQL refused it)."""

from __future__ import annotations

import sqlalchemy as sa

from models import Call, Person, db
from tests.conftest import call_form


def test_a_nul_byte_in_the_call_form_is_stripped_and_the_field_named(client, login_as):
    login_as("nurse")
    response = client.post(
        "/calls/new", data=call_form(last_name="Test\x00euse", summary="Fils\x07 épuisé\x1b."), follow_redirects=True
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "last name" in html and "summary" in html
    assert db.session.scalar(sa.select(Person.last_name)) == "Testeuse"
    assert db.session.scalar(sa.select(Call.summary)) == "Fils épuisé."


def test_line_breaks_and_tabs_are_kept(client, login_as):
    login_as("nurse")
    assert client.post("/calls/new", data=call_form(summary="Ligne 1\r\n\tLigne 2")).status_code == 302
    assert db.session.scalar(sa.select(Call.summary)) == "Ligne 1\r\n\tLigne 2"


def test_a_nul_byte_in_a_search_does_not_fail(client, login_as):
    login_as("nurse")
    assert client.post("/persons/search.json", data={"q": "Test\x00euse"}).status_code == 200
    assert client.get("/calls/?q=Test%00euse").status_code == 200
