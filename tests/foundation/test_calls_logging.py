"""Logging a call: new person, existing person (no duplicate), decision stored."""

import re

import pytest
import sqlalchemy as sa

from models import Call, Consent, Person, db
from support import call_form


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_nurse_logs_a_call_for_a_new_person(login_as, log_call):
    nurse = login_as("nurse")
    response = log_call()
    assert response.status_code == 302
    call = db.session.scalar(sa.select(Call))
    assert response.headers["Location"].endswith(f"/calls/{call.id}")
    assert call.nurse_id == nurse.id
    assert call.caller_phone == "+32470999910"
    assert call.topics == ["carer_support"]
    assert call.person.last_name == "Testeuse" and call.person.postcode == "4020"
    assert call.person.lives_alone is True
    consent = db.session.scalar(sa.select(Consent))
    assert consent.granted and consent.recorded_by_id == nurse.id and consent.purpose == "referral"


def test_call_stores_proposal_and_ruleset_identity(login_as, log_call):
    login_as("nurse")
    log_call()
    call = db.session.scalar(sa.select(Call))
    assert call.proposal["route"] == "external" and call.route == "external"
    assert call.categories == ["carer_support"] and call.follow_up_days == [30, 182]
    assert call.ruleset_name == "default" and len(call.ruleset_sha256) == 64
    assert call.triage_input["person"]["postcode"] == "4020"
    assert call.overridden is False


def test_existing_person_is_reused_not_duplicated(client, login_as, log_call):
    login_as("nurse")
    log_call()
    person = db.session.scalar(sa.select(Person))
    response = log_call(person_id=str(person.id), first_name="", last_name="", summary="Deuxième appel")
    assert response.status_code == 302
    assert _count(Person) == 1 and _count(Call) == 2


def test_same_person_typed_again_is_recognised_as_possible_duplicate(login_as, log_call):
    login_as("nurse")
    log_call()
    response = log_call(first_name="yvonne", last_name="TESTEUSE")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "TESTEUSE Yvonne" in page and 'value="use:' in page
    assert _count(Person) == 1 and _count(Call) == 1
    # Confirming it is a different person creates them.
    response = log_call(first_name="Yvonne", last_name="Testeuse", confirm_new_person="y", birth_date="1950-01-01")
    assert response.status_code == 302 and _count(Person) == 2


def test_find_person_by_name_phone_and_birth_date(client, login_as, log_call):
    login_as("nurse")
    log_call(person_phone="0470 99 99 20")
    for query in ("testeu", "0470999920", "17/05/1940"):
        response = client.post("/calls/new", data=call_form(action="find", person_query=query))
        assert response.status_code == 200
        assert "TESTEUSE Yvonne" in response.get_data(as_text=True), query


def test_choosing_a_found_person_prefills_their_details(client, login_as, log_call):
    login_as("nurse")
    log_call()
    person = db.session.scalar(sa.select(Person))
    response = client.post("/calls/new", data=call_form(action=f"use:{person.id}", first_name="", postcode=""))
    page = response.get_data(as_text=True)
    assert f'name="person_id" type="hidden" value="{person.id}"' in page
    assert 'value="4020"' in page


def test_caller_phone_known_shows_the_persons_already_known(client, login_as, log_call):
    login_as("nurse")
    log_call()
    response = client.post("/calls/new", data=call_form(action="preview", first_name="", last_name=""))
    assert "TESTEUSE Yvonne" in response.get_data(as_text=True)


def test_override_needs_a_reason_and_is_stored(login_as, log_call):
    login_as("nurse")
    response = log_call(route="information")
    assert response.status_code == 422
    assert "Indiquez pourquoi vous choisissez une autre orientation" in response.get_data(as_text=True)
    assert _count(Call) == 0
    response = log_call(route="information", override_reason="Demande seulement un numéro")
    assert response.status_code == 302
    call = db.session.scalar(sa.select(Call))
    assert call.route == "information" and call.overridden and call.proposal["route"] == "external"
    assert call.override_reason == "Demande seulement un numéro" and call.follow_up_days == []


def test_call_page_and_person_page_show_the_call(client, login_as, log_call):
    login_as("nurse")
    log_call()
    call = db.session.scalar(sa.select(Call))
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Fils épuisé" in page
    reasons = re.search(r'<ul class="reasons">(.*?)</ul>', page, re.S).group(1)
    assert "<li>" in reasons  # the rules that fired are listed, in words
    assert all(rule not in reasons for rule in (r["rule"] for r in call.proposal["reasons"]))  # not by id
    page = client.get(f"/persons/{call.person_id}").get_data(as_text=True)
    assert f"/calls/{call.id}" in page and "TESTEUSE Yvonne" in page


@pytest.mark.parametrize("person_id", ["999999", "2200000000", "99999999999999999999", "abc"])
def test_unknown_or_impossible_person_id_is_refused_on_the_field_not_a_crash(login_as, log_call, person_id):
    login_as("nurse")
    response = log_call(person_id=person_id, first_name="", last_name="")
    assert response.status_code == 422
    assert 'id="person_id-error"' in response.get_data(as_text=True)
    assert _count(Call) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/calls/2200000000",
        "/persons/99999999999",
        "/referrals/new?call_id=2200000000",
        "/calls/new?person_id=2200000000",
        "/calls/?nurse_id=2200000000",
    ],
)
def test_ids_beyond_the_database_range_are_not_found_never_a_database_error(client, login_as, path):
    login_as("coordinator")
    assert client.get(path).status_code in (200, 404)
