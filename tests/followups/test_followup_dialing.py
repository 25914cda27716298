"""Outbound calling: the "call" button with Twilio configured, dialling by hand without it."""

from __future__ import annotations

import pytest
from followup_factories import add_followup, add_person, add_referral, today_local

TWILIO = {"TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": "t" * 32, "TWILIO_PHONE_NUMBER": "+3225550100"}
NO_TWILIO = {"TWILIO_ACCOUNT_SID": None, "TWILIO_AUTH_TOKEN": None, "TWILIO_PHONE_NUMBER": None}


@pytest.fixture(params=["twilio", "by_hand"])
def app_config(request):
    """Run each test with and without Twilio credentials."""
    return TWILIO if request.param == "twilio" else NO_TWILIO


def test_call_button_only_when_twilio_and_its_endpoint_exist(app, client, login_as, referrer):
    if app.config["TWILIO_ACCOUNT_SID"] and "telephony.call_followup" not in app.view_functions:
        pytest.skip("the telephony blueprint (telephony.call_followup) is not registered")
    person = add_person()
    followup = add_followup(person, add_referral(person, referrer), today_local())
    login_as("nurse")
    client.post(f"/followups/{followup.id}/start")

    page = client.get(f"/followups/{followup.id}").get_data(as_text=True)

    dial_url = f"/telephony/followups/{followup.id}/call"
    if app.config["TWILIO_ACCOUNT_SID"]:
        assert dial_url in page and "Composez le numéro vous-même" not in page
    else:
        # without Twilio the numbers are tel: links (the page no longer asks to dial by hand)
        assert dial_url not in page and "Composez le numéro vous-même" not in page
        assert f'href="tel:{person.phone}"' in page
