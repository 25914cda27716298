"""Twilio webhooks under /twilio/: every one checks X-Twilio-Signature and answers TwiML."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, current_app, request

from models import FollowUp, Person, PhoneCall, User, utcnow

from ..extensions import db
from ..ids import parse_id
from ..permissions import WEBHOOK_ENDPOINTS
from ..security import limiter
from . import bp, callbacks, outbound, service, transfer, twiml
from .hours import parse_opening_hours
from .security import twilio_webhook, webhook_url


@limiter.request_filter
def _webhooks_are_not_rate_limited() -> bool:
    """Keep Twilio's webhooks out of the rate limits (a refused webhook is a caller cut off).

    They all come from Twilio's addresses (or from the one reverse proxy in front of the app), so a
    per-address limit would count every caller together; each request is authenticated by its
    signature instead.
    """
    return request.endpoint in WEBHOOK_ENDPOINTS


def _phone_call_or_404(phone_call_id: int) -> PhoneCall:
    return db.get_or_404(PhoneCall, phone_call_id)


@bp.post("/twilio/voice")
@twilio_webhook
def voice():
    """Greet an inbound caller and queue them for the nurses, or give the after-hours message."""
    service.record_inbound(request.form)  # on its own connection: the ORM session stays unused
    config = current_app.config
    hours = parse_opening_hours(config["HELPLINE_OPENING_HOURS"], config["TIMEZONE"])
    if not hours.is_open(utcnow()):
        return twiml.after_hours(
            opening_hours=hours.spoken_french(),
            voicemail_enabled=bool(config["VOICEMAIL_ENABLED"]),
            voicemail_action_url=webhook_url("telephony.voicemail"),
        )
    return twiml.inbound_greeting(
        queue_name=config["TWILIO_QUEUE_NAME"],
        wait_url=webhook_url("telephony.queue_wait"),
        action_url=webhook_url("telephony.queue_leave"),
    )


@bp.post("/twilio/queue/wait")
@twilio_webhook
def queue_wait():
    """Play the hold message to a caller waiting for a nurse."""
    return twiml.queue_wait()


@bp.post("/twilio/queue/leave")
@twilio_webhook
def queue_leave():
    """Note how the caller left the queue (hung up while waiting: a call to return, or bridged)."""
    phone_call = db.session.scalar(sa.select(PhoneCall).where(PhoneCall.call_sid == request.form["CallSid"]))
    if phone_call is not None and request.form.get("QueueResult") == "hangup":
        service.apply_status(phone_call, "canceled")
        callbacks.register_missed(phone_call, "abandoned")
        db.session.commit()
    return twiml.empty()


@bp.post("/twilio/status")
@twilio_webhook
def status():
    """Complete a call record from Twilio's status callback (retries change nothing).

    An inbound call that ends without reaching a nurse becomes a call to return.
    """
    phone_call = service.record_status(request.form)
    if phone_call.status in service.FINAL_STATUSES:
        callbacks.register_missed(phone_call)
    db.session.commit()
    return twiml.empty()


@bp.post("/twilio/nurse")
@twilio_webhook
def nurse_line():
    """Connect a nurse's phone (calling the nurses' access number) to the next waiting caller."""
    nurse = db.session.scalar(sa.select(User).where(User.phone == request.form.get("From"), User.active.is_(True)))
    if nurse is None or not nurse.has_role("nurse"):
        abort(403)
    return twiml.nurse_answer_queue(
        queue_name=current_app.config["TWILIO_QUEUE_NAME"],
        action_url=webhook_url("telephony.nurse_after"),
        bridged_url=webhook_url("telephony.nurse_bridged", nurse=request.form["CallSid"], user=nurse.id),
    )


@bp.post("/twilio/nurse/bridged")
@twilio_webhook
def nurse_bridged():
    """Link the nurse's leg to the caller at the moment they are bridged."""
    nurse = db.session.get(User, parse_id(request.args.get("user")) or 0)
    nurse_sid = request.form.get("DequeingCallSid") or request.args.get("nurse")
    service.record_bridge(request.form["CallSid"], nurse_sid, nurse.phone if nurse else None)
    db.session.commit()
    return twiml.empty()


@bp.post("/twilio/nurse/after")
@twilio_webhook
def nurse_after():
    """Send the nurse into the transfer conference when her caller was moved there."""
    return transfer.nurse_after_bridge(request.form["CallSid"])


@bp.post("/twilio/voicemail")
@twilio_webhook
def voicemail():
    """Thank the caller after a voicemail (only offered when voicemail is switched on); list it to return."""
    if not current_app.config["VOICEMAIL_ENABLED"]:
        abort(404)
    phone_call = db.session.scalar(sa.select(PhoneCall).where(PhoneCall.call_sid == request.form["CallSid"]))
    if phone_call is not None and request.form.get("RecordingSid"):
        phone_call.status = "completed"
        phone_call.ended_at = phone_call.ended_at or utcnow()
        callbacks.register_missed(phone_call, "voicemail")
        db.session.commit()
    return twiml.voicemail_thanks()


@bp.post("/twilio/conference/<int:phone_call_id>/events")
@twilio_webhook
def conference_events(phone_call_id: int):
    """Keep the conference SID and who joined the warm-transfer conference."""
    transfer.conference_event(_phone_call_or_404(phone_call_id), request.form)
    db.session.commit()
    return twiml.empty()


@bp.post("/twilio/transfer/<int:phone_call_id>/case-manager")
@twilio_webhook
def case_manager_status(phone_call_id: int):
    """Follow the case manager's leg; tell the nurse when they do not answer."""
    transfer.case_manager_status(_phone_call_or_404(phone_call_id), request.form.get("CallStatus", ""))
    db.session.commit()
    return twiml.empty()


@bp.post("/twilio/transfer/<int:phone_call_id>/no-answer")
@twilio_webhook
def transfer_no_answer(phone_call_id: int):
    """Announce to the nurse that the case manager did not answer."""
    phone_call = _phone_call_or_404(phone_call_id)
    target = db.session.get(User, phone_call.transfer_to_id) if phone_call.transfer_to_id else None
    return twiml.transfer_no_answer(case_manager_name=target.name if target else None)


@bp.post("/twilio/followups/<int:followup_id>/bridge")
@twilio_webhook
def followup_bridge(followup_id: int):
    """Once the nurse answers, dial the person of the follow-up with the helpline's number."""
    return outbound.bridge(db.get_or_404(FollowUp, followup_id), request.form)


@bp.post("/twilio/followups/<int:followup_id>/result")
@twilio_webhook
def followup_result(followup_id: int):
    """Record how the follow-up call to the person ended."""
    return outbound.record_result(db.get_or_404(FollowUp, followup_id), request.form)


@bp.post("/twilio/persons/<int:person_id>/bridge")
@twilio_webhook
def number_bridge(person_id: int):
    """Once the nurse answers, dial the person's number she chose, with the helpline's number."""
    return outbound.number_bridge(db.get_or_404(Person, person_id), request.form)


@bp.post("/twilio/persons/<int:person_id>/result")
@twilio_webhook
def number_result(person_id: int):
    """Record how the call to the person's number ended."""
    return outbound.record_number_result(db.get_or_404(Person, person_id), request.form)
