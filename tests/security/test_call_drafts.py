"""One call form saves one call however often it is submitted; browser drafts belong to one user."""

from __future__ import annotations

import re

import sqlalchemy as sa

from models import Call, Person, db
from tests.conftest import call_form


def _draft_id(html: str) -> str:
    return re.search(r'name="draft_id"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="draft_id"', html).group(1)


def test_submitting_one_call_form_twice_saves_one_call_and_one_person(client, login_as):
    login_as("nurse")
    draft_id = _draft_id(client.get("/calls/new").get_data(as_text=True))
    first = client.post("/calls/new", data=call_form(draft_id=draft_id))
    second = client.post("/calls/new", data=call_form(draft_id=draft_id))
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count(Call.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 1
    assert db.session.scalar(sa.select(Call.draft_id)) == draft_id


def test_two_forms_shown_save_two_calls(client, login_as):
    login_as("nurse")
    ids = {_draft_id(client.get("/calls/new").get_data(as_text=True)) for _ in range(2)}
    assert len(ids) == 2
    for draft_id, name in zip(sorted(ids), ("Yvonne", "Zoé"), strict=True):
        response = client.post("/calls/new", data=call_form(draft_id=draft_id, first_name=name, last_name=name))
        assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Call.id))) == 2


def _owner(html: str) -> str:
    return re.search(r'draft\.js"[^>]*data-owner="([0-9a-f]+)"', html).group(1)


def test_browser_drafts_are_kept_per_user_and_cleared_at_logout(app, login_as):
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        from support import PASSWORD
        from tests.conftest import make_user

        user = make_user("nurse")
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    owners = {_owner(c.get("/calls/new").get_data(as_text=True)) for c in (first, second)}
    assert len(owners) == 2  # each user's drafts under her own key: never offered to the other
    logout = first.post("/logout")
    assert logout.status_code == 302 and logout.headers["Clear-Site-Data"] == '"storage"'
