"""Outbound follow-up calls (ring the nurse, bridge to the person) and SMS through the gateway."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from helpline.telephony.gateway import TwilioGateway, gateway_from_config
from models import AuditEvent, FollowUp, Person, PhoneCall, db
from telephony_support import ACCOUNT_SID, HELPLINE

NURSE_PHONE = "+32470000501"
PERSON_PHONE = "+32470000502"
ACCOUNT_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}"


@pytest.fixture
def followup():
    """A pending follow-up of a person whose phone is on file."""
    person = Person(
        first_name="Lucien", last_name="Exemple", first_name_key="lucien", last_name_key="exemple", phone=PERSON_PHONE
    )
    db.session.add(person)
    db.session.flush()
    item = FollowUp(person_id=person.id, offset_days=30, due_date=dt.date(2026, 12, 1))
    db.session.add(item)
    db.session.commit()
    return item


def test_followup_call_rings_the_nurse_then_bridges_to_the_person(client, login_as, followup, fake_twilio, twilio_post):
    nurse = login_as("nurse", phone=NURSE_PHONE)
    response = client.post(f"/telephony/followups/{followup.id}/call", data={"next": f"/followups/{followup.id}"})
    assert response.status_code == 302 and response.location == f"/followups/{followup.id}"
    (ring,) = fake_twilio.requests
    assert ring.path == f"{ACCOUNT_PATH}/Calls.json"
    assert (ring.value("To"), ring.value("From")) == (NURSE_PHONE, HELPLINE)
    assert ring.value("Url") == f"http://localhost/twilio/followups/{followup.id}/bridge"
    assert ring.value("StatusCallback") == "http://localhost/twilio/status"
    record = db.session.scalar(sa.select(PhoneCall).where(PhoneCall.followup_id == followup.id))
    assert (record.direction, record.answered_by_id, record.to_number) == ("outbound", nurse.id, PERSON_PHONE)

    root = ET.fromstring(
        twilio_post(
            f"/twilio/followups/{followup.id}/bridge", {"CallSid": record.call_sid, "CallStatus": "in-progress"}
        ).data
    )
    dial = root.find("Dial")
    assert dial.get("callerId") == HELPLINE
    assert dial.find("Number").text == PERSON_PHONE
    assert dial.get("action") == f"http://localhost/twilio/followups/{followup.id}/result"

    for _ in range(2):  # a retried callback is recorded once
        result = twilio_post(
            f"/twilio/followups/{followup.id}/result", {"CallSid": record.call_sid, "DialCallStatus": "no-answer"}
        )
    assert "n'a pas répondu" in ET.fromstring(result.data).find("Say").text
    db.session.refresh(record)
    assert record.dial_status == "no-answer"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhoneCall)) == 1
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.object_type == "followup", AuditEvent.action.startswith("call"))
    )
    assert sorted(actions) == ["call", "call_result"]


def test_followup_call_needs_the_nurses_phone(client, login_as, followup, fake_twilio):
    login_as("nurse")
    response = client.post(f"/telephony/followups/{followup.id}/call", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "not on file" in page or "pas enregistré" in page
    assert fake_twilio.requests == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhoneCall)) == 0


@pytest.mark.parametrize("status", ["done", "unreachable", "cancelled"])
def test_a_closed_follow_up_is_not_dialled(client, login_as, followup, fake_twilio, status):
    login_as("nurse", phone=NURSE_PHONE)
    followup.status = status
    db.session.commit()
    page = client.post(f"/telephony/followups/{followup.id}/call", follow_redirects=True).get_data(as_text=True)
    assert "suivi est clôturé" in page or "follow-up is closed" in page
    assert fake_twilio.requests == []


def test_a_follow_up_cancelled_while_the_nurses_phone_rings_is_not_bridged(
    client, login_as, followup, fake_twilio, twilio_post
):
    login_as("nurse", phone=NURSE_PHONE)
    client.post(f"/telephony/followups/{followup.id}/call")
    record = db.session.scalar(sa.select(PhoneCall).where(PhoneCall.followup_id == followup.id))
    followup.status = "cancelled"
    db.session.commit()
    root = ET.fromstring(
        twilio_post(
            f"/twilio/followups/{followup.id}/bridge", {"CallSid": record.call_sid, "CallStatus": "in-progress"}
        ).data
    )
    assert root.find("Dial") is None and root.find("Hangup") is not None
    assert "clôturé" in root.find("Say").text


def test_followup_call_is_for_nurses(client, login_as, followup):
    login_as("case_manager", phone=NURSE_PHONE)
    assert client.post(f"/telephony/followups/{followup.id}/call").status_code == 403


def test_sms_reminder_goes_through_the_gateway_built_from_app_config(app, fake_twilio):
    gateway = gateway_from_config(app.config)
    try:
        assert isinstance(gateway, TwilioGateway)
        result = gateway.send_sms(to=PERSON_PHONE, body="Rappel : la ligne vous appellera demain.")
    finally:
        gateway.close()
    (sms,) = fake_twilio.requests
    assert sms.path == f"{ACCOUNT_PATH}/Messages.json"
    assert (sms.value("To"), sms.value("From")) == (PERSON_PHONE, HELPLINE)
    assert sms.value("Body") == "Rappel : la ligne vous appellera demain."
    assert result.sid.startswith("SM")


def test_console_page_is_absent_when_twilio_is_configured(client, login_as):
    login_as("coordinator")
    assert client.get("/telephony/console").status_code == 404
