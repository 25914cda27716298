"""Behind one trusted reverse proxy (TRUSTED_PROXIES=1): signatures, callback URLs and addresses."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from models import PhoneCall, db
from telephony_support import new_sid


@pytest.fixture
def app_config(app_config):
    """The telephony settings, behind one proxy."""
    return {**app_config, "TRUSTED_PROXIES": 1}


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(PhoneCall))


def _wait_url(response) -> str:
    assert response.status_code == 200
    return ET.fromstring(response.data).find("Enqueue").get("waitUrl")


def test_signature_is_checked_against_the_public_url_the_proxy_fix_rebuilds(twilio_post, clock):
    params = {"CallSid": new_sid(), "From": "+32470000201"}
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "helpline.example.be"}
    response = twilio_post("/twilio/voice", params, url="https://helpline.example.be/twilio/voice", headers=proxy)
    assert _wait_url(response) == "https://helpline.example.be/twilio/queue/wait"
    signed_for_the_app = twilio_post("/twilio/voice", {"CallSid": new_sid()}, headers=proxy)
    assert signed_for_the_app.status_code == 403  # signed for http://localhost, requested as the public URL
    assert _count() == 1


def test_only_the_hop_nearest_the_app_is_believed(twilio_post, clock):
    headers = {"X-Forwarded-Proto": "http, https", "X-Forwarded-Host": "evil.example, helpline.example.be"}
    forged = twilio_post(
        "/twilio/voice", {"CallSid": new_sid()}, url="http://evil.example/twilio/voice", headers=headers
    )
    assert forged.status_code == 403
    response = twilio_post(
        "/twilio/voice", {"CallSid": new_sid()}, url="https://helpline.example.be/twilio/voice", headers=headers
    )
    assert _wait_url(response) == "https://helpline.example.be/twilio/queue/wait"


def test_a_non_default_public_port_is_kept(twilio_post, clock):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "helpline.example.be", "X-Forwarded-Port": "8443"}
    response = twilio_post(
        "/twilio/voice", {"CallSid": new_sid()}, url="https://helpline.example.be:8443/twilio/voice", headers=headers
    )
    assert _wait_url(response) == "https://helpline.example.be:8443/twilio/queue/wait"


def test_callback_urls_follow_each_public_address_and_prefix(app, twilio_post, clock):
    def wait_url(host: str, prefix: str = "") -> str:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": host}
        if prefix:
            headers["X-Forwarded-Prefix"] = prefix
        return _wait_url(
            twilio_post(
                "/twilio/voice", {"CallSid": new_sid()}, url=f"https://{host}{prefix}/twilio/voice", headers=headers
            )
        )

    for _ in range(2):  # the second round is served from the URLs already built
        assert wait_url("ligne-a.example.be") == "https://ligne-a.example.be/twilio/queue/wait"
        assert wait_url("ligne-b.example.be") == "https://ligne-b.example.be/twilio/queue/wait"
        assert wait_url("ligne-a.example.be", "/aide") == "https://ligne-a.example.be/aide/twilio/queue/wait"


def test_the_configured_public_url_wins_over_the_proxy_headers(app, twilio_post, clock):
    app.config["TELEPHONY_PUBLIC_URL"] = "https://configured.example.be/"
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "ligne-a.example.be"}
    response = twilio_post(
        "/twilio/voice", {"CallSid": new_sid()}, url="https://configured.example.be/twilio/voice", headers=headers
    )
    assert _wait_url(response) == "https://configured.example.be/twilio/queue/wait"
    other = twilio_post(
        "/twilio/voice", {"CallSid": new_sid()}, url="https://ligne-a.example.be/twilio/voice", headers=headers
    )
    assert other.status_code == 403
