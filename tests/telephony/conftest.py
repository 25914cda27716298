"""Telephony fixtures: the loopback fake Twilio API, signed webhook posts, a fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest
from twilio.request_validator import RequestValidator

from fake_twilio_server import FakeTwilioServer
from models import PhoneCall, db
from telephony_support import ACCOUNT_SID, AUTH_TOKEN, HELPLINE, OPEN_TIME, new_sid  # noqa: F401


@pytest.fixture
def fake_twilio(monkeypatch):
    """Start the loopback fake Twilio API and keep proxies out of the way."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeTwilioServer() as server:
        yield server


@pytest.fixture
def app_config(fake_twilio):
    """Run the app with Twilio credentials, its REST client pointed at the fake API."""
    return {
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_PHONE_NUMBER": HELPLINE,
        "TWILIO_API_BASE_URL": fake_twilio.base_url,
        "HELPLINE_OPENING_HOURS": "mon-fri 09:00-17:00",
        "VOICEMAIL_ENABLED": False,
    }


@pytest.fixture(autouse=True)
def close_gateway(request):
    """Close the app's Twilio gateway (its pooled connections) after each test using the app."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    yield
    gateway = app.extensions.pop("telephony_gateway", None)
    if gateway is not None:
        gateway.close()


@pytest.fixture
def clock(monkeypatch):
    """Fix the time the voice webhook checks the opening hours against."""

    def set_time(moment: dt.datetime) -> None:
        monkeypatch.setattr("helpline.telephony.webhooks.utcnow", lambda: moment)

    set_time(OPEN_TIME)
    return set_time


@pytest.fixture
def twilio_post(client, app):
    """POST to a webhook as Twilio does: form parameters signed with RequestValidator."""

    def post(
        path: str,
        params: dict,
        *,
        token: str | None = None,
        url: str | None = None,
        headers: dict | None = None,
        script_root: str = "",
    ):
        signed_url = url or f"http://localhost{script_root}{path}"
        validator = RequestValidator(token or app.config["TWILIO_AUTH_TOKEN"])
        signature = validator.compute_signature(signed_url, params)
        headers = {"X-Twilio-Signature": signature, **(headers or {})}
        if script_root:  # the app mounted under a prefix (SCRIPT_NAME), as a reverse proxy may do
            # RAW_URI as gunicorn gives it: the path the client requested, prefix included.
            return client.post(
                path,
                data=params,
                headers=headers,
                base_url=f"http://localhost{script_root}",
                environ_overrides={"RAW_URI": script_root + path},
            )
        return client.post(path, data=params, headers=headers)

    return post


@pytest.fixture
def inbound_call(twilio_post, clock):
    """Ring the helpline from a number; return the phone call record."""

    def ring(from_number: str = "+32470000201", call_sid: str | None = None) -> PhoneCall:
        sid = call_sid or new_sid()
        response = twilio_post(
            "/twilio/voice",
            {
                "CallSid": sid,
                "From": from_number,
                "To": HELPLINE,
                "CallStatus": "ringing",
                "Direction": "inbound",
                "AccountSid": ACCOUNT_SID,
            },
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return db.session.scalar(db.select(PhoneCall).where(PhoneCall.call_sid == sid))

    return ring
