"""Screen pop: a nurse sees the incoming call, the persons known for the number, and answers."""

import sqlalchemy as sa

from models import Person, PhoneCall, User, db

NUMBER = "+32470000201"


def _known_person(**fields) -> Person:
    person = Person(
        first_name="Odile", last_name="Fictive", first_name_key="odile", last_name_key="fictive", phone=NUMBER, **fields
    )
    db.session.add(person)
    db.session.commit()
    return person


def test_nurse_sees_incoming_call_and_known_persons_once_she_answers(client, login_as, inbound_call):
    person = _known_person()
    record = inbound_call(NUMBER)
    login_as("nurse")
    (call,) = client.get("/telephony/incoming.json").get_json()["calls"]
    assert call["known_count"] == 1 and call["persons"] == []  # names only to the nurse who answers
    answered = client.post(call["answer_url"]).get_json()["call"]
    assert answered["answered_by_me"]
    (shown,) = answered["persons"]
    assert shown["name"] == "FICTIVE Odile"
    # The call's id, not the number: a URL stays in the access logs.
    assert shown["log_url"] == f"/calls/new?phone_call={record.id}&person_id={person.id}"
    page = client.get(shown["log_url"]).get_data(as_text=True)
    assert 'value="Fictive"' in page and 'value="+32470000201"' in page
    db.session.refresh(record)
    assert record.answered_by_id is not None


def test_call_answered_by_another_nurse_is_not_offered_and_cannot_be_taken(client, login_as, inbound_call):
    record = inbound_call(NUMBER)
    colleague = User(email="colleague@test.invalid", name="Colleague", roles="nurse", password_hash="-")
    db.session.add(colleague)
    db.session.commit()
    record.answered_by_id = colleague.id
    db.session.commit()
    login_as("nurse")
    assert client.get("/telephony/incoming.json").get_json()["calls"] == []
    assert client.post(f"/telephony/phone-calls/{record.id}/answer").status_code == 409
    db.session.refresh(record)
    assert record.answered_by_id == colleague.id


def test_logging_the_call_links_the_phone_call(client, login_as, inbound_call, log_call):
    record = inbound_call(NUMBER)
    login_as("nurse")
    client.post(f"/telephony/phone-calls/{record.id}/answer")
    assert log_call(caller_phone="0470 00 02 01").status_code == 302
    db.session.refresh(record)
    assert record.call_id is not None
    assert client.get("/telephony/incoming.json").get_json()["calls"] == []


def test_screen_pop_script_is_served_to_nurses_only(client, login_as):
    login_as("nurse")
    assert "telephony.js" in client.get("/").get_data(as_text=True)
    client.post("/logout")
    login_as("case_manager")
    assert "telephony.js" not in client.get("/").get_data(as_text=True)


def test_screen_pop_needs_a_login(client):
    assert client.get("/telephony/incoming.json").status_code == 401


def test_finished_calls_leave_the_screen_pop(client, login_as, inbound_call, twilio_post):
    record = inbound_call(NUMBER)
    twilio_post("/twilio/status", {"CallSid": record.call_sid, "CallStatus": "completed"})
    login_as("nurse")
    assert client.get("/telephony/incoming.json").get_json()["calls"] == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhoneCall)) == 1
