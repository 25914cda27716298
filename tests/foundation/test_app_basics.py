"""Login on every page, language switch, health check, migrations from empty."""

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from models import db
from support import PASSWORD, make_user

PAGES = [
    "/",
    "/calls/",
    "/calls/new",
    "/persons/search?q=x",
    "/persons/1",
    "/calls/1",
    "/triage/rules",
    "/triage/replay",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_requires_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_json_endpoints_answer_401_without_login(client):
    assert client.post("/persons/search.json", data={"q": "a"}).status_code == 401


def test_login_with_wrong_password_is_refused_and_keeps_email(client):
    user = make_user("nurse")
    response = client.post("/login", data={"email": user.email, "password": "wrong"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Mot de passe incorrect" in page or "mot de passe incorrect" in page
    assert user.email in page


def test_disabled_account_cannot_log_in(client):
    user = make_user("nurse", active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200 and "/login" not in response.headers.get("Location", "")
    assert client.get("/").status_code == 302


def test_interface_is_french_by_default_and_english_on_request(client, login_as):
    login_as("nurse")
    page = client.get("/calls/new").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Encoder un appel" in page and "La personne concernée" in page
    response = client.post("/language/en", data={"next": "/calls/new"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/calls/new")
    page = client.get("/calls/new").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log a call" in page and "The person concerned" in page
    client.post("/language/fr")
    assert "Encoder un appel" in client.get("/calls/new").get_data(as_text=True)


def test_unknown_language_is_ignored(client, login_as):
    login_as("nurse")
    client.post("/language/xx")
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)


def test_healthz_answers_200_when_database_is_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"


def test_healthz_answers_503_when_database_is_unreachable(app, client, monkeypatch):
    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_migrations_apply_from_empty_and_roll_back(app):
    """Run every migration down to nothing and up again on the test database (SQLite or PostgreSQL)."""
    downgrade(revision="base")
    assert "call" not in sa.inspect(db.engine).get_table_names()
    upgrade()
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"person", "call", "referral", "case", "followup", "audit_event"} <= tables
