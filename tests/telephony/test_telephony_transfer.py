"""Warm transfer: the caller moves to a conference, the case manager is dialled, no-answer fallback."""

import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from models import Handoff, Notification, PhoneCall, User, db
from telephony_support import ACCOUNT_SID, new_sid

CALLER = "+32470000301"
CASE_MANAGER_PHONE = "+32470000399"
ACCOUNT_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}"


@pytest.fixture
def live_call(client, login_as, inbound_call, log_call, twilio_post):
    """A caller bridged to the logged-in nurse, the call logged, a handoff note written."""
    record = inbound_call(CALLER)
    nurse_leg = new_sid()
    twilio_post("/twilio/nurse/bridged", {"CallSid": record.call_sid, "DequeingCallSid": nurse_leg})
    nurse = login_as("nurse")
    client.post(f"/telephony/phone-calls/{record.id}/answer")
    assert log_call(caller_phone="0470 00 03 01").status_code == 302
    db.session.refresh(record)
    manager = User(
        email="cm@test.invalid",
        name="Gestionnaire Fictif",
        roles="case_manager",
        password_hash="-",
        phone=CASE_MANAGER_PHONE,
    )
    db.session.add(manager)
    db.session.flush()
    handoff = Handoff(
        call_id=record.call_id,
        from_user_id=nurse.id,
        to_user_id=manager.id,
        situation="Situation complexe (synthétique).",
    )
    db.session.add(handoff)
    db.session.commit()
    return {"record": record, "nurse_leg": nurse_leg, "manager": manager, "handoff": handoff}


def _transfer(client, live_call):
    record = live_call["record"]
    return client.post(f"/telephony/calls/{record.call_id}/transfer", data={"case_manager_id": live_call["manager"].id})


def test_call_page_offers_the_transfer_with_the_handoff_recipient(client, live_call):
    page = client.get(f"/calls/{live_call['record'].call_id}").get_data(as_text=True)
    assert f"/telephony/calls/{live_call['record'].call_id}/transfer" in page
    assert f'<option selected value="{live_call["manager"].id}">Gestionnaire Fictif' in page


def test_warm_transfer_moves_the_caller_and_dials_the_case_manager(client, live_call, fake_twilio, twilio_post):
    response = _transfer(client, live_call)
    assert response.status_code == 302
    db.session.expire_all()
    record = db.session.get(PhoneCall, live_call["record"].id)
    redirect, dial = fake_twilio.requests
    assert redirect.path == f"{ACCOUNT_PATH}/Calls/{record.call_sid}.json"
    conference = ET.fromstring(redirect.value("Twiml")).find("Dial/Conference")
    assert conference.text == record.conference_name
    assert conference.get("startConferenceOnEnter") == "false"
    assert conference.get("endConferenceOnExit") == "true"
    assert dial.path == f"{ACCOUNT_PATH}/Conferences/{record.conference_name}/Participants.json"
    assert dial.value("To") == CASE_MANAGER_PHONE
    assert dial.value("Label") == "case-manager"
    assert dial.value("EndConferenceOnExit") == "true"
    assert dial.value("StatusCallback") == f"http://localhost/twilio/transfer/{record.id}/case-manager"
    assert db.session.get(Handoff, live_call["handoff"].id).conference_name == record.conference_name
    assert record.handoff_id == live_call["handoff"].id and record.transfer_status == "dialing"

    # The nurse's leg leaves the queue bridge and is sent into the same conference.
    nurse_twiml = twilio_post("/twilio/nurse/after", {"CallSid": live_call["nurse_leg"]}).data
    nurse_conference = ET.fromstring(nurse_twiml).find("Dial/Conference")
    assert nurse_conference.text == record.conference_name
    assert nurse_conference.get("endConferenceOnExit") == "false"

    twilio_post(f"/twilio/transfer/{record.id}/case-manager", {"CallSid": new_sid(), "CallStatus": "in-progress"})
    db.session.refresh(record)
    assert record.transfer_status == "joined"


def test_case_manager_not_answering_warns_the_nurse_and_keeps_the_caller(client, live_call, fake_twilio, twilio_post):
    _transfer(client, live_call)
    db.session.expire_all()
    record = db.session.get(PhoneCall, live_call["record"].id)
    conference_sid = new_sid("CF")
    twilio_post(
        f"/twilio/conference/{record.id}/events",
        {
            "ConferenceSid": conference_sid,
            "FriendlyName": record.conference_name,
            "StatusCallbackEvent": "participant-join",
            "CallSid": live_call["nurse_leg"],
        },
    )
    for _ in range(2):  # Twilio retries: one announcement, one notice
        twilio_post(f"/twilio/transfer/{record.id}/case-manager", {"CallSid": new_sid(), "CallStatus": "no-answer"})
    announce = fake_twilio.requests[2:]
    assert len(announce) == 1
    assert announce[0].path == (
        f"{ACCOUNT_PATH}/Conferences/{conference_sid}/Participants/{live_call['nurse_leg']}.json"
    )
    assert announce[0].value("AnnounceUrl") == f"http://localhost/twilio/transfer/{record.id}/no-answer"
    assert announce[0].value("EndConferenceOnExit") == "true"
    spoken = ET.fromstring(twilio_post(f"/twilio/transfer/{record.id}/no-answer", {}).data).find("Say").text
    assert "Gestionnaire Fictif n'a pas répondu" in spoken

    notices = client.get("/telephony/incoming.json").get_json()["notices"]
    assert len(notices) == 1 and "Gestionnaire Fictif" in notices[0]["message"]
    page = client.get(f"/calls/{record.call_id}").get_data(as_text=True)
    assert "Transfer the caller" in page or "Transférer" in page
    client.post(notices[0]["dismiss_url"])
    assert client.get("/telephony/incoming.json").get_json()["notices"] == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 1


def test_transfer_refused_when_the_caller_has_hung_up(client, live_call, fake_twilio, twilio_post):
    record = live_call["record"]
    twilio_post("/twilio/status", {"CallSid": record.call_sid, "CallStatus": "completed"})
    response = _transfer(client, live_call)
    assert response.status_code == 302
    assert fake_twilio.requests == []
    db.session.refresh(record)
    assert record.conference_name is None
