"""Nothing typed is lost: a failed save keeps the form; the browser draft is cleared only once saved.
CSRF protects every form and the JSON endpoint the call page uses."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from models import Call, db
from tests.conftest import call_form
from tests.security.conftest import as_user


@pytest.fixture
def database_down():
    """Return a switch that makes every commit fail as if the database had gone away."""

    def refuse(session):
        raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

    def go_down():
        event.listen(Session, "before_commit", refuse)

    yield go_down
    if event.contains(Session, "before_commit", refuse):
        event.remove(Session, "before_commit", refuse)


def test_a_failed_save_shows_a_clear_message_and_keeps_every_typed_value(client, login_as, database_down):
    login_as("nurse")
    database_down()
    typed = call_form(
        caller_name="Paul Appelant",
        caller_relation="fils",
        summary="Fils épuisé, cherche du répit.",
        gp_name="Dr Généraliste",
        postcode="4020",
        first_name="Yvonne",
        last_name="Testeuse",
    )
    response = client.post("/calls/new", data=typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "NOT saved" in html or "PAS" in html.upper()
    for name in (
        "caller_name",
        "caller_relation",
        "first_name",
        "last_name",
        "postcode",
        "gp_name",
        "birth_date",
        "started_at",
        "duration_minutes",
    ):
        assert f'value="{typed[name]}"' in html, name
    assert typed["summary"] in html
    assert re.search(r'value="carer_support"[^>]*checked|checked[^>]*value="carer_support"', html)
    assert db.session.scalar(sa.select(sa.func.count(Call.id))) == 0


def test_a_successful_save_tells_the_browser_which_draft_to_delete(client, login_as):
    login_as("nurse")
    response = client.post("/calls/new", data=call_form(draft_id="d-1234abcd5678"))
    assert response.status_code == 302
    assert "saved_draft=d-1234abcd5678" in response.headers["Set-Cookie"]


def test_a_failed_save_keeps_the_browser_draft(client, login_as, database_down):
    login_as("nurse")
    database_down()
    response = client.post("/calls/new", data=call_form(draft_id="d-1234abcd5678"))
    assert response.status_code == 503 and "saved_draft" not in response.headers.get("Set-Cookie", "")


def test_an_invalid_form_keeps_the_browser_draft_and_a_bad_draft_id_is_ignored(client, login_as):
    login_as("nurse")
    refused = client.post("/calls/new", data=call_form(postcode="abc", draft_id="d-1234abcd5678"))
    assert refused.status_code == 422 and "saved_draft" not in refused.headers.get("Set-Cookie", "")
    odd = client.post("/calls/new", data=call_form(draft_id='x"; Path=/evil', first_name="Autre", last_name="Personne"))
    assert odd.status_code == 302 and "saved_draft" not in odd.headers.get("Set-Cookie", "")


def test_the_call_page_loads_the_draft_script(client, login_as):
    login_as("nurse")
    html = client.get("/calls/new").get_data(as_text=True)
    assert "static/draft.js" in html


def _token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_forms_and_the_triage_preview_refuse_requests_without_the_csrf_token(app, client, world, app_config):
    as_user(client, world.users["nurse"])
    assert client.post("/calls/new", data=call_form()).status_code == 400
    assert (
        client.post(
            "/triage/preview", data=call_form(action="preview"), headers={"Accept": "application/json"}
        ).status_code
        == 400
    )
    token = _token(client.get("/calls/new").get_data(as_text=True))
    preview = client.post(
        "/triage/preview",
        data=call_form(action="preview"),
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    assert preview.status_code == 200 and "proposal" in preview.get_json()
    saved = client.post("/calls/new", data=call_form(csrf_token=token, first_name="Autre", last_name="Personne"))
    assert saved.status_code == 302
    as_user(client, world.users["coordinator"])
    consent = {"purpose": "sms", "granted": "yes", "given_on": "2024-03-01"}
    assert client.post(f"/privacy/persons/{world.person.id}/consents", data=consent).status_code == 400


def test_health_check_reports_an_unreachable_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "unreachable"
