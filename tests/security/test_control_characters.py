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
    assert "vérifiez-les : last name, summary." in html
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


def test_the_live_preview_keeps_no_notice_in_the_session(client, login_as):
    """The call page's preview runs at every change: a notice flashed there would pile up in the
    session cookie (past the 4 KB browsers keep, logging the nurse out) and show nowhere."""
    login_as("nurse")
    for _ in range(40):
        response = client.post("/triage/preview", data=call_form(summary="Fils\x07 épuisé"))
        assert response.status_code == 200
    with client.session_transaction() as session:
        assert "_flashes" not in session
    response = client.get("/calls/new")
    assert "caractères de contrôle invisibles" not in response.get_data(as_text=True)


def test_a_page_rendered_at_once_shows_the_notice_without_keeping_it(client, login_as):
    login_as("nurse")
    response = client.post("/calls/new", data=call_form(action="preview", summary="Fils\x07 épuisé"))
    assert response.status_code == 200
    assert "vérifiez-les : summary." in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "_flashes" not in session
    assert "caractères de contrôle invisibles" not in client.get("/calls/new").get_data(as_text=True)
