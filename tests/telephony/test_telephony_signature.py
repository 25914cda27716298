"""Check X-Twilio-Signature verification, including URLs rebuilt behind a proxy."""

import hashlib

import pytest
from werkzeug.datastructures import MultiDict

from helpline.telephony.signature import (
    InvalidSignatureError,
    ProxyTrust,
    compute_signature,
    is_valid_signature,
    public_url,
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


def test_multi_valued_params_accepted_in_every_shape():
    pairs = [("StatusCallbackEvent", "ringing"), ("StatusCallbackEvent", "answered"),
             ("To", "+32470123456")]
    signature = compute_signature(TOKEN, PUBLIC_URL, MultiDict(pairs))
    assert is_valid_signature(TOKEN, PUBLIC_URL, pairs, signature)
    as_lists = {"StatusCallbackEvent": ["ringing", "answered"], "To": "+32470123456"}
    assert is_valid_signature(TOKEN, PUBLIC_URL, as_lists, signature)
    assert not is_valid_signature(TOKEN, PUBLIC_URL, pairs[1:], signature)


def test_signature_with_default_port_in_url_accepted():
    signature = compute_signature(TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                                  PARAMS)
    assert is_valid_signature(TOKEN, PUBLIC_URL, PARAMS, signature)


def test_public_url_without_proxy_uses_what_the_app_saw():
    url = public_url(scheme="http", host="127.0.0.1:5000", path="/telephony/voice",
                     query_string=b"lang=fr", headers={"X-Forwarded-Proto": "https"})
    assert url == "http://127.0.0.1:5000/telephony/voice?lang=fr"


def test_public_url_https_behind_http_proxy():
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "ligne.example.be",
               "X-Forwarded-Port": "443"}
    url = public_url(scheme="http", host="app:8000", path="/telephony/voice", headers=headers,
                     trust=ProxyTrust.hops(1))
    assert url == "https://ligne.example.be/telephony/voice"


def test_public_url_keeps_non_default_forwarded_port_and_ipv6_host():
    url = public_url(scheme="http", host="[::1]:8000", path="/v",
                     headers={"x-forwarded-port": "8443", "x-forwarded-proto": "https"},
                     trust=ProxyTrust(x_proto=1, x_port=1))
    assert url == "https://[::1]:8443/v"


def test_public_url_takes_the_trusted_hop_from_the_right():
    headers = {"X-Forwarded-Host": "evil.example, ligne.example.be",
               "X-Forwarded-Proto": "http, https"}
    url = public_url(scheme="http", host="app", path="/v", headers=headers,
                     trust=ProxyTrust(x_proto=1, x_host=1))
    assert url == "https://ligne.example.be/v"
    two_hops = public_url(scheme="http", host="app", path="/v", headers=headers,
                          trust=ProxyTrust(x_host=2))
    assert two_hops == "http://evil.example/v"
    too_many = public_url(scheme="http", host="app", path="/v", headers=headers,
                          trust=ProxyTrust(x_host=3))
    assert too_many == "http://app/v"


def test_proxy_trust_refuses_negative_hops():
    with pytest.raises(ValueError):
        ProxyTrust(x_host=-1)


def test_verify_request_behind_proxy_accepts_the_twilio_signature():
    form = {"CallSid": "CA" + "a" * 32, "From": "+32470123456", "CallStatus": "ringing"}
    signature = compute_signature(TOKEN, "https://ligne.example.be/telephony/voice?x=1", form)
    headers = {"X-Twilio-Signature": signature, "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "ligne.example.be"}
    url = verify_request(TOKEN, scheme="http", host="127.0.0.1:8000", path="/telephony/voice",
                         query_string="x=1", headers=headers, params=form,
                         trust=ProxyTrust.hops(1))
    assert url == "https://ligne.example.be/telephony/voice?x=1"


def test_verify_request_without_proxy_trust_refuses_the_same_request():
    form = {"CallSid": "CA" + "a" * 32}
    signature = compute_signature(TOKEN, "https://ligne.example.be/telephony/voice", form)
    headers = {"X-Twilio-Signature": signature, "X-Forwarded-Proto": "https",
               "X-Forwarded-Host": "ligne.example.be"}
    with pytest.raises(InvalidSignatureError, match="does not match"):
        verify_request(TOKEN, scheme="http", host="127.0.0.1:8000", path="/telephony/voice",
                       headers=headers, params=form)


def test_verify_request_missing_header_refused():
    with pytest.raises(InvalidSignatureError, match="missing X-Twilio-Signature"):
        verify_request(TOKEN, scheme="https", host="ligne.example.be", path="/v",
                       headers={}, params={})


def test_verify_request_tampered_param_refused():
    form = {"Body": "Oui", "From": "+32470123456"}
    signature = compute_signature(TOKEN, "https://ligne.example.be/sms", form)
    with pytest.raises(InvalidSignatureError):
        verify_request(TOKEN, scheme="https", host="ligne.example.be", path="/sms",
                       headers={"x-twilio-signature": signature},
                       params={**form, "Body": "Non"})


def test_raw_json_body_is_checked_through_its_hash():
    body = '{"event": "call.completed"}'
    digest = hashlib.sha256(body.encode()).hexdigest()
    url = f"https://ligne.example.be/events?bodySHA256={digest}"
    signature = compute_signature(TOKEN, url, body)
    assert is_valid_signature(TOKEN, url, body, signature)
    assert not is_valid_signature(TOKEN, url, '{"event": "call.failed"}', signature)
