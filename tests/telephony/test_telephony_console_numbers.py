"""Console mode shows admins which call is live, not the caller's number."""

import pytest

from models import PhoneCall, db


@pytest.fixture
def app_config(fake_twilio):
    return {
        "TWILIO_ACCOUNT_SID": None,
        "TWILIO_AUTH_TOKEN": None,
        "TWILIO_PHONE_NUMBER": "+3225550000",
        "HELPLINE_OPENING_HOURS": "mon-sun 00:00-23:59",
    }


def test_the_console_hides_the_callers_number(client, login_as):
    db.session.add(PhoneCall(call_sid="CA" + "1" * 32, direction="inbound", from_number="+32470990612"))
    db.session.commit()
    login_as("admin")
    page = client.get("/telephony/console").get_data(as_text=True)
    assert "…12" in page
    for shown in ("+32470990612", "470990612", "0470 99 06 12"):
        assert shown not in page
