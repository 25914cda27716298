"""Topic suggestions on the call page: training command, JSON endpoint, and the not-enough-history case."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from reports_support import add_call, add_person, add_user, local, planted_notes

from models import Call, TopicSuggester, db


@pytest.fixture
def history(app):
    """80 past calls whose summaries speak of a planted theme and whose topic the nurse ticked."""
    nurse, person = add_user(), add_person()
    for i, (theme, text) in enumerate(planted_notes(80)):
        add_call(person, nurse, local(2024, 1, 1 + i % 28), summary=text, topics=[theme])
    db.session.commit()


def test_training_with_too_little_history_says_so_and_no_suggestion_shows(client, login_as, runner, app):
    nurse, person = add_user(), add_person()
    add_call(person, nurse, local(2024, 1, 5), summary="Logement insalubre.", topics=["housing"])
    db.session.commit()
    result = runner.invoke(args=["topics", "train-suggester"])
    assert result.exit_code == 1 and "not enough call history" in result.output
    assert db.session.scalar(sa.select(TopicSuggester)) is None
    login_as("nurse")
    response = client.post("/reports/suggestions.json", json={"summary": "logement insalubre humidité"})
    assert response.status_code == 200
    assert response.get_json() == {"suggestions": [], "available": False}


def test_nurse_gets_suggestions_for_the_summary_she_types(client, login_as, runner, history):
    result = runner.invoke(args=["topics", "train-suggester"])
    assert result.exit_code == 0, result.output
    assert "on 80 calls" in result.output
    login_as("nurse")
    response = client.post(
        "/reports/suggestions.json",
        query_string={"lang": "en"},
        json={"summary": "Appartement insalubre, moisissures et chauffage en panne", "topics": []},
    )
    data = response.get_json()
    assert data["available"] is True
    assert data["suggestions"][0]["topic"] == "housing" and data["suggestions"][0]["label"] == "Housing"
    ticked = client.post(
        "/reports/suggestions.json", json={"summary": "Appartement insalubre, moisissures", "topics": ["housing"]}
    ).get_json()
    assert "housing" not in [s["topic"] for s in ticked["suggestions"]]


def test_suggestions_never_change_a_call(client, login_as, runner, history):
    assert runner.invoke(args=["topics", "train-suggester"]).exit_code == 0
    before = db.session.execute(sa.select(Call.id, Call.route)).all()
    login_as("nurse")
    client.post("/reports/suggestions.json", json={"summary": "taxi ambulance trajet"})
    assert db.session.execute(sa.select(Call.id, Call.route)).all() == before


def test_suggestions_need_text(client, login_as):
    login_as("coordinator")
    assert client.post("/reports/suggestions.json", json={"summary": 3}).status_code == 400
    assert client.post("/reports/suggestions.json", json=["not", "an", "object"]).status_code == 400
    form = client.post("/reports/suggestions.json", data={"summary": "logement", "topics": ["housing"]})
    assert form.get_json() == {"suggestions": [], "available": False}


@pytest.mark.parametrize("role, status", [("nurse", 200), ("coordinator", 200), ("case_manager", 403), ("admin", 403)])
def test_suggestions_are_for_those_who_log_calls(client, login_as, role, status):
    login_as(role)
    assert client.post("/reports/suggestions.json", json={"summary": "x"}).status_code == status


def test_suggestions_need_a_login(client):
    assert client.post("/reports/suggestions.json", json={"summary": "x"}).status_code == 401


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}])
def test_suggestions_need_the_csrf_token(client):
    import re

    from helpline.auth.passwords import hash_password

    nurse = add_user("nurse", password_hash=hash_password("a-long-test-password"))
    db.session.commit()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]
    assert (
        client.post(
            "/login", data={"email": nurse.email, "password": "a-long-test-password", "csrf_token": token}
        ).status_code
        == 302
    )
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/calls/new").get_data(as_text=True))[1]
    assert client.post("/reports/suggestions.json", json={"summary": "x"}).status_code == 400
    assert (
        client.post("/reports/suggestions.json", json={"summary": "x"}, headers={"X-CSRFToken": token}).status_code
        == 200
    )


def test_call_page_loads_the_suggestion_script(client, login_as):
    login_as("nurse")
    html = client.get("/calls/new").get_data(as_text=True)
    assert 'src="/static/suggest.js"' in html and 'data-suggest-url="/reports/suggestions.json"' in html
    assert 'id="topic-suggestions"' in html
