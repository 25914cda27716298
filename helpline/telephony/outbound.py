"""Outbound calls: ring the nurse, then bridge her to the person of a follow-up or to any of her numbers."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from models import FollowUp, Person, PhoneCall, User, utcnow

from .. import audit
from ..extensions import db
from ..followups.worklist import OPEN_STATUSES
from ..persons.contacts import is_number_of
from . import twiml
from .gateway import TelephonyError
from .security import webhook_url
from .service import apply_status, gateway, upsert_phone_call


class OutboundCallError(Exception):
    """Raised when a follow-up call cannot be placed; the message is shown to the nurse."""


def helpline_number() -> str:
    """Return the number the person sees (the helpline's own)."""
    return str(gateway().phone_number or current_app.config.get("TWILIO_PHONE_NUMBER") or "")


def call_followup(followup: FollowUp, nurse: User) -> PhoneCall:
    """Ring the nurse's phone; Twilio then asks for the bridge to the person."""
    if followup.status not in OPEN_STATUSES:
        raise OutboundCallError(_("This follow-up is closed: the person is not called."))
    if not nurse.phone:
        raise OutboundCallError(_("Your phone number is not on file: add it to your profile first."))
    if not followup.person.phone:
        raise OutboundCallError(_("No phone number is on file for this person."))
    if not helpline_number():
        raise OutboundCallError(_("The helpline's phone number is not configured."))
    try:
        result = gateway().create_call(
            to=nurse.phone,
            url=webhook_url("telephony.followup_bridge", followup_id=followup.id),
            status_callback=webhook_url("telephony.status"),
        )
    except TelephonyError as exc:
        raise OutboundCallError(_("The call could not be placed: %(error)s", error=str(exc))) from exc
    phone_call = upsert_phone_call(
        result.sid,
        direction="outbound",
        status="queued",
        from_number=helpline_number()[:20],
        to_number=followup.person.phone,
        followup_id=followup.id,
        answered_by_id=nurse.id,
        started_at=utcnow(),
    )
    audit.record("call", "followup", followup.id, person_id=followup.person_id, detail={"phone_call_id": phone_call.id})
    return phone_call


def bridge(followup: FollowUp, params: Mapping[str, str]) -> str:
    """Return the TwiML that dials the person once the nurse has picked up."""
    phone_call = upsert_phone_call(
        params["CallSid"],
        direction="outbound",
        status="in-progress",
        to_number=followup.person.phone,
        followup_id=followup.id,
        started_at=utcnow(),
    )
    apply_status(phone_call, "in-progress")
    db.session.commit()
    if followup.status not in OPEN_STATUSES:  # cancelled or done while the nurse's phone rang
        return twiml.followup_closed()
    if not followup.person.phone:
        return twiml.outbound_bridge_result(dial_call_status="failed")
    return twiml.outbound_bridge(
        person_number=followup.person.phone,
        helpline_number=helpline_number(),
        action_url=webhook_url("telephony.followup_result", followup_id=followup.id),
    )


def record_result(followup: FollowUp, params: Mapping[str, str]) -> str:
    """Keep the outcome of the leg to the person on the follow-up's phone call."""
    phone_call = upsert_phone_call(
        params["CallSid"], direction="outbound", status="in-progress", followup_id=followup.id, started_at=utcnow()
    )
    dial_status = (params.get("DialCallStatus") or "").strip().lower()[:20] or None
    if phone_call.dial_status != dial_status:
        phone_call.dial_status = dial_status
        audit.record(
            "call_result",
            "followup",
            followup.id,
            person_id=followup.person_id,
            user_id=phone_call.answered_by_id,
            detail={"phone_call_id": phone_call.id, "dial_status": dial_status},
        )
    db.session.commit()
    return twiml.outbound_bridge_result(dial_call_status=dial_status or "")


CALLBACK_ANNOUNCEMENT = "Appel sortant de la ligne en cours. Merci de patienter."


def call_number(person: Person, number: str, nurse: User) -> PhoneCall:
    """Ring the nurse's phone, then (on the bridge webhook) one of the person's numbers."""
    if not nurse.phone:
        raise OutboundCallError(_("Your phone number is not on file: add it to your profile first."))
    if not number or not is_number_of(person, number):
        raise OutboundCallError(_("This number is not one of this person's numbers: it is not called."))
    if not helpline_number():
        raise OutboundCallError(_("The helpline's phone number is not configured."))
    try:
        result = gateway().create_call(
            to=nurse.phone,
            url=webhook_url("telephony.number_bridge", person_id=person.id),
            status_callback=webhook_url("telephony.status"),
        )
    except TelephonyError as exc:
        raise OutboundCallError(_("The call could not be placed: %(error)s", error=str(exc))) from exc
    phone_call = upsert_phone_call(
        result.sid,
        direction="outbound",
        status="queued",
        from_number=helpline_number()[:20],
        to_number=number,
        answered_by_id=nurse.id,
        started_at=utcnow(),
    )
    audit.record("call", "person", person.id, person_id=person.id, detail={"phone_call_id": phone_call.id})
    return phone_call


def _outbound_leg(person: Person, params: Mapping[str, str]) -> PhoneCall | None:
    """Return the outbound call this nurse leg belongs to (placed by call_number for this person)."""
    return db.session.scalar(
        sa.select(PhoneCall).where(
            PhoneCall.call_sid == params.get("CallSid", ""),
            PhoneCall.direction == "outbound",
            PhoneCall.followup_id.is_(None),
        )
    )


def number_bridge(person: Person, params: Mapping[str, str]) -> str:
    """Return the TwiML that dials the chosen number once the nurse has picked up."""
    phone_call = _outbound_leg(person, params)
    # Checked again now: a number removed from her record while the nurse's phone rang is not dialled.
    if phone_call is None or not phone_call.to_number or not is_number_of(person, phone_call.to_number):
        return twiml.outbound_bridge_result(dial_call_status="failed")
    apply_status(phone_call, "in-progress")
    db.session.commit()
    return twiml.outbound_bridge(
        person_number=phone_call.to_number,
        helpline_number=helpline_number(),
        announcement=CALLBACK_ANNOUNCEMENT,
        action_url=webhook_url("telephony.number_result", person_id=person.id),
    )


def record_number_result(person: Person, params: Mapping[str, str]) -> str:
    """Keep the outcome of the leg to the number on the phone call."""
    phone_call = _outbound_leg(person, params)
    dial_status = (params.get("DialCallStatus") or "").strip().lower()[:20] or None
    if phone_call is not None and phone_call.dial_status != dial_status:
        phone_call.dial_status = dial_status
        audit.record(
            "call_result",
            "person",
            person.id,
            person_id=person.id,
            user_id=phone_call.answered_by_id,
            detail={"phone_call_id": phone_call.id, "dial_status": dial_status},
        )
        db.session.commit()
    return twiml.outbound_bridge_result(dial_call_status=dial_status or "")
