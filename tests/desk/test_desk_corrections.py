"""Corrections after saving: the previous values kept, a reason when triage reads the field, triage run
again and a changed route shown beside the one decided at the time."""

import datetime as dt

import sqlalchemy as sa
from desk_support import add_person
from lxml import html

from models import AuditEvent, Call, Correction, Person, db


def _doc(response):
    return html.fromstring(response.get_data(as_text=True))


def _saved_call(log_call, **overrides) -> Call:
    assert log_call(**overrides).status_code == 302
    return db.session.scalar(sa.select(Call).order_by(Call.id.desc()))


def _correct(client, call, **fields):
    data = {
        "caller_type": call.caller_type,
        "topics": call.topics,
        "summary": call.summary,
        "caller_professional_role": call.caller_professional_role or "",
        "reason": "",
    }
    data.update(fields)
    return client.post(f"/calls/{call.id}/correct", data=data)


def test_a_typo_in_the_summary_is_corrected_without_a_reason_and_the_old_text_kept(client, login_as, log_call):
    nurse = login_as("nurse")
    call = _saved_call(log_call, summary="Fils épuisé, cherche du répti.")
    assert _correct(client, call, summary="Fils épuisé, cherche du répit.").status_code == 302
    db.session.refresh(call)
    assert call.summary == "Fils épuisé, cherche du répit." and call.route == "external"
    (correction,) = db.session.scalars(sa.select(Correction))
    assert (correction.user_id, correction.reason, correction.route_after) == (nurse.id, None, None)
    assert correction.changes == {"summary": ["Fils épuisé, cherche du répti.", "Fils épuisé, cherche du répit."]}
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.object_type == "call", AuditEvent.action == "update")
    )
    assert event.detail == {"fields": ["summary"], "correction_id": correction.id}  # names only, never values
    page = _doc(client.get(f"/calls/{call.id}")).get_element_by_id("corrections")
    assert "répti" in page.xpath("string(.//del)") and nurse.name in page.text_content()


def test_a_new_topic_needs_a_reason_and_keeps_everything_typed(client, login_as, log_call):
    login_as("nurse")
    call = _saved_call(log_call)
    refused = _correct(client, call, topics=["carer_support", "housing"], summary="Texte corrigé")
    assert refused.status_code == 422
    doc = _doc(refused)
    assert doc.get_element_by_id("reason-error").text_content().strip()
    assert doc.xpath("//input[@name='topics'][@checked]/@value") == ["housing", "carer_support"] or sorted(
        doc.xpath("//input[@name='topics'][@checked]/@value")
    ) == ["carer_support", "housing"]
    assert doc.get_element_by_id("summary").text_content().strip() == "Texte corrigé"
    db.session.refresh(call)
    assert call.topics == ["carer_support"] and db.session.scalar(sa.select(sa.func.count(Correction.id))) == 0


def test_a_correction_that_changes_the_route_is_shown_and_stored_as_such(client, login_as, log_call):
    login_as("nurse")
    call = _saved_call(
        log_call, topics=["information"], route="information", caller_type="patient", caller_name="", caller_relation=""
    )
    assert call.route == "information"
    response = _correct(client, call, topics=["information", "carer_support"], reason="Thème oublié à l'encodage")
    assert response.status_code == 302
    db.session.refresh(call)
    correction = db.session.scalar(sa.select(Correction))
    assert (correction.route_before, correction.route_after) == ("information", "external")
    assert correction.proposal_after["route"] == "external"
    assert call.route == "information" and call.proposal["route"] == "information"  # history is not rewritten
    note = _doc(client.get(f"/calls/{call.id}")).xpath("//p[@class='route-changed']")
    assert (
        len(note) == 1
        and "Thème oublié" in _doc(client.get(f"/calls/{call.id}")).get_element_by_id("corrections").text_content()
    )


def test_nothing_changed_is_no_correction(client, login_as, log_call):
    login_as("nurse")
    call = _saved_call(log_call)
    assert _correct(client, call).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Correction.id))) == 0


def test_a_persons_record_is_corrected_with_the_previous_values_and_a_reason_for_triage_fields(client, login_as):
    nurse = login_as("nurse")
    person = add_person(birth_date=dt.date(1940, 5, 17), gp_name="Dr Démo")
    data = {
        "first_name": "Odette",
        "last_name": person.last_name,
        "birth_date": "1940-07-15",
        "phone": "0470 00 06 01",
        "street": "Rue Démo",
        "house_number": "3",
        "box": "",
        "postcode": "4020",
        "city": "Liège",
        "access_notes": "",
        "gp_name": "Dr Démo",
        "gp_phone": "",
        "reason": "",
    }
    refused = client.post(f"/persons/{person.id}/correct", data=data)
    assert refused.status_code == 422 and _doc(refused).get_element_by_id("reason-error") is not None
    assert _doc(refused).get_element_by_id("street").get("value") == "Rue Démo"

    data.update(reason="Date lue sur la carte d'identité", first_name="Odile")
    assert client.post(f"/persons/{person.id}/correct", data=data).status_code == 302
    db.session.refresh(person)
    assert (person.first_name, person.first_name_key, person.birth_date) == ("Odile", "odile", dt.date(1940, 7, 15))
    correction = db.session.scalar(sa.select(Correction).where(Correction.object_type == "person"))
    assert correction.changes["birth_date"] == ["1940-05-17", "1940-07-15"]
    assert correction.changes["first_name"] == ["Odette", "Odile"]
    assert correction.user_id == nurse.id and correction.reason == "Date lue sur la carte d'identité"
    corrections = _doc(client.get(f"/persons/{person.id}")).get_element_by_id("corrections")
    assert "1940-05-17" in corrections.text_content() and "Odette" in corrections.text_content()


def test_a_bad_postcode_in_a_correction_is_named_and_nothing_changes(client, login_as):
    login_as("nurse")
    person = add_person()
    response = client.post(
        f"/persons/{person.id}/correct",
        data={"first_name": "Odette", "last_name": "X", "postcode": "12", "reason": "r"},
    )
    assert response.status_code == 422 and _doc(response).get_element_by_id("postcode-error") is not None
    db.session.refresh(person)
    assert person.postcode == "4020"


def test_erasure_removes_the_previous_values_kept_by_corrections(client, login_as, log_call):
    from helpline.privacy.erasure import pseudonymise

    login_as("nurse")
    call = _saved_call(log_call, summary="Texte avec un nom")
    _correct(client, call, summary="Texte corrigé avec un nom")
    person = db.session.get(Person, call.person_id)
    pseudonymise(person, "test")
    db.session.commit()
    correction = db.session.scalar(sa.select(Correction))
    db.session.refresh(correction)
    assert correction.changes == {}


def test_a_case_manager_cannot_correct_a_call(client, login_as, log_call):
    login_as("nurse")
    call = _saved_call(log_call)
    client.post("/logout")
    login_as("case_manager")
    assert client.get(f"/calls/{call.id}/correct").status_code == 403
