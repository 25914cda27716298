"""Inbound calls: greeting and queue, after hours, status callbacks, retries, signatures."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa
from twilio.request_validator import RequestValidator

from models import PhoneCall, db
from telephony_support import ACCOUNT_SID, AUTH_TOKEN, HELPLINE, new_sid


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(PhoneCall))


def _says(root: ET.Element) -> str:
    return " ".join(say.text for say in root.iter("Say"))


def test_inbound_call_is_greeted_in_french_and_queued_for_nurses(inbound_call, twilio_post):
    sid = new_sid()
    response = twilio_post("/twilio/voice", {"CallSid": sid, "From": "+32470000201", "To": HELPLINE})
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.data)
    say = root.find("Say")
    assert say.get("language") == "fr-FR" and "Bonjour" in say.text
    enqueue = root.find("Enqueue")
    assert enqueue.text == "infirmieres"
    assert enqueue.get("waitUrl") == "http://localhost/twilio/queue/wait"
    assert enqueue.get("action") == "http://localhost/twilio/queue/leave"
    record = db.session.scalar(sa.select(PhoneCall).where(PhoneCall.call_sid == sid))
    assert (record.direction, record.from_number, record.status) == ("inbound", "+32470000201", "queued")
    assert record.started_at is not None


def test_retried_voice_webhook_gives_exactly_one_record(inbound_call):
    sid = new_sid()
    for _ in range(3):
        inbound_call(call_sid=sid)
    assert _count() == 1


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC),  # Saturday
        dt.datetime(2026, 11, 18, 18, 30, tzinfo=dt.UTC),  # Wednesday evening
        dt.datetime(2026, 12, 25, 10, 0, tzinfo=dt.UTC),  # Christmas, a Friday
    ],
    ids=["weekend", "evening", "holiday"],
)
def test_after_hours_gives_112_and_the_hours_without_voicemail(twilio_post, clock, moment):
    clock(moment)
    response = twilio_post("/twilio/voice", {"CallSid": new_sid(), "From": "+32470000201"})
    root = ET.fromstring(response.data)
    assert "112" in _says(root)
    assert "du lundi au vendredi de 9 h à 17 h" in _says(root)
    assert root.find("Record") is None and root.find("Enqueue") is None
    assert root.find("Hangup") is not None
    assert _count() == 1


def test_voicemail_is_offered_after_hours_only_when_switched_on(app, twilio_post, clock):
    clock(dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC))
    app.config["VOICEMAIL_ENABLED"] = True
    root = ET.fromstring(twilio_post("/twilio/voice", {"CallSid": new_sid()}).data)
    assert root.find("Record").get("action") == "http://localhost/twilio/voicemail"


def test_voicemail_endpoint_is_closed_when_voicemail_is_off(twilio_post):
    assert twilio_post("/twilio/voicemail", {"CallSid": new_sid(), "RecordingSid": "RE1"}).status_code == 404


def test_status_callback_completes_the_record_and_retries_change_nothing(inbound_call, twilio_post):
    record = inbound_call()
    final = {
        "CallSid": record.call_sid,
        "CallStatus": "completed",
        "CallDuration": "125",
        "Direction": "inbound",
        "AccountSid": ACCOUNT_SID,
    }
    for params in (final, final, {**final, "CallStatus": "ringing", "CallDuration": "3"}):
        assert twilio_post("/twilio/status", params).status_code == 200
    db.session.refresh(record)
    assert (record.status, record.duration_seconds) == ("completed", 125)
    assert record.ended_at is not None
    assert _count() == 1


@pytest.mark.parametrize("duration", ["99999999999", "2147483648", "86401", "9" * 5000, "²", "-5", "1e9", ""])
def test_a_duration_no_call_can_last_is_ignored(inbound_call, twilio_post, duration):
    # out of the INTEGER range it was a 500 on PostgreSQL and an OverflowError in timedelta
    record = inbound_call()
    final = {"CallSid": record.call_sid, "CallStatus": "completed", "CallDuration": duration, "Direction": "inbound"}
    assert twilio_post("/twilio/status", final).status_code == 200
    lost = {"CallSid": new_sid(), "CallStatus": "completed", "CallDuration": duration, "Direction": "inbound"}
    assert twilio_post("/twilio/status", lost).status_code == 200
    db.session.refresh(record)
    assert (record.status, record.duration_seconds) == ("completed", None)


def test_status_callback_arriving_first_and_the_voice_webhook_share_one_record(inbound_call, twilio_post):
    sid = new_sid()
    twilio_post("/twilio/status", {"CallSid": sid, "CallStatus": "in-progress", "From": "+32470000201"})
    record = inbound_call(call_sid=sid)
    assert record.status == "in-progress"
    assert _count() == 1


def test_caller_hanging_up_in_the_queue_is_recorded(inbound_call, twilio_post):
    record = inbound_call()
    twilio_post("/twilio/queue/leave", {"CallSid": record.call_sid, "QueueResult": "hangup"})
    db.session.refresh(record)
    assert record.status == "canceled"


@pytest.mark.parametrize("forge", ["missing", "wrong-token", "tampered", "other-url"])
def test_webhook_without_a_valid_signature_is_refused(client, twilio_post, forge):
    params = {"CallSid": new_sid(), "From": "+32470000201"}
    if forge == "missing":
        response = client.post("/twilio/voice", data=params)
    elif forge == "wrong-token":
        response = twilio_post("/twilio/voice", params, token="not-the-token")
    elif forge == "tampered":
        response = client.post(
            "/twilio/voice",
            data={**params, "From": "+32470000999"},
            headers={"X-Twilio-Signature": _signature(params, "/twilio/voice")},
        )
    else:
        response = twilio_post("/twilio/voice", params, url="http://localhost/twilio/status")
    assert response.status_code == 403
    assert _count() == 0


def _signature(params: dict, path: str) -> str:
    return RequestValidator(AUTH_TOKEN).compute_signature(f"http://localhost{path}", params)


def test_forwarded_headers_are_not_believed_without_trusted_proxies(app, twilio_post, clock):
    params = {"CallSid": new_sid(), "From": "+32470000201"}
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "helpline.example.be"}
    assert app.config["TRUSTED_PROXIES"] == 0
    response = twilio_post("/twilio/voice", params, url="https://helpline.example.be/twilio/voice", headers=proxy)
    assert response.status_code == 403
    assert _count() == 0


def test_webhooks_need_neither_login_nor_csrf_token(app, twilio_post, clock):
    app.config["WTF_CSRF_ENABLED"] = True
    response = twilio_post("/twilio/voice", {"CallSid": new_sid(), "From": "+32470000201"})
    assert response.status_code == 200
