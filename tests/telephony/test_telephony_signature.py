"""Check X-Twilio-Signature verification, including URLs rebuilt behind a proxy."""

import hashlib

import pytest
from werkzeug.datastructures import Headers, MultiDict

from helpline.telephony.signature import (
    InvalidSignatureError,
    compute_signature,
    is_valid_signature,
    verify_request,
)

TOKEN = "12345"
PUBLIC_URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}


def test_signature_matches_twilio_documented_example():
    # Example from Twilio's webhook security documentation.
    assert compute_signature(TOKEN, PUBLIC_URL, PARAMS) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_valid_signature_accepted():
    signature = compute_signature(TOKEN, PUBLIC_URL, PARAMS)
    assert is_valid_signature(TOKEN, PUBLIC_URL, PARAMS, signature)


def test_tampered_param_refused():
    signature = compute_signature(TOKEN, PUBLIC_URL, PARAMS)
    assert not is_valid_signature(TOKEN, PUBLIC_URL, {**PARAMS, "Digits": "9999"}, signature)
    assert not is_valid_signature(TOKEN, PUBLIC_URL, {**PARAMS, "Extra": "x"}, signature)


def test_other_url_refused():
    signature = compute_signature(TOKEN, PUBLIC_URL, PARAMS)
    assert not is_valid_signature(TOKEN, "https://mycompany.com/other", PARAMS, signature)


def test_wrong_token_refused():
    signature = compute_signature("another-token", PUBLIC_URL, PARAMS)
    assert not is_valid_signature(TOKEN, PUBLIC_URL, PARAMS, signature)


@pytest.mark.parametrize("signature", [None, ""])
def test_missing_signature_refused(signature):
    assert not is_valid_signature(TOKEN, PUBLIC_URL, PARAMS, signature)


def test_empty_auth_token_is_a_configuration_error():
    with pytest.raises(ValueError):
        is_valid_signature("", PUBLIC_URL, PARAMS, "abc")


def test_multi_valued_form_params_are_all_signed():
    pairs = [("StatusCallbackEvent", "ringing"), ("StatusCallbackEvent", "answered"), ("To", "+32470000123")]
    signature = compute_signature(TOKEN, PUBLIC_URL, MultiDict(pairs))
    assert is_valid_signature(TOKEN, PUBLIC_URL, MultiDict(pairs), signature)
    assert not is_valid_signature(TOKEN, PUBLIC_URL, MultiDict(pairs[1:]), signature)


def test_signature_with_default_port_in_url_accepted():
    signature = compute_signature(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS)
    assert is_valid_signature(TOKEN, PUBLIC_URL, PARAMS, signature)


def test_verify_request_returns_the_url_it_checked():
    form = {"CallSid": "CA" + "a" * 32, "From": "+32470000123", "CallStatus": "ringing"}
    url = "https://ligne.example.be/telephony/voice?x=1"
    headers = {"X-Twilio-Signature": compute_signature(TOKEN, url, form)}
    assert verify_request(TOKEN, url, form, headers) == url
    with pytest.raises(InvalidSignatureError, match="does not match"):
        verify_request(TOKEN, "http://127.0.0.1:8000/telephony/voice?x=1", form, headers)


def test_verify_request_missing_header_refused():
    with pytest.raises(InvalidSignatureError, match="missing X-Twilio-Signature"):
        verify_request(TOKEN, "https://ligne.example.be/v", {}, {})


def test_verify_request_tampered_param_refused():
    form = {"Body": "Oui", "From": "+32470123456"}
    signature = compute_signature(TOKEN, "https://ligne.example.be/sms", form)
    with pytest.raises(InvalidSignatureError):
        verify_request(
            TOKEN, "https://ligne.example.be/sms", {**form, "Body": "Non"}, Headers({"x-twilio-signature": signature})
        )


def test_raw_json_body_is_checked_through_its_hash():
    body = '{"event": "call.completed"}'
    digest = hashlib.sha256(body.encode()).hexdigest()
    url = f"https://ligne.example.be/events?bodySHA256={digest}"
    signature = compute_signature(TOKEN, url, body)
    assert is_valid_signature(TOKEN, url, body, signature)
    assert not is_valid_signature(TOKEN, url, '{"event": "call.failed"}', signature)
