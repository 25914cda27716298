"""Screen pop in a real browser: a call comes in on Twilio's voice webhook, the nurse's open page pops
it up by itself (telephony.js polls the incoming-calls endpoint), she answers, sees the persons known
for the number and opens the call form prefilled for one of them."""

from __future__ import annotations

import datetime as dt
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import ProxyHandler, Request, build_opener

import sqlalchemy as sa
from playwright.sync_api import expect
from twilio.request_validator import RequestValidator

from browser_support import screenshot

# Synthetic numbers that no other browser test uses.
CALLER = "+32470000377"
CALLER_AS_SHOWN = "0470 00 03 77"
SECOND_CALLER, SECOND_CALLER_AS_SHOWN = "+32470000378", "0470 00 03 78"
HELPLINE = "+3225550000"
POP_TIMEOUT = 10_000  # ms: the script polls every 3 s


def _twilio_post(live_app, live_server: str, path: str, params: dict) -> tuple[int, str]:
    """POST a webhook as Twilio does (form signed with X-Twilio-Signature); return status and body."""
    from helpline.telephony.security import auth_token

    url = f"{live_server}{path}"
    signature = RequestValidator(auth_token(live_app.config)).compute_signature(url, params)
    request = Request(
        url,
        data=urlencode(params).encode(),
        method="POST",
        headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
    )
    opener = build_opener(ProxyHandler({}))  # loopback: never through a proxy
    with opener.open(request, timeout=10) as response:
        return response.status, response.read().decode()


def _known_persons(live_app) -> dict[str, int]:
    """Create two persons whose own phone is the caller's number; return their ids by last name."""
    from helpline.persons.service import set_names
    from models import Person, db

    with live_app.app_context():
        persons = {}
        for first, last, born in (("Anselme", "Carillon", dt.date(1938, 5, 4)), ("Berthe", "Sonnaille", None)):
            person = Person(phone=CALLER, birth_date=born, postcode="4020")
            set_names(person, first, last)
            persons[last] = person
        db.session.add_all(persons.values())
        db.session.commit()
        ids = {last: person.id for last, person in persons.items()}
        db.session.remove()
    return ids


def _phone_call(live_app, call_sid: str):
    """Return (status, answered_by_id, call_id) of the phone call record of a CallSid."""
    from models import PhoneCall, db

    with live_app.app_context():
        row = db.session.execute(
            sa.select(PhoneCall.status, PhoneCall.answered_by_id, PhoneCall.call_id).where(
                PhoneCall.call_sid == call_sid
            )
        ).one()
        db.session.remove()
    return tuple(row)


def test_nurse_gets_the_screen_pop_answers_and_opens_the_prefilled_call_form(
    open_session, live_app, live_server, staff, monkeypatch
):
    monkeypatch.setitem(live_app.config, "HELPLINE_OPENING_HOURS", "mon-sun 00:00-23:59")
    persons = _known_persons(live_app)
    call_sid = "CA" + uuid.uuid4().hex
    ring = {"CallSid": call_sid, "From": CALLER, "To": HELPLINE, "CallStatus": "ringing", "Direction": "inbound"}

    # The nurse is on her home page before the call comes in: nothing pops up yet.
    page = open_session("nurse")
    pop = page.locator("aside.screen-pop")
    expect(pop).to_be_attached()  # telephony.js ran
    expect(pop).to_be_hidden()

    try:
        # The call comes in on the voice webhook; the nurse's page shows it without being reloaded.
        status, twiml = _twilio_post(live_app, live_server, "/twilio/voice", ring)
        assert status == 200 and "<Response>" in twiml, twiml
        call = pop.locator(".screen-pop-call", has_text=CALLER_AS_SHOWN)
        expect(call).to_be_visible(timeout=POP_TIMEOUT)
        expect(call.locator("h2")).to_have_text(f"Appel entrant : {CALLER_AS_SHOWN}")
        expect(call.locator("p")).to_have_text("Personnes connues pour ce numéro : 2")
        expect(call.locator("a")).to_have_count(0)  # names only once she has answered
        assert _phone_call(live_app, call_sid) == ("queued", None, None)

        # She answers: the pop now lists the known persons as links, and "another person".
        call.get_by_role("button", name="Je réponds").click()
        expect(call.get_by_text("Vous avez répondu. Enregistrez l'appel au sujet de :")).to_be_visible(
            timeout=POP_TIMEOUT
        )
        expect(call.locator("li a")).to_have_text(["CARILLON Anselme (1938)", "SONNAILLE Berthe", "une autre personne"])
        expect(call.get_by_role("button")).to_have_count(0)
        assert _phone_call(live_app, call_sid) == ("queued", staff["nurse"][0], None)
        screenshot(page, "11-screen-pop")

        # Following a person's link opens the call form with the person chosen and the caller's phone.
        with page.expect_navigation():
            call.get_by_role("link", name="CARILLON Anselme (1938)").click()
        url = urlsplit(page.url)
        assert url.path == "/calls/new"
        # The call's id, not the caller's number: a URL stays in the access logs.
        query = parse_qs(url.query)
        assert set(query) == {"phone_call", "person_id"} and query["person_id"] == [str(persons["Carillon"])]
        assert CALLER.lstrip("+") not in page.url
        expect(page.locator("h1")).to_have_text("Encoder un appel")
        expect(page.locator("#caller_phone")).to_have_value(CALLER)
        expect(page.locator("#person_id")).to_have_value(str(persons["Carillon"]))
        selected = page.locator(".selected-person")
        expect(selected).to_contain_text("Personne connue : CARILLON Anselme")
        expect(selected.get_by_role("link", name="CARILLON Anselme")).to_have_attribute(
            "href", f"/persons/{persons['Carillon']}"
        )
        expect(page.locator("#first_name")).to_have_value("Anselme")
        expect(page.locator("#last_name")).to_have_value("Carillon")
        expect(page.locator("#birth_date")).to_have_value("1938-05-04")
        expect(page.locator("#person_phone")).to_have_value(CALLER)

        # The answered call stays in her pop on the form page, until Twilio says the call ended.
        call = page.locator("aside.screen-pop .screen-pop-call", has_text=CALLER_AS_SHOWN)
        expect(call.locator("li a")).to_have_count(3, timeout=POP_TIMEOUT)
        status, _ = _twilio_post(
            live_app, live_server, "/twilio/status", {**ring, "CallStatus": "completed", "CallDuration": "42"}
        )
        assert status == 200
        expect(page.locator("aside.screen-pop")).to_be_hidden(timeout=POP_TIMEOUT)
    finally:
        # Never leave a live call behind: it would pop up over the pages of the other browser tests.
        _twilio_post(live_app, live_server, "/twilio/status", {**ring, "CallStatus": "completed"})


def test_a_call_taken_by_another_nurse_says_so_and_a_logged_out_page_shows_no_call(
    open_session, live_app, live_server, staff, monkeypatch
):
    from models import PhoneCall, db

    monkeypatch.setitem(live_app.config, "HELPLINE_OPENING_HOURS", "mon-sun 00:00-23:59")
    ring = {
        "CallSid": "CA" + uuid.uuid4().hex,
        "From": SECOND_CALLER,
        "To": HELPLINE,
        "CallStatus": "ringing",
        "Direction": "inbound",
    }
    page = open_session("nurse")
    pop = page.locator("aside.screen-pop")
    try:
        assert _twilio_post(live_app, live_server, "/twilio/voice", ring)[0] == 200
        call = pop.locator(".screen-pop-call", has_text=SECOND_CALLER_AS_SHOWN)
        expect(call).to_be_visible(timeout=POP_TIMEOUT)

        # A colleague takes the call just before she clicks: she is told, and the call leaves her pop.
        with live_app.app_context():
            phone_call = db.session.scalar(sa.select(PhoneCall).where(PhoneCall.call_sid == ring["CallSid"]))
            phone_call.answered_by_id = staff["coordinator"][0]
            db.session.commit()
            db.session.remove()
        call.get_by_role("button", name="Je réponds").click()
        notice = pop.get_by_role("alert")
        expect(notice).to_have_text("Une autre infirmière a déjà répondu à cet appel.", timeout=POP_TIMEOUT)
        expect(call).to_have_count(0)
        page.wait_for_timeout(3500)  # one more poll of the incoming calls: the message stays
        expect(notice).to_be_visible()
        expect(pop).to_be_visible()

        # Logged out meanwhile (idle timeout, another tab): the page keeps no call on screen.
        with live_app.app_context():
            phone_call = db.session.scalar(sa.select(PhoneCall).where(PhoneCall.call_sid == ring["CallSid"]))
            phone_call.answered_by_id = None
            db.session.commit()
            db.session.remove()
        expect(call).to_be_visible(timeout=POP_TIMEOUT + 10_000)  # back once the message has gone
        page.context.clear_cookies()
        expect(pop).to_be_hidden(timeout=POP_TIMEOUT)
    finally:
        _twilio_post(live_app, live_server, "/twilio/status", {**ring, "CallStatus": "completed"})
