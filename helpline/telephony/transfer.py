"""Warm transfer: caller, nurse and case manager in one conference; the nurse then leaves."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Optional

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from models import Call, Handoff, PhoneCall, User

from .. import audit
from ..extensions import db
from . import twiml
from .gateway import TelephonyError
from .security import webhook_url
from .service import FINAL_STATUSES, gateway, notify

log = logging.getLogger(__name__)
FAILED_LEG = frozenset({"no-answer", "busy", "failed", "canceled"})
ACTIVE_TRANSFER = frozenset({"dialing", "joined", "no-answer"})


class TransferError(Exception):
    """Raised when a transfer cannot start; the message is shown to the nurse."""


def live_phone_call(call: Call) -> Optional[PhoneCall]:
    """Return the live phone call attached to a logged call, if the caller is still on the line."""
    stmt = (
        sa.select(PhoneCall)
        .where(PhoneCall.call_id == call.id, PhoneCall.status.not_in(FINAL_STATUSES))
        .order_by(PhoneCall.started_at.desc())
    )
    return db.session.scalar(stmt.limit(1))


def case_managers() -> list[User]:
    """Return the active case managers who can be dialled (a phone is on file)."""
    stmt = (
        sa.select(User)
        .where(User.active.is_(True), User.roles.contains("case_manager"), User.phone.is_not(None), User.phone != "")
        .order_by(User.name)
    )
    return [u for u in db.session.scalars(stmt) if u.has_role("case_manager")]


def _handoff(call: Call) -> Optional[Handoff]:
    """Return the latest handoff note written for a call."""
    stmt = sa.select(Handoff).where(Handoff.call_id == call.id).order_by(Handoff.id.desc())
    return db.session.scalar(stmt.limit(1))


def transfer_call(call: Call, case_manager: User, nurse: User) -> PhoneCall:
    """Warm-transfer the caller of a logged call to a case manager."""
    phone_call = live_phone_call(call)
    if phone_call is None:
        raise TransferError(_("The caller is no longer on the line."))
    return start_transfer(phone_call, case_manager, nurse, call=call)


def start_transfer(phone_call: PhoneCall, case_manager: User, nurse: User, call: Optional[Call] = None) -> PhoneCall:
    """Move the caller into a conference, bring the nurse in and dial the case manager."""
    if phone_call.status in FINAL_STATUSES:
        raise TransferError(_("The caller is no longer on the line."))
    if phone_call.transfer_status in ("dialing", "joined"):
        raise TransferError(_("A transfer is already under way for this call."))
    if not case_manager.phone or not case_manager.has_role("case_manager"):
        raise TransferError(_("This case manager has no phone number on file."))
    if phone_call.nurse_call_sid is None and not nurse.phone:
        raise TransferError(_("Your phone number is not on file: you cannot join the conference."))
    handoff = _handoff(call) if call is not None else None
    phone_call.conference_name = f"transfert-{phone_call.id}-{secrets.token_hex(4)}"
    phone_call.transfer_to_id, phone_call.transfer_status = case_manager.id, "dialing"
    if handoff is not None:
        handoff.conference_name = phone_call.conference_name
        phone_call.handoff_id = handoff.id
    audit.record(
        "transfer",
        "phone_call",
        phone_call.id,
        person_id=call.person_id if call else None,
        detail={
            "conference": phone_call.conference_name,
            "to_user_id": case_manager.id,
            "call_id": call.id if call else None,
        },
    )
    # Committed before Twilio moves the caller: the nurse's leg asks where to go at once.
    db.session.commit()
    _dial_legs(phone_call, case_manager, nurse)
    return phone_call


def _dial_legs(phone_call: PhoneCall, case_manager: User, nurse: User) -> None:
    """Ask Twilio to move the caller, bring the nurse if needed, and dial the case manager."""
    gw, name = gateway(), phone_call.conference_name
    events = webhook_url("telephony.conference_events", phone_call_id=phone_call.id)
    try:
        gw.redirect_call(
            phone_call.call_sid, twiml=twiml.caller_to_conference(conference_name=name, status_callback=events)
        )
    except TelephonyError as exc:
        phone_call.transfer_status = "failed"
        db.session.commit()
        log.warning("warm transfer could not move the caller: %s", exc)
        raise TransferError(_("Twilio could not move the caller: the call goes on as before.")) from exc
    try:
        if phone_call.nurse_call_sid is None:
            leg = gw.add_participant(name, to=nurse.phone, end_conference_on_exit=False, label="nurse")
            phone_call.nurse_call_sid = leg.call_sid
        gw.add_participant(
            name,
            to=case_manager.phone,
            label="case-manager",
            timeout=int(current_app.config["TRANSFER_RING_SECONDS"]),
            status_callback=webhook_url("telephony.case_manager_status", phone_call_id=phone_call.id),
        )
    except TelephonyError as exc:
        log.warning("warm transfer could not dial a participant: %s", exc)
        case_manager_status(phone_call, "failed")
    db.session.commit()


def nurse_after_bridge(nurse_call_sid: str) -> str:
    """Return the TwiML for the nurse's leg once her caller left the bridge."""
    phone_call = db.session.scalar(
        sa.select(PhoneCall)
        .where(PhoneCall.nurse_call_sid == nurse_call_sid)
        .order_by(PhoneCall.started_at.desc())
        .limit(1)
    )
    if (
        phone_call is None
        or not phone_call.conference_name
        or phone_call.status in FINAL_STATUSES
        or phone_call.transfer_status not in ACTIVE_TRANSFER
    ):
        return twiml.empty()
    events = webhook_url("telephony.conference_events", phone_call_id=phone_call.id)
    return twiml.nurse_to_conference(conference_name=phone_call.conference_name, status_callback=events)


def conference_event(phone_call: PhoneCall, params: Mapping[str, str]) -> None:
    """Keep the conference SID; note when the case manager has joined."""
    if params.get("FriendlyName") not in (None, phone_call.conference_name):
        return  # an event of an earlier transfer attempt
    phone_call.conference_sid = params.get("ConferenceSid") or phone_call.conference_sid
    joined = params.get("StatusCallbackEvent") == "participant-join"
    if joined and params.get("ParticipantLabel") == "case-manager":
        phone_call.transfer_status = "joined"


def case_manager_status(phone_call: PhoneCall, status: str) -> None:
    """Follow the case manager's leg; when it fails, warn the nurse and keep the caller with her."""
    status = (status or "").strip().lower()
    if status in ("in-progress", "answered") and phone_call.transfer_status == "dialing":
        phone_call.transfer_status = "joined"
        return
    if status not in FAILED_LEG or phone_call.transfer_status != "dialing":
        return  # a retry, or the end of a conversation that did take place
    phone_call.transfer_status = "no-answer"
    target = db.session.get(User, phone_call.transfer_to_id) if phone_call.transfer_to_id else None
    if phone_call.answered_by_id:
        link = url_for("calls.detail", call_id=phone_call.call_id) if phone_call.call_id else None
        notify(
            phone_call.answered_by_id,
            f"transfer-{phone_call.conference_name}",
            _(
                "%(name)s did not answer: the caller is still with you.",
                name=target.name if target else _("The case manager"),
            ),
            link,
        )
    _announce_no_answer(phone_call)


def _announce_no_answer(phone_call: PhoneCall) -> None:
    """Tell the nurse on the line, and make her hang-up release the caller rather than strand them."""
    if not (phone_call.conference_sid and phone_call.nurse_call_sid):
        return
    try:
        gateway().update_participant(
            phone_call.conference_sid,
            phone_call.nurse_call_sid,
            end_conference_on_exit=True,
            announce_url=webhook_url("telephony.transfer_no_answer", phone_call_id=phone_call.id),
        )
    except TelephonyError as exc:
        log.warning("could not announce the failed transfer to the nurse: %s", exc)
