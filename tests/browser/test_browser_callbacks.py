"""Calls to return in a real browser: a caller hangs up in the queue, the nurse finds the number on her
home page with the person known for it, notes an attempt nobody answered, then calls back and logs the
call, which closes the callback. A person with a follow-up due calls in: the screen pop says so and
opens the follow-up within the call, which lists what it checks."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa
from browser_steps import navigate, save_call
from playwright.sync_api import expect
from test_browser_screen_pop import HELPLINE, POP_TIMEOUT, _twilio_post

from browser_support import screenshot

# Synthetic numbers that no other browser test uses.
CALLER, CALLER_AS_SHOWN = "+32470000391", "0470 00 03 91"
FOLLOWED, FOLLOWED_AS_SHOWN = "+32470000392", "0470 00 03 92"


def _person(live_app, phone: str, first: str, last: str) -> int:
    from helpline.persons.service import set_names
    from models import Person, db

    with live_app.app_context():
        person = Person(phone=phone, birth_date=dt.date(1940, 2, 3), postcode="4020")
        set_names(person, first, last)
        db.session.add(person)
        db.session.commit()
        person_id = person.id
        db.session.remove()
    return person_id


def _callback(live_app, phone: str):
    from models import Callback, db

    with live_app.app_context():
        row = db.session.execute(
            sa.select(Callback.id, Callback.status, Callback.attempts, Callback.call_id).where(
                Callback.phone_number == phone
            )
        ).one()
        db.session.remove()
    return tuple(row)


def test_a_caller_who_hung_up_is_called_back_from_the_home_page(open_session, live_app, live_server, monkeypatch):
    monkeypatch.setitem(live_app.config, "HELPLINE_OPENING_HOURS", "mon-sun 00:00-23:59")
    person_id = _person(live_app, CALLER, "Clémence", "Rappelée")
    sid = "CA" + uuid.uuid4().hex
    ring = {"CallSid": sid, "From": CALLER, "To": HELPLINE, "CallStatus": "ringing", "Direction": "inbound"}
    assert _twilio_post(live_app, live_server, "/twilio/voice", ring)[0] == 200
    assert (
        _twilio_post(live_app, live_server, "/twilio/queue/leave", {"CallSid": sid, "QueueResult": "hangup"})[0] == 200
    )
    assert _twilio_post(live_app, live_server, "/twilio/status", {**ring, "CallStatus": "completed"})[0] == 200
    callback_id, status, attempts, _ = _callback(live_app, CALLER)
    assert (status, attempts) == ("pending", 0)

    page = open_session("nurse")
    panel = page.locator("section.callbacks-panel")
    expect(panel.get_by_role("heading", name=re.compile("Appels à rendre"))).to_be_visible()
    row = panel.locator(f"#callback-{callback_id}")
    expect(row).to_contain_text(CALLER_AS_SHOWN)
    expect(row).to_contain_text("RAPPELÉE Clémence")
    expect(row).to_contain_text("A raccroché en attente")
    expect(row.get_by_role("link", name=CALLER_AS_SHOWN)).to_have_attribute("href", f"tel:{CALLER}")
    expect(row).to_contain_text("0 sur 3")
    screenshot(page, "40-callbacks-home")

    # She calls, nobody answers: one attempt counted, the number stays on the list.
    navigate(page, row.get_by_role("button", name="Pas de réponse"))
    expect(page.locator(".flash").first).to_contain_text("Tentative enregistrée : 1 sur 3")
    expect(page.locator(f"#callback-{callback_id}")).to_contain_text("1 sur 3")
    assert _callback(live_app, CALLER)[1:3] == ("pending", 1)

    # She calls again and reaches her: the call form opens outgoing, for the known person.
    navigate(page, page.locator(f"#callback-{callback_id}").get_by_role("link", name="Enregistrer l'appel"))
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"caller_phone": [CALLER], "direction": ["outgoing"], "person_id": [str(person_id)]}
    expect(page.locator("input[name=direction][value=outgoing]")).to_be_checked()
    expect(page.locator("#last_name")).to_have_value("Rappelée")
    page.check("input[name=caller_type][value=patient]")
    page.check("input[name=topics][value=information]")
    page.select_option("#consent", "yes")
    page.fill("#summary", "Rappelée après un appel manqué : demande d'information.")
    page.wait_for_selector("#proposal [data-route]")  # the proposal preselects the route
    call_id = save_call(page)
    assert _callback(live_app, CALLER)[1:] == ("done", 1, call_id)

    navigate(page, page.locator("a.brand"))
    expect(page.locator(f"#callback-{callback_id}")).to_have_count(0)


def test_a_person_with_a_follow_up_due_calls_in_and_the_nurse_completes_it_in_the_call(
    open_session, live_app, live_server, staff, monkeypatch
):
    from models import FollowUp, db

    monkeypatch.setitem(live_app.config, "HELPLINE_OPENING_HOURS", "mon-sun 00:00-23:59")
    person_id = _person(live_app, FOLLOWED, "Gaston", "Suivi")
    with live_app.app_context():
        followup = FollowUp(person_id=person_id, offset_days=30, due_date=dt.date(2026, 12, 1), status="pending")
        db.session.add(followup)
        db.session.commit()
        followup_id = followup.id
        db.session.remove()
    page = open_session("nurse")
    ring = {
        "CallSid": "CA" + uuid.uuid4().hex,
        "From": FOLLOWED,
        "To": HELPLINE,
        "CallStatus": "ringing",
        "Direction": "inbound",
    }
    try:
        assert _twilio_post(live_app, live_server, "/twilio/voice", ring)[0] == 200
        call = page.locator("aside.screen-pop .screen-pop-call", has_text=FOLLOWED_AS_SHOWN)
        expect(call).to_be_visible(timeout=POP_TIMEOUT)
        call.get_by_role("button", name="Je réponds").click()
        pending = call.locator(".screen-pop-pending")
        expect(pending).to_contain_text("Encore à faire pour cet appelant :", timeout=POP_TIMEOUT)
        expect(pending).to_contain_text("Appel de suivi prévu le 01/12/2026 pour SUIVI Gaston.")
        screenshot(page, "41-screen-pop-follow-up-due")
        navigate(page, pending.get_by_role("button", name="Le faire pendant cet appel"))
        assert urlsplit(page.url).path == f"/followups/{followup_id}"
        expect(page.locator("h1")).to_contain_text("SUIVI Gaston")
        expect(page.locator("form.followup-form")).to_be_visible()  # claimed by her: she records it now
    finally:
        _twilio_post(live_app, live_server, "/twilio/status", {**ring, "CallStatus": "completed"})
