"""Click-to-call with Twilio: ring the nurse, then bridge her to one of the person's numbers."""

import xml.etree.ElementTree as ET

import sqlalchemy as sa

from helpline.persons.service import set_names
from models import AuditEvent, Person, PersonContact, PhoneCall, db
from telephony_support import ACCOUNT_SID, HELPLINE

NURSE_PHONE = "+32470000511"
PERSON_PHONE = "+32470000512"
CARER_PHONE = "+32470000513"
ACCOUNT_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}"


def _person() -> Person:
    person = Person(phone=PERSON_PHONE, postcode="4020")
    set_names(person, "Lucienne", "Exemple")
    person.contacts.append(PersonContact(name="Marc Aidant", relation="fils", phone=CARER_PHONE, kind="carer"))
    db.session.add(person)
    db.session.commit()
    return person


def test_a_carers_number_is_dialled_after_the_nurse_picks_up(client, login_as, fake_twilio, twilio_post):
    nurse = login_as("nurse", phone=NURSE_PHONE)
    person = _person()
    page = client.get(f"/persons/{person.id}").get_data(as_text=True)
    assert f'action="/telephony/persons/{person.id}/call"' in page and 'href="tel:' not in page

    response = client.post(
        f"/telephony/persons/{person.id}/call", data={"number": CARER_PHONE, "next": f"/persons/{person.id}"}
    )
    assert response.status_code == 302 and response.location == f"/persons/{person.id}"
    (ring,) = fake_twilio.requests
    assert ring.path == f"{ACCOUNT_PATH}/Calls.json"
    assert (ring.value("To"), ring.value("From")) == (NURSE_PHONE, HELPLINE)
    assert ring.value("Url") == f"http://localhost/twilio/persons/{person.id}/bridge"
    record = db.session.scalar(sa.select(PhoneCall))
    assert (record.direction, record.answered_by_id, record.to_number) == ("outbound", nurse.id, CARER_PHONE)

    root = ET.fromstring(
        twilio_post(
            f"/twilio/persons/{person.id}/bridge", {"CallSid": record.call_sid, "CallStatus": "in-progress"}
        ).data
    )
    dial = root.find("Dial")
    assert dial.get("callerId") == HELPLINE and dial.find("Number").text == CARER_PHONE
    assert dial.get("action") == f"http://localhost/twilio/persons/{person.id}/result"

    for _ in range(2):  # a retried callback is recorded once
        twilio_post(f"/twilio/persons/{person.id}/result", {"CallSid": record.call_sid, "DialCallStatus": "busy"})
    db.session.refresh(record)
    assert record.dial_status == "busy"
    events = db.session.execute(
        sa.select(AuditEvent.action, AuditEvent.user_id, AuditEvent.person_id).where(
            AuditEvent.object_type == "person", AuditEvent.action.startswith("call")
        )
    ).all()
    assert sorted(events) == [("call", nurse.id, person.id), ("call_result", nurse.id, person.id)]


def test_a_number_that_is_not_hers_is_never_dialled(client, login_as, fake_twilio):
    login_as("nurse", phone=NURSE_PHONE)
    person = _person()
    page = client.post(
        f"/telephony/persons/{person.id}/call", data={"number": "+32470000599"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "pas un des numéros" in page or "is not one of this person" in page
    assert fake_twilio.requests == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhoneCall)) == 0


def test_a_contact_who_may_not_be_called_is_not_dialled(client, login_as, fake_twilio):
    login_as("nurse", phone=NURSE_PHONE)
    person = _person()
    person.contacts[0].may_call = False
    db.session.commit()
    client.post(f"/telephony/persons/{person.id}/call", data={"number": CARER_PHONE})
    assert fake_twilio.requests == []


def test_a_number_removed_while_the_nurses_phone_rang_is_not_dialled(client, login_as, fake_twilio, twilio_post):
    login_as("nurse", phone=NURSE_PHONE)
    person = _person()
    client.post(f"/telephony/persons/{person.id}/call", data={"number": CARER_PHONE})
    record = db.session.scalar(sa.select(PhoneCall))
    db.session.delete(person.contacts[0])
    db.session.commit()
    root = ET.fromstring(
        twilio_post(
            f"/twilio/persons/{person.id}/bridge", {"CallSid": record.call_sid, "CallStatus": "in-progress"}
        ).data
    )
    assert root.find("Dial") is None and root.find("Hangup") is not None
