"""A real database server killed or frozen under a logged-in nurse: the app's own 503 page in her
language, her call form shown again with everything typed, and nothing waits more than a few seconds."""

from __future__ import annotations

import re
import threading

import pytest
import sqlalchemy as sa

from helpline import create_app
from models import Base, Call, Person, db
from support import migrate
from tests.conftest import FreshContextClient, call_form, make_user
from tests.security.private_postgres import PrivatePostgres

pytestmark = pytest.mark.skipif(not PrivatePostgres.available(), reason="no PostgreSQL binaries on this machine")

TYPED = dict(
    caller_name="Paul Appelant",
    caller_relation="fils",
    first_name="Yvonne",
    last_name="Testeuse",
    postcode="4020",
    gp_name="Dr Généraliste",
    summary="Fils épuisé, cherche du répit.",
)
BOUND_SECONDS = 20  # far above the configured waits (about 3 s), far below a hung request (minutes)


@pytest.fixture(scope="module")
def server():
    """Start a private PostgreSQL server with a migrated database."""
    pg = PrivatePostgres()
    try:
        pg.init()
        migrate(pg.url)
        yield pg
    finally:
        pg.destroy()


@pytest.fixture
def app(server):
    """Return the app on the private server, with short waits for a failing database."""
    app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": server.url,
            "DATABASE_CONNECT_TIMEOUT": 2,
            "DATABASE_PING_TIMEOUT": 1,
            "DATABASE_STATEMENT_TIMEOUT": 2,
        }
    )
    app.test_client_class = FreshContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
        if not server.running():
            server.start()
        else:
            server.thaw()
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _login(client, locale=None):
    from support import PASSWORD

    user = make_user("nurse", locale=locale)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    db.session.remove()
    return user


def _within_bound(request):
    """Run a request in a thread; fail (instead of hanging the suite) if it does not answer in time."""
    result = {}
    thread = threading.Thread(target=lambda: result.update(response=request()), daemon=True)
    thread.start()
    thread.join(BOUND_SECONDS)
    assert "response" in result, f"no answer within {BOUND_SECONDS} s"
    return result["response"]


def _assert_call_form_kept(response, typed):
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "PAS été enregistré" in html, html[:2000]  # the nurse's language: French
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


def test_a_killed_database_shows_the_call_form_with_everything_typed(app, client, server):
    _login(client)
    typed = call_form(**TYPED)
    server.stop()
    response = _within_bound(lambda: client.post("/calls/new", data=typed))
    _assert_call_form_kept(response, typed)
    assert 'id="call-form"' in response.get_data(as_text=True)

    server.start()
    saved = client.post("/calls/new", data=typed)  # the same session carries on once the server is back
    assert saved.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Call.id))) == 1


@pytest.mark.parametrize(
    "method, path", [("GET", "/"), ("GET", "/calls/"), ("GET", "/followups/"), ("POST", "/persons/search.json")]
)
def test_every_page_degrades_to_the_apps_own_503_page_in_the_users_language(app, client, server, method, path):
    _login(client, locale="en")
    server.stop()
    response = _within_bound(lambda: client.open(path, method=method, data={"q": "Test"} if method == "POST" else None))
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "The database is not answering" in body
    assert "Internal Server Error" not in body


def test_a_frozen_database_answers_503_within_seconds_and_healthz_too(app, client, server):
    _login(client)
    typed = call_form(**TYPED)
    server.freeze()
    try:
        response = _within_bound(lambda: client.post("/calls/new", data=typed))
        _assert_call_form_kept(response, typed)
        health = _within_bound(lambda: client.get("/healthz"))
        assert health.status_code == 503 and health.get_json()["database"] == "unreachable"
    finally:
        server.thaw()
    assert client.get("/healthz").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 0
