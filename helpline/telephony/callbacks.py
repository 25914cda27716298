"""Calls to return: an inbound call nobody answered becomes a callback on the nurses' home page.

A caller who hung up in the queue, called after hours or left a voicemail is listed once per number
(calling again while the callback is open adds to it). The callback is closed by the next call
logged with that number (the call is linked), or marked unreachable after CALLBACK_MAX_ATTEMPTS
unanswered attempts.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask import current_app

from models import Call, Callback, FollowUp, Person, PhoneCall, User, utcnow
from models.vocabulary import FOLLOWUP_OPEN_STATUSES as OPEN_FOLLOWUP_STATUSES

from .. import audit
from ..extensions import db
from ..persons.service import persons_for_phones
from ..phones import PhoneError, normalise_phone
from .hours import parse_opening_hours


def _dialable(number: Optional[str]) -> Optional[str]:
    """Return the caller's number in E.164 form, or None for a hidden or unusable number."""
    try:
        return normalise_phone(number or "", current_app.config["PHONE_REGION"])
    except PhoneError:
        return None


def was_missed(phone_call: PhoneCall) -> bool:
    """Tell whether an inbound call ended without ever reaching a nurse."""
    return (
        phone_call.direction == "inbound"
        and phone_call.answered_by_id is None
        and phone_call.nurse_call_sid is None
        and phone_call.call_id is None
    )


def missed_reason(phone_call: PhoneCall) -> str:
    """Return why a call was missed as seen from the opening hours: after hours or abandoned."""
    config = current_app.config
    hours = parse_opening_hours(config["HELPLINE_OPENING_HOURS"], config["TIMEZONE"])
    return "abandoned" if hours.is_open(phone_call.started_at) else "after_hours"


def register_missed(phone_call: PhoneCall, reason: Optional[str] = None) -> Optional[Callback]:
    """List a missed inbound call as a number to call back (once per call; merged per number)."""
    if not was_missed(phone_call):
        return None
    reason = reason or missed_reason(phone_call)
    if phone_call.callback_id is not None:
        callback = db.session.get(Callback, phone_call.callback_id)
        if callback is not None and reason == "voicemail" and callback.status == "pending":
            callback.reason = "voicemail"  # the message is the reason worth showing
        return callback
    number = _dialable(phone_call.from_number)
    if number is None or _is_staff_leg(phone_call, number):
        return None
    callback = db.session.scalar(
        sa.select(Callback)
        .where(Callback.phone_number == number, Callback.status == "pending")
        .order_by(Callback.id)
        .limit(1)
    )
    if callback is None:
        callback = Callback(
            phone_number=number,
            reason=reason,
            status="pending",
            missed_count=1,
            first_missed_at=phone_call.started_at,
            last_missed_at=phone_call.started_at,
            attempts=0,
        )
        db.session.add(callback)
    else:
        callback.missed_count += 1
        callback.last_missed_at = max(callback.last_missed_at, phone_call.started_at)
        if reason == "voicemail":
            callback.reason = reason
    db.session.flush()
    phone_call.callback_id = callback.id
    return callback


def _is_staff_leg(phone_call: PhoneCall, number: str) -> bool:
    """Tell whether an inbound leg is a nurse's own (calling the nurses' line), not a caller's."""
    staff = sa.select(User.id).where(User.phone == number)
    bridged = sa.select(PhoneCall.id).where(PhoneCall.nurse_call_sid == phone_call.call_sid)
    return db.session.scalar(sa.select(sa.or_(sa.exists(staff), sa.exists(bridged)))) or False


def pending_callbacks(limit: int = 20) -> list[Callback]:
    """Return the open callbacks, the oldest missed first."""
    stmt = sa.select(Callback).where(Callback.status == "pending").order_by(Callback.first_missed_at).limit(limit)
    return list(db.session.scalars(stmt))


def count_pending() -> int:
    """Return how many callbacks are open."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Callback).where(Callback.status == "pending")) or 0


def pending_for_number(number: Optional[str]) -> Optional[Callback]:
    """Return the open callback of a number, if any."""
    number = _dialable(number)
    if number is None:
        return None
    return db.session.scalar(
        sa.select(Callback).where(Callback.phone_number == number, Callback.status == "pending").limit(1)
    )


def pending_followups(persons: list[Person]) -> list[FollowUp]:
    """Return the open follow-up calls of the given persons, the earliest due first."""
    if not persons:
        return []
    stmt = (
        sa.select(FollowUp)
        .where(FollowUp.person_id.in_([p.id for p in persons]), FollowUp.status.in_(OPEN_FOLLOWUP_STATUSES))
        .order_by(FollowUp.due_date)
        .limit(10)
    )
    return list(db.session.scalars(stmt))


def known_persons(callbacks: list[Callback]) -> dict[int, list[Person]]:
    """Return the persons already known for each callback's number (at most five), by callback id."""
    found = persons_for_phones([cb.phone_number for cb in callbacks], limit=5)
    return {cb.id: found[cb.phone_number] for cb in callbacks}


class CallbackClosedError(Exception):
    """Raised when a callback was already closed (by a logged call or by another nurse)."""


def record_attempt(callback: Callback, user: User, now: Optional[dt.datetime] = None) -> Callback:
    """Count an unanswered attempt; the last allowed one marks the callback unreachable."""
    if callback.status != "pending":
        raise CallbackClosedError()
    now = now or utcnow()
    callback.attempts += 1
    callback.last_attempt_at = now
    if callback.attempts >= current_app.config["CALLBACK_MAX_ATTEMPTS"]:
        callback.status = "unreachable"
        callback.closed_at, callback.closed_by_id = now, user.id
    audit.record(
        "attempt" if callback.status == "pending" else "unreachable",
        "callback",
        callback.id,
        user_id=user.id,
        detail={"attempts": callback.attempts},
    )
    return callback


def close_by_call(call: Call, user: User) -> None:
    """Close the open callback of the number a call was logged with (from calls.service.after_call_logged)."""
    if not call.caller_phone:
        return
    callback = db.session.scalar(
        sa.select(Callback).where(Callback.phone_number == call.caller_phone, Callback.status == "pending").limit(1)
    )
    if callback is None:
        return
    callback.status, callback.call_id = "done", call.id
    callback.closed_at, callback.closed_by_id = utcnow(), user.id
    audit.record(
        "close", "callback", callback.id, person_id=call.person_id, user_id=user.id, detail={"call_id": call.id}
    )
