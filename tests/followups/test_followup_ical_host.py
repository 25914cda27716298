"""The calendar's links use the configured public address: a forged Host header changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from followup_factories import add_followup, add_person, add_referral
from icalendar import Calendar


@pytest.fixture
def app_config():
    return {"HELPLINE_PUBLIC_URL": "https://helpline.example/"}


def test_calendar_links_ignore_a_forged_host_header(client, login_as):
    nurse = login_as("nurse")
    person = add_person()
    followup = add_followup(person, add_referral(person, nurse), dt.date(2025, 4, 22))
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.invalid")
    response = client.get("/followups/schedule.ics", headers={"Host": "evil.invalid"})
    assert response.status_code == 200
    (event,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["url"]) == f"https://helpline.example/followups/{followup.id}"
