"""Check the TwiML documents by parsing them as XML."""

import xml.etree.ElementTree as ET

import pytest

from helpline.telephony import twiml


def parse(document: str) -> ET.Element:
    """Parse a TwiML string and return its <Response> root."""
    root = ET.fromstring(document.encode("utf-8"))
    assert root.tag == "Response"
    return root


def tags(root: ET.Element) -> list[str]:
    """Return the tags of the verbs directly under <Response>."""
    return [child.tag for child in root]


def test_inbound_greeting_says_french_then_enqueues_with_urls():
    root = parse(
        twiml.inbound_greeting(
            queue_name="infirmieres", wait_url="https://h.example/wait", action_url="https://h.example/left-queue"
        )
    )
    assert tags(root) == ["Say", "Enqueue"]
    say, enqueue = root
    assert say.get("language") == "fr-FR"
    assert "infirmière" in say.text
    assert enqueue.text == "infirmieres"
    assert enqueue.get("waitUrl") == "https://h.example/wait"
    assert enqueue.get("action") == "https://h.example/left-queue"
    assert enqueue.get("method") == "POST"


def test_inbound_greeting_requires_urls():
    with pytest.raises(ValueError, match="wait_url"):
        twiml.inbound_greeting(queue_name="q", wait_url="", action_url="https://h.example/a")


def test_queue_wait_plays_music_when_given():
    root = parse(twiml.queue_wait(music_url="https://h.example/music.mp3"))
    assert tags(root) == ["Say", "Play"]
    assert root.find("Say").get("language") == "fr-FR"
    assert root.find("Play").text == "https://h.example/music.mp3"
    assert tags(parse(twiml.queue_wait())) == ["Say", "Pause"]


def test_nurse_answer_queue_dials_the_queue():
    root = parse(twiml.nurse_answer_queue(queue_name="infirmieres"))
    assert root.find("Dial/Queue").text == "infirmieres"


def test_after_hours_gives_112_and_hours_and_hangs_up_without_voicemail():
    root = parse(twiml.after_hours(opening_hours="du lundi au vendredi de 9 h à 17 h."))
    assert tags(root) == ["Say", "Say", "Hangup"]
    message = root[0].text
    assert "112" in message
    assert "du lundi au vendredi de 9 h à 17 h." in message
    assert "h.." not in message
    assert all(say.get("language") == "fr-FR" for say in root.iter("Say"))
    assert root.find("Record") is None


def test_after_hours_offers_voicemail_only_when_enabled():
    root = parse(
        twiml.after_hours(
            opening_hours="9 h - 17 h",
            voicemail_enabled=True,
            voicemail_action_url="https://h.example/voicemail",
            recording_status_callback="https://h.example/recording",
            max_length_seconds=90,
        )
    )
    assert tags(root) == ["Say", "Say", "Record", "Say", "Hangup"]
    assert "112" in root[0].text
    record = root.find("Record")
    assert record.get("action") == "https://h.example/voicemail"
    assert record.get("maxLength") == "90"
    assert record.get("playBeep") == "true"
    assert record.get("recordingStatusCallback") == "https://h.example/recording"


def test_after_hours_voicemail_needs_an_action_url():
    with pytest.raises(ValueError, match="voicemail_action_url"):
        twiml.after_hours(opening_hours="9-17", voicemail_enabled=True)


def conference_of(document: str) -> ET.Element:
    """Return the <Conference> element of a <Dial><Conference> document."""
    conference = parse(document).find("Dial/Conference")
    assert conference is not None
    return conference


def test_caller_waits_for_staff_and_ends_conference_on_exit():
    document = twiml.caller_to_conference(
        conference_name="transfert-CA1",
        wait_url="https://h.example/hold",
        status_callback="https://h.example/conference-events",
    )
    root = parse(document)
    assert tags(root) == ["Say", "Dial"]
    assert root.find("Say").get("language") == "fr-FR"
    conference = conference_of(document)
    assert conference.text == "transfert-CA1"
    assert conference.get("startConferenceOnEnter") == "false"
    assert conference.get("endConferenceOnExit") == "true"
    assert conference.get("waitUrl") == "https://h.example/hold"
    assert conference.get("statusCallback") == "https://h.example/conference-events"
    assert set(conference.get("statusCallbackEvent").split()) == {"start", "end", "join", "leave"}


def test_nurse_can_leave_without_ending_the_conference():
    conference = conference_of(twiml.nurse_to_conference(conference_name="transfert-CA1"))
    assert conference.text == "transfert-CA1"
    assert conference.get("startConferenceOnEnter") == "true"
    assert conference.get("endConferenceOnExit") == "false"
    assert conference.get("beep") == "false"


def test_conference_name_is_required():
    with pytest.raises(ValueError, match="conference_name"):
        twiml.nurse_to_conference(conference_name="  ")


def test_transfer_no_answer_only_speaks_so_it_fits_an_announcement():
    root = parse(twiml.transfer_no_answer(case_manager_name="Luc"))
    assert tags(root) == ["Say"]
    assert "Luc" in root[0].text
    assert "reste en ligne avec vous" in root[0].text
    assert root[0].get("language") == "fr-FR"


def test_outbound_bridge_dials_person_with_helpline_caller_id():
    root = parse(
        twiml.outbound_bridge(
            person_number="+32470123456",
            helpline_number="+3225550000",
            action_url="https://h.example/bridge-result",
            timeout_seconds=25,
        )
    )
    assert tags(root) == ["Say", "Dial"]
    dial = root.find("Dial")
    assert dial.get("callerId") == "+3225550000"
    assert dial.get("action") == "https://h.example/bridge-result"
    assert dial.get("timeout") == "25"
    numbers = dial.findall("Number")
    assert [n.text for n in numbers] == ["+32470123456"]


def test_outbound_bridge_rejects_bad_timeout():
    with pytest.raises(ValueError):
        twiml.outbound_bridge(
            person_number="+32470123456",
            helpline_number="+3225550000",
            action_url="https://h.example/r",
            timeout_seconds=0,
        )


@pytest.mark.parametrize(
    "status,expect_say", [("no-answer", True), ("busy", True), ("failed", True), ("completed", False), ("", False)]
)
def test_outbound_bridge_result(status, expect_say):
    root = parse(twiml.outbound_bridge_result(dial_call_status=status))
    assert tags(root) == (["Say", "Hangup"] if expect_say else ["Hangup"])


def test_texts_are_escaped_not_injected():
    root = parse(twiml.transfer_no_answer(case_manager_name="<Hangup/> & co"))
    assert tags(root) == ["Say"]
    assert "<Hangup/> & co" in root[0].text
