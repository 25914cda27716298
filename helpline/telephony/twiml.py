"""Build the TwiML documents returned by the helpline's telephony webhooks.

Every function is pure: it takes plain values (URLs, names, numbers, texts)
and returns the TwiML document as a string. Spoken texts are French and are
read with ``language="fr-FR"``.

Warm transfer conference flags (see ``caller_to_conference`` and friends):

* caller: ``startConferenceOnEnter=false`` (hears the wait music until a
  helpline member is present), ``endConferenceOnExit=true`` (if the caller
  hangs up there is nobody left to help, so everyone is released);
* nurse: ``startConferenceOnEnter=true``, ``endConferenceOnExit=false`` so
  she can introduce the caller and leave while the conference goes on;
* case manager (dialled in by ``transfer.py`` through the gateway's
  ``add_participant``): ``startConferenceOnEnter=true``, ``endConferenceOnExit=true``
  so that, once the nurse has left, the end of the conversation releases the
  caller instead of leaving them alone in a silent room.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Twilio's TwiML classes are imported at the first webhook, not at every start
    from twilio.twiml.voice_response import VoiceResponse

LANGUAGE = "fr-FR"
EMERGENCY_NUMBER = "112"

DEFAULT_GREETING = (
    "Bonjour et bienvenue sur la ligne d'écoute et d'orientation. "
    "Une infirmière va vous répondre dans quelques instants."
)
DEFAULT_QUEUE_WAIT_MESSAGE = (
    "Toutes nos infirmières sont occupées. Merci de rester en ligne, nous vous répondons dès que possible."
)
DEFAULT_TRANSFER_HOLD_MESSAGE = "Nous vous mettons en relation avec un gestionnaire de cas. Merci de rester en ligne."
DEFAULT_BRIDGE_ANNOUNCEMENT = "Appel de suivi en cours. Merci de patienter."
FOLLOWUP_CLOSED_MESSAGE = "Ce suivi a été clôturé entre-temps : la personne n'est pas appelée."

_DIAL_FAILURE_MESSAGES = {
    "busy": "La ligne de la personne est occupée.",
    "no-answer": "La personne n'a pas répondu.",
    "failed": "L'appel n'a pas pu aboutir.",
    "canceled": "L'appel a été annulé.",
}
_CONFERENCE_EVENTS = "start end join leave"


def _require(value: str | None, name: str) -> str:
    """Return ``value`` stripped, or raise ``ValueError`` when it is empty."""
    if value is None or not str(value).strip():
        raise ValueError(f"{name} must be a non-empty string")
    return str(value).strip()


def _response() -> VoiceResponse:
    """Return an empty TwiML ``<Response>``."""
    from twilio.twiml.voice_response import VoiceResponse

    return VoiceResponse()


def _say(response: VoiceResponse, text: str, voice: str | None) -> None:
    """Append a French ``<Say>`` to ``response``."""
    response.say(text, language=LANGUAGE, voice=voice)


@functools.lru_cache(maxsize=64)  # the same few strings on every inbound call
def inbound_greeting(
    *,
    queue_name: str,
    wait_url: str,
    action_url: str,
    greeting: str = DEFAULT_GREETING,
    voice: str | None = None,
) -> str:
    """Greet an inbound caller in French and put them in the nurses' queue."""
    response = _response()
    _say(response, _require(greeting, "greeting"), voice)
    response.enqueue(
        _require(queue_name, "queue_name"),
        wait_url=_require(wait_url, "wait_url"),
        wait_url_method="POST",
        action=_require(action_url, "action_url"),
        method="POST",
    )
    return str(response)


def voicemail_thanks(*, voice: str | None = None) -> str:
    """Thank the caller for their message and hang up."""
    response = _response()
    _say(response, "Merci, votre message a bien été enregistré. Au revoir.", voice)
    response.hangup()
    return str(response)


def queue_wait(
    *,
    message: str = DEFAULT_QUEUE_WAIT_MESSAGE,
    music_url: str | None = None,
    voice: str | None = None,
) -> str:
    """Play the hold message (and optional music) to a caller waiting in the queue."""
    response = _response()
    _say(response, _require(message, "message"), voice)
    if music_url:
        response.play(music_url)
    else:
        response.pause(length=10)
    return str(response)


def nurse_answer_queue(*, queue_name: str, action_url: str | None = None, bridged_url: str | None = None) -> str:
    """Connect the answering nurse to the first caller waiting in the queue.

    ``bridged_url`` is requested for the caller at the moment of the bridge; that
    request carries both legs' SIDs (``CallSid`` and ``DequeingCallSid``).
    """
    response = _response()
    dial = response.dial(action=action_url, method="POST" if action_url else None)
    dial.queue(_require(queue_name, "queue_name"), url=bridged_url, method="POST" if bridged_url else None)
    return str(response)


def empty() -> str:
    """Return an empty document: Twilio carries on with what it was doing."""
    return str(_response())


def after_hours(
    *,
    opening_hours: str,
    voicemail_enabled: bool = False,
    voicemail_action_url: str | None = None,
    recording_status_callback: str | None = None,
    max_length_seconds: int = 120,
    voice: str | None = None,
) -> str:
    """Tell the caller the line is closed, give 112 and the hours, offer voicemail if enabled."""
    hours = _require(opening_hours, "opening_hours").rstrip(". ")
    if voicemail_enabled and max_length_seconds <= 0:
        raise ValueError("max_length_seconds must be positive")
    response = _response()
    _say(
        response,
        "La ligne d'écoute est actuellement fermée. "
        f"En cas d'urgence, appelez le {EMERGENCY_NUMBER}. "
        f"Nos heures d'ouverture sont : {hours}.",
        voice,
    )
    if voicemail_enabled:
        _say(
            response,
            "Vous pouvez laisser un message après le bip. Appuyez sur dièse pour terminer.",
            voice,
        )
        response.record(
            action=_require(voicemail_action_url, "voicemail_action_url"),
            method="POST",
            max_length=max_length_seconds,
            finish_on_key="#",
            play_beep=True,
            timeout=5,
            recording_status_callback=recording_status_callback,
            recording_status_callback_method="POST" if recording_status_callback else None,
        )
        _say(response, "Aucun message n'a été enregistré. Au revoir.", voice)
    else:
        _say(response, "Merci de votre appel. Au revoir.", voice)
    response.hangup()
    return str(response)


def _conference(
    conference_name: str,
    *,
    start_on_enter: bool,
    end_on_exit: bool,
    wait_url: str | None = None,
    status_callback: str | None = None,
    intro: str | None = None,
    voice: str | None = None,
) -> str:
    """Return a ``<Dial><Conference>`` document with the given warm-transfer flags."""
    response = _response()
    if intro:
        _say(response, intro, voice)
    dial = response.dial()
    dial.conference(
        _require(conference_name, "conference_name"),
        start_conference_on_enter=start_on_enter,
        end_conference_on_exit=end_on_exit,
        beep=False,
        wait_url=wait_url,
        wait_method="POST" if wait_url else None,
        status_callback=status_callback,
        status_callback_method="POST" if status_callback else None,
        status_callback_event=_CONFERENCE_EVENTS if status_callback else None,
    )
    return str(response)


def caller_to_conference(
    *,
    conference_name: str,
    wait_url: str | None = None,
    status_callback: str | None = None,
    hold_message: str | None = DEFAULT_TRANSFER_HOLD_MESSAGE,
    voice: str | None = None,
) -> str:
    """Move the caller into the warm-transfer conference; their hang-up ends it."""
    return _conference(
        conference_name,
        start_on_enter=False,
        end_on_exit=True,
        wait_url=wait_url,
        status_callback=status_callback,
        intro=hold_message,
        voice=voice,
    )


def nurse_to_conference(*, conference_name: str, status_callback: str | None = None) -> str:
    """Join the nurse to the conference so that she can leave without ending it."""
    return _conference(
        conference_name,
        start_on_enter=True,
        end_on_exit=False,
        status_callback=status_callback,
    )


def transfer_no_answer(*, case_manager_name: str | None = None, voice: str | None = None) -> str:
    """Tell the nurse the case manager did not answer and the caller is still with her."""
    who = "Le gestionnaire de cas"
    if case_manager_name and case_manager_name.strip():
        who = f"{who} {case_manager_name.strip()}"
    response = _response()
    _say(
        response,
        f"{who} n'a pas répondu. L'appelant reste en ligne avec vous.",
        voice,
    )
    return str(response)


def outbound_bridge(
    *,
    person_number: str,
    helpline_number: str,
    action_url: str,
    timeout_seconds: int = 30,
    announcement: str | None = DEFAULT_BRIDGE_ANNOUNCEMENT,
    voice: str | None = None,
) -> str:
    """Once the nurse answers, dial the person showing the helpline number."""
    if timeout_seconds <= 0:
        raise ValueError("timeout_seconds must be positive")
    response = _response()
    if announcement:
        _say(response, announcement, voice)
    dial = response.dial(
        caller_id=_require(helpline_number, "helpline_number"),
        action=_require(action_url, "action_url"),
        method="POST",
        timeout=timeout_seconds,
    )
    dial.number(_require(person_number, "person_number"))
    return str(response)


def followup_closed(voice: str | None = None) -> str:
    """Tell the nurse the follow-up was closed meanwhile (the person is not dialled), then hang up."""
    response = _response()
    _say(response, FOLLOWUP_CLOSED_MESSAGE, voice)
    response.hangup()
    return str(response)


def outbound_bridge_result(*, dial_call_status: str, voice: str | None = None) -> str:
    """Tell the nurse why the follow-up call did not connect, then hang up."""
    response = _response()
    message = _DIAL_FAILURE_MESSAGES.get((dial_call_status or "").strip().lower())
    if message:
        _say(response, message, voice)
    response.hangup()
    return str(response)
