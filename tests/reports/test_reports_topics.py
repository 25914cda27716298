"""Topic modelling of the notes: the command finds planted themes, stores them, and the pages show them."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from reports_support import (
    LAST_NAMES,
    THEMES,
    add_call,
    add_followup,
    add_person,
    add_referral,
    add_structure,
    add_user,
    local,
    planted_notes,
)

from helpline.reports.textprep import fold_accents
from models import AuditEvent, NoteTheme, TopicModel, TopicTheme, db


@pytest.fixture
def notes(app):
    """120 call summaries and 40 follow-up notes about four planted themes, naming known persons."""
    nurse = add_user("nurse")
    persons = [add_person("Josée", name) for name in LAST_NAMES]
    for i, (_theme, text) in enumerate(planted_notes(160)):
        person = persons[i % len(persons)]
        when = local(2024, 1 + i % 3, 1 + i % 27)
        if i < 120:
            add_call(person, nurse, when, summary=text, caller_name="Paul Appelant")
        else:
            add_followup(person, 30, when.date(), "done", when, notes=text)
    db.session.commit()


def _fit(runner, *args):
    return runner.invoke(args=["topics", "fit", "--topics", "4", *args])


def test_fit_finds_the_planted_themes_and_stores_them(runner, notes):
    result = _fit(runner)
    assert result.exit_code == 0, result.output
    assert "4 themes from 160 notes" in result.output
    model = db.session.scalar(sa.select(TopicModel))
    assert model.n_documents == 160 and len(model.themes) == 4
    planted = {label: {fold_accents(w) for w in words} for label, words in THEMES.items()}
    found = set()
    for theme in model.themes:
        top = set(theme.top_words[:5])
        found |= {label for label, words in planted.items() if len(top & words) >= 4}
    assert found == set(THEMES)
    names = {fold_accents(n) for n in LAST_NAMES} | {"josee", "paul", "appelant"}
    assert not names & {w for theme in model.themes for w in theme.top_words}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NoteTheme)) >= 150


def test_fit_with_too_few_notes_says_so_and_stores_nothing(runner, app):
    person, nurse = add_person(), add_user()
    add_call(person, nurse, local(2024, 1, 5), summary="Logement insalubre.")
    db.session.commit()
    result = _fit(runner)
    assert result.exit_code == 1 and "not enough notes" in result.output
    assert db.session.scalar(sa.select(TopicModel)) is None


def test_fit_since_a_date_keeps_only_later_notes(runner, notes):
    result = _fit(runner, "--since", "2024-02-01")
    assert result.exit_code == 0, result.output
    model = db.session.scalar(sa.select(TopicModel))
    assert model.since == dt.date(2024, 2, 1) and model.n_documents < 160


def test_themes_page_shows_the_words_and_a_theme_its_months_and_pseudonymised_excerpts(client, login_as, runner, notes):
    assert _fit(runner).exit_code == 0
    login_as("coordinator")
    html = client.get("/reports/topics", query_string={"lang": "en"}).get_data(as_text=True)
    theme = db.session.scalar(sa.select(TopicTheme).order_by(TopicTheme.index))
    assert theme.top_words[0] in html and "160 notes" in html
    page = client.get(f"/reports/topics/{theme.id}", query_string={"lang": "en"}).get_data(as_text=True)
    assert "Notes per month" in page and "<svg" in page and "<q>" in page
    excerpts = page.split('id="excerpts"')[1]
    assert not any(name in excerpts for name in LAST_NAMES)
    assert (
        "Mme D." in excerpts
        or "Mme V." in excerpts
        or "Mme L." in excerpts
        or "Mme C." in excerpts
        or "Mme W." in excerpts
    )
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == "topic_theme")) is not None


def test_coordinator_names_a_theme_and_a_blank_name_is_refused(client, login_as, runner, notes):
    assert _fit(runner).exit_code == 0
    login_as("coordinator")
    theme = db.session.scalar(sa.select(TopicTheme).order_by(TopicTheme.index))
    response = client.post(f"/reports/topics/{theme.id}/name", data={"name": "Logement"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(TopicTheme, theme.id).name == "Logement"
    assert "Logement" in client.get("/reports/topics").get_data(as_text=True)
    refused = client.post(f"/reports/topics/{theme.id}/name", data={"name": " "}, query_string={"lang": "en"})
    assert refused.status_code == 400 and "This field is required." in refused.get_data(as_text=True)


def test_a_new_fit_keeps_the_names_of_themes_it_finds_again(runner, notes):
    assert _fit(runner).exit_code == 0
    for theme in db.session.scalars(sa.select(TopicTheme)):
        theme.name = f"Thème {theme.index}"
    db.session.commit()
    assert _fit(runner).exit_code == 0
    latest = db.session.scalar(sa.select(TopicModel).order_by(TopicModel.id.desc()))
    assert sorted(t.name for t in latest.themes) == [f"Thème {i}" for i in range(4)]


def test_gaps_put_themes_beside_failed_referrals_by_category(client, login_as, runner, notes):
    assert _fit(runner).exit_code == 0
    nurse, person = add_user(), add_person()
    housing = add_structure("Logement Démo", "housing_service")
    add_referral(person, housing, nurse, local(2024, 2, 3), status="declined", reason="no_capacity")
    add_referral(person, housing, nurse, local(2024, 2, 4), status="done", outcome="unsuccessful", reason="other")
    db.session.commit()
    login_as("coordinator")
    html = client.get(
        "/reports/gaps", query_string={"start": "2024-01-01", "end": "2024-03-31", "lang": "en"}
    ).get_data(as_text=True)
    assert "Themes of the notes" in html and "Declined or unsuccessful referrals" in html
    referrals = html.split("Declined or unsuccessful referrals")[1]
    assert '<th scope="row">Housing service</th><td class="num small">2' in referrals
