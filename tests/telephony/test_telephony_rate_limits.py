"""Twilio's webhooks stay out of the rate limits: every caller reaches them from Twilio's addresses."""

import pytest

from telephony_support import ACCOUNT_SID, AUTH_TOKEN, HELPLINE, new_sid


@pytest.fixture
def app_config(fake_twilio):
    """Twilio credentials plus a default limit of two requests a minute per address on every route."""
    return {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_PHONE_NUMBER": HELPLINE,
        "TWILIO_API_BASE_URL": fake_twilio.base_url,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_DEFAULT": "2 per minute",
    }


def test_a_default_limit_refuses_the_third_request_to_an_ordinary_page(client):
    statuses = [client.get("/login").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_webhooks_answer_every_caller_whatever_the_limits(inbound_call, twilio_post):
    for number in range(5):
        inbound_call(f"+3247000040{number}")
    record = inbound_call("+32470000409")
    response = twilio_post(
        "/twilio/status", {"CallSid": record.call_sid, "CallStatus": "completed", "CallDuration": "30"}
    )
    assert response.status_code == 200


def test_a_forged_webhook_is_still_refused(client):
    assert client.post("/twilio/voice", data={"CallSid": new_sid()}).status_code == 403
