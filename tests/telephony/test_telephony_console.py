"""Console mode: no Twilio credentials, the app works and simulations stay on this machine."""

import datetime as dt

import pytest
import sqlalchemy as sa

from helpline.telephony.console_gateway import ConsoleGateway
from helpline.telephony.gateway import gateway_from_config
from models import FollowUp, Person, PhoneCall, User, db


@pytest.fixture
def app_config(fake_twilio):
    """No Twilio credentials at all: console mode."""
    return {
        "TWILIO_ACCOUNT_SID": None,
        "TWILIO_AUTH_TOKEN": None,
        "TWILIO_PHONE_NUMBER": "+3225550000",
        "HELPLINE_OPENING_HOURS": "mon-sun 00:00-23:59",
    }


@pytest.fixture(autouse=True)
def open_every_day(clock):
    """Simulate on a weekday, whatever day the tests run."""


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_console_simulates_inbound_transfer_and_outbound_and_sends_nothing(client, login_as, fake_twilio):
    login_as("coordinator")
    page = _page(client.post("/telephony/console", data={"in-from_number": "0470 99 06 01", "in-submit": "1"}))
    assert "/twilio/voice" in page and "Enqueue" in page
    record = db.session.scalar(sa.select(PhoneCall))
    assert (record.from_number, record.direction) == ("+32470990601", "inbound")

    manager = User(
        email="cm@test.invalid", name="Gestionnaire", roles="case_manager", password_hash="-", phone="+32470000699"
    )
    person = Person(
        first_name="Anne", last_name="Synthèse", first_name_key="anne", last_name_key="synthese", phone="+32470000602"
    )
    nurse = User(email="n@test.invalid", name="Infirmière", roles="nurse", password_hash="-", phone="+32470000603")
    db.session.add_all([manager, person, nurse])
    db.session.flush()
    followup = FollowUp(person_id=person.id, offset_days=30, due_date=dt.date(2026, 12, 1))
    db.session.add(followup)
    db.session.commit()

    page = _page(
        client.post(
            "/telephony/console",
            data={
                "tr-phone_call_id": record.id,
                "tr-case_manager_id": manager.id,
                "tr-outcome": "no-answer",
                "tr-submit": "1",
            },
        )
    )
    assert "add_participant" in page and "redirect_call" in page and "update_participant" in page
    assert "n&#39;a pas répondu" in page or "n'a pas répondu" in page
    db.session.expire_all()
    record = db.session.get(PhoneCall, record.id)
    assert record.transfer_status == "no-answer" and record.conference_name

    page = _page(
        client.post(
            "/telephony/console",
            data={
                "out-followup_id": followup.id,
                "out-nurse_id": nurse.id,
                "out-outcome": "completed",
                "out-submit": "1",
            },
        )
    )
    assert "create_call" in page and "+32470000602" in page
    outbound = db.session.scalar(sa.select(PhoneCall).where(PhoneCall.followup_id == followup.id))
    assert (outbound.dial_status, outbound.status) == ("completed", "completed")
    assert fake_twilio.requests == []


def test_console_refuses_a_number_that_does_not_exist(client, login_as):
    login_as("coordinator")
    response = client.post("/telephony/console", data={"in-from_number": "12", "in-submit": "1"})
    assert response.status_code == 422
    assert 'value="12"' in _page(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhoneCall)) == 0


def test_console_is_for_coordinators_and_admins(client, login_as):
    login_as("nurse")
    assert client.get("/telephony/console").status_code == 403


def test_app_in_console_mode_sends_sms_nowhere(app, fake_twilio):
    gateway = gateway_from_config(app.config)
    assert isinstance(gateway, ConsoleGateway)
    assert gateway.send_sms(to="+32470000602", body="Rappel").status == "console"
    assert fake_twilio.requests == []
