"""Calls to return: a caller nobody answered is listed on the nurses' home until called back."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from models import AuditEvent, Call, Callback, FollowUp, Person, PhoneCall, db
from telephony_support import ACCOUNT_SID, HELPLINE, OPEN_TIME, new_sid

NUMBER = "+32470000231"
SATURDAY = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def at(monkeypatch):
    """Fix the clock of the webhooks and of the call records they write."""

    def set_time(moment: dt.datetime) -> None:
        for target in ("helpline.telephony.webhooks.utcnow", "helpline.telephony.service.utcnow"):
            monkeypatch.setattr(target, lambda: moment)

    set_time(OPEN_TIME)
    return set_time


@pytest.fixture
def ring(twilio_post, at):
    """Ring the helpline from a number and return the CallSid."""

    def call(number: str = NUMBER) -> str:
        sid = new_sid()
        assert (
            twilio_post(
                "/twilio/voice",
                {"CallSid": sid, "From": number, "To": HELPLINE, "Direction": "inbound", "AccountSid": ACCOUNT_SID},
            ).status_code
            == 200
        )
        return sid

    return call


def _hang_up_in_queue(twilio_post, sid: str) -> None:
    assert twilio_post("/twilio/queue/leave", {"CallSid": sid, "QueueResult": "hangup"}).status_code == 200
    assert (
        twilio_post(
            "/twilio/status",
            {"CallSid": sid, "CallStatus": "completed", "CallDuration": "40", "Direction": "inbound", "From": NUMBER},
        ).status_code
        == 200
    )


def _callbacks() -> list[Callback]:
    return list(db.session.scalars(sa.select(Callback).order_by(Callback.id)))


def _person() -> Person:
    person = Person(
        first_name="Odile", last_name="Fictive", first_name_key="odile", last_name_key="fictive", phone=NUMBER
    )
    db.session.add(person)
    db.session.commit()
    return person


def test_caller_who_hangs_up_in_the_queue_is_listed_once_with_the_known_person(client, login_as, ring, twilio_post):
    _person()
    sid = ring()
    _hang_up_in_queue(twilio_post, sid)
    _hang_up_in_queue(twilio_post, sid)  # Twilio retries: nothing more
    (callback,) = _callbacks()
    assert (callback.phone_number, callback.reason, callback.status, callback.missed_count) == (
        NUMBER,
        "abandoned",
        "pending",
        1,
    )
    login_as("nurse")
    home = client.get("/").get_data(as_text=True)
    assert "Appels à rendre" in home
    assert "0470 00 02 31" in home and "FICTIVE Odile" in home
    assert "A raccroché en attente" in home
    assert "0 sur 3" in home


def test_a_caller_trying_again_adds_to_the_same_callback(ring, twilio_post):
    first, second = ring(), ring()
    _hang_up_in_queue(twilio_post, first)
    _hang_up_in_queue(twilio_post, second)
    (callback,) = _callbacks()
    assert callback.missed_count == 2
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(PhoneCall).where(PhoneCall.callback_id == callback.id))
        == 2
    )


def test_after_hours_call_and_voicemail_become_callbacks(app, ring, twilio_post, at):
    app.config["VOICEMAIL_ENABLED"] = True
    at(SATURDAY)
    after_hours = ring("+32470000232")
    twilio_post("/twilio/status", {"CallSid": after_hours, "CallStatus": "completed", "Direction": "inbound"})
    voicemail = ring("+32470000233")
    twilio_post("/twilio/status", {"CallSid": voicemail, "CallStatus": "completed", "Direction": "inbound"})
    twilio_post("/twilio/voicemail", {"CallSid": voicemail, "RecordingSid": "RE" + "2" * 32})
    reasons = {cb.phone_number: cb.reason for cb in _callbacks()}
    assert reasons == {"+32470000232": "after_hours", "+32470000233": "voicemail"}


def test_an_answered_call_and_a_hidden_number_are_not_listed(ring, twilio_post):
    answered = ring()
    twilio_post("/twilio/nurse/bridged", {"CallSid": answered, "DequeingCallSid": new_sid()})
    twilio_post("/twilio/status", {"CallSid": answered, "CallStatus": "completed", "Direction": "inbound"})
    hidden = ring("anonymous")
    _hang_up_in_queue(twilio_post, hidden)
    assert _callbacks() == []


def test_logging_a_call_with_the_number_closes_the_callback_and_links_the_call(
    client, login_as, ring, twilio_post, log_call
):
    _hang_up_in_queue(twilio_post, ring())
    (callback,) = _callbacks()
    nurse = login_as("nurse")
    home = client.get("/").get_data(as_text=True)
    assert "/calls/new?caller_phone=%2B32470000231&amp;direction=outgoing" in home
    form = client.get("/calls/new?caller_phone=%2B32470000231&direction=outgoing").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="outgoing"|<input[^>]*value="outgoing"[^>]*checked', form)
    assert log_call(caller_phone="0470 00 02 31", direction="outgoing").status_code == 302
    db.session.refresh(callback)
    call = db.session.scalar(sa.select(Call))
    assert (callback.status, callback.call_id, callback.closed_by_id) == ("done", call.id, nurse.id)
    assert "Aucun appel à rendre" in client.get("/").get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.object_type == "callback", AuditEvent.action == "close")
        )
        is not None
    )


def test_unanswered_attempts_mark_the_caller_unreachable_at_the_configured_count(
    app, client, login_as, ring, twilio_post
):
    app.config["CALLBACK_MAX_ATTEMPTS"] = 2
    _hang_up_in_queue(twilio_post, ring())
    (callback,) = _callbacks()
    login_as("nurse")
    url = f"/telephony/callbacks/{callback.id}/attempt"
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "1 sur 2" in page
    db.session.refresh(callback)
    assert (callback.status, callback.attempts) == ("pending", 1)
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    db.session.refresh(callback)
    assert (callback.status, callback.attempts) == ("unreachable", 2)
    assert "injoignable" in page and "Aucun appel à rendre" in page
    client.post(url)
    db.session.refresh(callback)
    assert callback.attempts == 2


def test_callbacks_are_for_the_line_staff_only(client, login_as, ring, twilio_post):
    _hang_up_in_queue(twilio_post, ring())
    (callback,) = _callbacks()
    login_as("case_manager")
    assert client.post(f"/telephony/callbacks/{callback.id}/attempt").status_code == 403
    assert "0470 00 02 31" not in client.get("/").get_data(as_text=True)


def test_screen_pop_says_a_callback_and_a_follow_up_are_pending_and_offers_the_follow_up(
    client, login_as, ring, twilio_post
):
    person = _person()
    followup = FollowUp(person_id=person.id, offset_days=30, due_date=dt.date(2026, 11, 20), status="pending")
    db.session.add(followup)
    db.session.commit()
    _hang_up_in_queue(twilio_post, ring())
    ring()
    login_as("nurse")
    (call,) = client.get("/telephony/incoming.json").get_json()["calls"]
    (callback_note,) = call["pending"]  # before answering: no name, only the number's callback
    assert "appel manqué" in callback_note["text"] and callback_note["action"] is None
    answered = client.post(call["answer_url"]).get_json()["call"]
    notes = answered["pending"]
    assert len(notes) == 2
    assert "20/11/2026" in notes[1]["text"] and "FICTIVE Odile" in notes[1]["text"]
    assert notes[1]["action"]["url"] == f"/followups/{followup.id}/start"
    opened = client.post(notes[1]["action"]["url"])
    assert opened.headers["Location"].endswith(f"/followups/{followup.id}")


def test_indicator_counts_answered_missed_and_called_back_calls(client, login_as, ring, twilio_post, log_call):
    answered = ring("+32470000234")
    twilio_post("/twilio/nurse/bridged", {"CallSid": answered, "DequeingCallSid": new_sid()})
    _hang_up_in_queue(twilio_post, ring())
    login_as("nurse")
    assert log_call(caller_phone="0470 00 02 31", direction="outgoing").status_code == 302
    with client.application.test_request_context():
        from helpline.reports.indicators_phone import inbound_calls
        from helpline.reports.period import Period

        table = inbound_calls(Period(dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
    assert [row[:2] for row in table.rows] == [
        ["Répondus", 1],
        ["A raccroché en attente", 1],
        ["A appelé hors des heures d'ouverture", 0],
        ["A laissé un message vocal", 0],
    ]
    facts = dict(table.facts)
    assert list(facts.values()) == ["2", "1", "0", "0"]


def test_the_call_page_context_panel_shows_her_call_to_return_and_offers_the_follow_up(
    client, login_as, ring, twilio_post
):
    person = _person()
    followup = FollowUp(person_id=person.id, offset_days=30, due_date=dt.date(2026, 11, 20), status="pending")
    db.session.add(followup)
    db.session.commit()
    _hang_up_in_queue(twilio_post, ring())
    login_as("nurse")
    page = client.get(f"/calls/new?caller_phone=%2B32470000231&person_id={person.id}").get_data(as_text=True)
    panel = page.split('id="context-panel"')[1].split("</section>")[0]
    assert "Appels à rendre" in panel and "Appel manqué du 0470 00 02 31" in panel
    assert "A raccroché en attente" in panel and "cet appel le clôture" in panel
    assert f'action="/followups/{followup.id}/start"' in panel and "Le faire pendant cet appel" in panel
    assert 'target="_blank"' in panel  # the call form being typed stays open
