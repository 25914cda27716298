"""Drive the real Twilio client against a loopback fake API, and check the console gateway."""

import logging
import re

import pytest

from fake_twilio_server import FakeTwilioServer
from helpline.telephony import twiml
from helpline.telephony.gateway import (
    ConsoleGateway,
    TelephonyConfigError,
    TelephonyError,
    TwilioGateway,
    gateway_from_config,
)

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "test-auth-token"
HELPLINE = "+3225550000"
ACCOUNT_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}"
CALL_SID = "CA" + "a" * 32
CONFERENCE_SID = "CF" + "b" * 32


@pytest.fixture
def fake_twilio(monkeypatch):
    """Start the loopback fake Twilio API and keep proxies out of the way."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeTwilioServer() as server:
        yield server


@pytest.fixture
def gateway(fake_twilio):
    """Return a real-client gateway pointed at the fake API."""
    gw = gateway_from_config(
        {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_PHONE_NUMBER": HELPLINE,
            "TWILIO_API_BASE_URL": fake_twilio.base_url + "/",
        }
    )
    assert isinstance(gw, TwilioGateway)
    yield gw
    gw.close()


def test_client_is_redirected_to_loopback(gateway, fake_twilio):
    assert gateway.api_base_url == fake_twilio.base_url
    assert not gateway.is_console


def test_create_call_posts_to_calls_json(gateway, fake_twilio):
    result = gateway.create_call(
        to="+32470123456", url="https://h.example/bridge", status_callback="https://h.example/status", timeout=20
    )
    assert re.fullmatch(r"CA[0-9a-f]{32}", result.sid)
    assert result.status == "queued"
    (request,) = fake_twilio.requests
    assert request.method == "POST"
    assert request.path == f"{ACCOUNT_PATH}/Calls.json"
    assert request.auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert request.value("To") == "+32470123456"
    assert request.value("From") == HELPLINE
    assert request.value("Url") == "https://h.example/bridge"
    assert request.value("Method") == "POST"
    assert request.value("Timeout") == "20"
    assert request.value("StatusCallback") == "https://h.example/status"
    assert request.form["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]


def test_create_call_without_status_callback_sends_none(gateway, fake_twilio):
    gateway.create_call(to="client:nurse-1", url="https://h.example/x", from_="+3225551111")
    (request,) = fake_twilio.requests
    assert request.value("From") == "+3225551111"
    assert "StatusCallback" not in request.form
    assert "StatusCallbackEvent" not in request.form


def test_redirect_call_with_twiml(gateway, fake_twilio):
    document = twiml.caller_to_conference(conference_name="transfert-CA1")
    result = gateway.redirect_call(CALL_SID, twiml=document)
    assert result.sid == CALL_SID
    (request,) = fake_twilio.requests
    assert request.path == f"{ACCOUNT_PATH}/Calls/{CALL_SID}.json"
    assert request.value("Twiml") == document
    assert "Url" not in request.form


def test_redirect_call_with_url(gateway, fake_twilio):
    gateway.redirect_call(CALL_SID, url="https://h.example/join")
    (request,) = fake_twilio.requests
    assert request.value("Url") == "https://h.example/join"
    assert request.value("Method") == "POST"
    assert "Twiml" not in request.form


def test_redirect_call_needs_exactly_one_target(gateway, fake_twilio):
    with pytest.raises(ValueError, match="exactly one"):
        gateway.redirect_call(CALL_SID)
    with pytest.raises(ValueError, match="exactly one"):
        gateway.redirect_call(CALL_SID, twiml="<Response/>", url="https://h.example/x")
    assert fake_twilio.requests == []


def test_add_participant_dials_case_manager_into_conference(gateway, fake_twilio):
    result = gateway.add_participant(
        "transfert-CA1",
        to="+32470999888",
        status_callback="https://h.example/cm-status",
        timeout=25,
        label="case-manager",
    )
    assert re.fullmatch(r"CA[0-9a-f]{32}", result.call_sid)
    assert result.conference_sid.startswith("CF")
    (request,) = fake_twilio.requests
    assert request.path == f"{ACCOUNT_PATH}/Conferences/transfert-CA1/Participants.json"
    assert request.value("To") == "+32470999888"
    assert request.value("From") == HELPLINE
    assert request.value("StartConferenceOnEnter") == "true"
    assert request.value("EndConferenceOnExit") == "true"
    assert request.value("Timeout") == "25"
    assert request.value("Label") == "case-manager"
    assert request.value("StatusCallback") == "https://h.example/cm-status"
    assert request.form["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]


def test_add_participant_refuses_unsafe_conference_name(gateway, fake_twilio):
    with pytest.raises(ValueError, match="conference"):
        gateway.add_participant("../Calls", to="+32470999888")
    assert fake_twilio.requests == []


def test_update_participant_announces_and_keeps_flag(gateway, fake_twilio):
    result = gateway.update_participant(
        CONFERENCE_SID, CALL_SID, announce_url="https://h.example/no-answer", end_conference_on_exit=True
    )
    assert result == type(result)(call_sid=CALL_SID, conference_sid=CONFERENCE_SID, status="connected")
    (request,) = fake_twilio.requests
    assert request.path == f"{ACCOUNT_PATH}/Conferences/{CONFERENCE_SID}/Participants/{CALL_SID}.json"
    assert request.value("AnnounceUrl") == "https://h.example/no-answer"
    assert request.value("EndConferenceOnExit") == "true"


def test_update_participant_refuses_empty_update(gateway):
    with pytest.raises(ValueError, match="nothing to update"):
        gateway.update_participant(CONFERENCE_SID, CALL_SID)


def test_send_sms(gateway, fake_twilio):
    result = gateway.send_sms(
        to="+32470123456", body="Rappel : rendez-vous demain à 10 h.", status_callback="https://h.example/sms-status"
    )
    assert re.fullmatch(r"SM[0-9a-f]{32}", result.sid)
    assert result.status == "queued"
    (request,) = fake_twilio.requests
    assert request.path == f"{ACCOUNT_PATH}/Messages.json"
    assert request.value("To") == "+32470123456"
    assert request.value("From") == HELPLINE
    assert request.value("Body") == "Rappel : rendez-vous demain à 10 h."
    assert request.value("StatusCallback") == "https://h.example/sms-status"


def test_twilio_error_becomes_telephony_error(gateway, fake_twilio):
    fake_twilio.fail_next(400, 21211, "The 'To' number +32000 is not a valid phone number.")
    with pytest.raises(TelephonyError) as caught:
        gateway.send_sms(to="+32000", body="x")
    error = caught.value
    assert error.status == 400
    assert error.code == 21211
    assert "send an SMS to ***000" in str(error)
    assert "not a valid phone number" in str(error)


def test_not_found_becomes_telephony_error(gateway, fake_twilio):
    fake_twilio.fail_next(404, 20404, "The requested resource was not found")
    with pytest.raises(TelephonyError, match="HTTP 404") as caught:
        gateway.update_participant(CONFERENCE_SID, CALL_SID, end_conference_on_exit=True)
    assert caught.value.code == 20404


def test_unreachable_api_becomes_telephony_error(fake_twilio):
    with FakeTwilioServer() as stopped:
        base_url = stopped.base_url  # nothing listens on this port once the block exits
    gw = TwilioGateway(ACCOUNT_SID, AUTH_TOKEN, HELPLINE, api_base_url=base_url, http_timeout=2)
    try:
        with pytest.raises(TelephonyError, match="unreachable"):
            gw.create_call(to="+32470123456", url="https://h.example/x")
    finally:
        gw.close()


@pytest.mark.parametrize("base_url", ["http://api.example.com", "ftp://127.0.0.1", "127.0.0.1"])
def test_plain_http_base_url_only_on_loopback(base_url):
    with pytest.raises(TelephonyConfigError):
        TwilioGateway(ACCOUNT_SID, AUTH_TOKEN, HELPLINE, api_base_url=base_url)


def test_default_base_url_is_twilio():
    gw = TwilioGateway(ACCOUNT_SID, AUTH_TOKEN, HELPLINE)
    assert gw.api_base_url == "https://api.twilio.com"
    gw.close()


def test_config_without_credentials_gives_console():
    gw = gateway_from_config({"TWILIO_PHONE_NUMBER": HELPLINE, "TWILIO_ACCOUNT_SID": ""})
    assert isinstance(gw, ConsoleGateway)
    assert gw.is_console
    assert gw.phone_number == HELPLINE


@pytest.mark.parametrize(
    "config",
    [
        {"TWILIO_ACCOUNT_SID": ACCOUNT_SID},
        {"TWILIO_AUTH_TOKEN": AUTH_TOKEN},
        {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN},
    ],
)
def test_incomplete_config_is_refused(config):
    with pytest.raises(TelephonyConfigError):
        gateway_from_config(config)


def test_console_gateway_records_and_sends_nothing(fake_twilio, caplog):
    gw = ConsoleGateway(phone_number=HELPLINE)
    caplog.set_level(logging.INFO, logger="helpline.telephony.gateway")
    call = gw.create_call(to="+32470123456", url="https://h.example/bridge")
    gw.redirect_call(call.sid, url="https://h.example/join")
    participant = gw.add_participant("transfert-CA1", to="+32470999888")
    gw.update_participant(participant.conference_sid, call.sid, end_conference_on_exit=True)
    sms = gw.send_sms(to="+32470123456", body="Rappel confidentiel")
    gw.close()

    assert call.status == sms.status == "console"
    assert call.sid.startswith("CA") and sms.sid.startswith("SM")
    assert participant.conference_sid.startswith("CF")
    assert [a.kind for a in gw.actions] == [
        "create_call",
        "redirect_call",
        "add_participant",
        "update_participant",
        "send_sms",
    ]
    assert gw.actions[0].params["from_"] == HELPLINE
    assert gw.actions[-1].params["body"] == "Rappel confidentiel"
    assert gw.actions[1].params == {"url": "https://h.example/join", "method": "POST"}
    assert fake_twilio.requests == []
    assert "Rappel confidentiel" not in caplog.text
    assert "+32470123456" not in caplog.text
    assert "nothing sent" in caplog.text


def test_console_gateway_validates_like_the_real_one():
    gw = ConsoleGateway()
    with pytest.raises(ValueError):
        gw.send_sms(to="+32470123456", body="  ")
    with pytest.raises(ValueError):
        gw.redirect_call(CALL_SID)
    assert gw.actions == []
