"""A count and its noun agree: « 1 dossier actif », « 2 dossiers actifs », never « 1 dossiers actifs »."""

import datetime as dt
import html

import pytest

from helpline.persons.service import set_names
from models import Case, Person, Referral, Structure, db, utcnow

CASELOAD = {
    ("fr", 1): ("1 dossier actif sur 12 ;", "1 nouveau ce mois-ci sur"),
    ("fr", 2): ("2 dossiers actifs sur 12 ;", "2 nouveaux ce mois-ci sur"),
    ("en", 1): ("1 active case of 12;", "1 new this month of"),
    ("en", 2): ("2 active cases of 12;", "2 new this month of"),
}
WRONG_CASELOAD = {"fr": "1 dossiers", "en": "1 active cases"}

OVERDUE = {
    ("fr", 1): "1 orientation sans réponse",
    ("fr", 2): "2 orientations sans réponse",
    ("en", 1): "1 referral without an answer",
    ("en", 2): "2 referrals without an answer",
}
WRONG_OVERDUE = {"fr": "1 orientations", "en": "1 referrals"}


def _person(n: int) -> Person:
    person = Person(postcode="4020")
    set_names(person, "Yvonne", f"Pluriel{n}")
    db.session.add(person)
    return person


def _page(client, lang: str) -> str:
    client.post(f"/language/{lang}")
    return html.unescape(client.get("/").get_data(as_text=True))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("count", [1, 2])
def test_the_case_managers_home_counts_her_cases_in_the_singular_or_the_plural(client, login_as, lang, count):
    manager = login_as("case_manager", capacity=12)
    for n in range(count):
        db.session.add(
            Case(
                person=_person(n),
                status="active",
                priority="routine",
                case_manager_id=manager.id,
                opened_at=utcnow(),
                assigned_at=utcnow(),
            )
        )
    db.session.commit()
    page = _page(client, lang)
    for wording in CASELOAD[lang, count]:
        assert wording in page
    assert WRONG_CASELOAD[lang] not in page


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("count", [1, 2])
def test_the_home_panel_counts_the_referrals_without_an_answer_in_the_singular_or_the_plural(
    client, login_as, lang, count
):
    nurse = login_as("nurse")
    structure = Structure(name="Répit Démo", category="carer_support", status="active", description="", services=[])
    sent_at = utcnow() - dt.timedelta(days=60)
    for n in range(count):
        db.session.add(
            Referral(
                person=_person(n),
                structure=structure,
                category="carer_support",
                created_by_id=nurse.id,
                sent_at=sent_at,
                status_changed_at=sent_at,
            )
        )
    db.session.commit()
    page = _page(client, lang)
    assert OVERDUE[lang, count] in page
    assert WRONG_OVERDUE[lang] not in page
