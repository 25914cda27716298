"""The referral lifecycle: sent → accepted or declined → done, every change kept with who and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Optional

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from models import Call, Referral, ReferralEvent, Structure, User, utcnow
from models.vocabulary import DECLINE_REASONS, NEXT_STATUSES, UNSUCCESSFUL_REASONS

from .. import audit
from ..extensions import db
from ..formatting import local_now
from ..phones import display_phone
from ..vocabulary import TOPIC_LABELS

DEFAULT_FOLLOW_UP_DAYS = (30, 182)


class ReferralError(ValueError):
    """A referral change that is not allowed; `field` names the form field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def default_message(call: Call) -> str:
    """Prefill the message for a structure: the request only, without the call's other details."""
    person = call.person
    lines = [f"{person.display_name}"]
    if person.postcode:
        lines.append(person.postcode)
    if person.phone:
        lines.append(display_phone(person.phone))
    topics = ", ".join(str(TOPIC_LABELS.get(t, t)) for t in call.topics)
    if topics:
        lines.append(topics)
    if call.summary:
        lines.append("")
        lines.append(call.summary)
    return "\n".join(lines)


def create_referrals(
    call: Call, structures: Iterable[Structure], message: str, consent_checked: bool, user: User
) -> list[Referral]:
    """Send one referral per structure, log the history and schedule the follow-ups (caller commits)."""
    structures = list(structures)
    if not structures:
        raise ReferralError("structures", _("Choose at least one structure."))
    if not consent_checked:
        raise ReferralError("consent_checked", _("The person's consent is required."))
    if not message.strip():
        raise ReferralError("message", _("Write the message for the structure."))
    from ..followups.schedule import schedule_followups
    from .messages import queue_referral_message

    referrals = []
    today = local_now().date()
    for structure in structures:
        referral = Referral(
            call_id=call.id,
            person_id=call.person_id,
            structure_id=structure.id,
            category=structure.category,
            message=message.strip(),
            consent_checked=True,
            status="sent",
            created_by_id=user.id,
            sent_at=utcnow(),
            status_changed_at=utcnow(),
        )
        referral.events.append(ReferralEvent(from_status=None, to_status="sent", by_id=user.id))
        db.session.add(referral)
        db.session.flush()
        schedule_followups(
            call.person_id, today, call.follow_up_days or DEFAULT_FOLLOW_UP_DAYS, referral_id=referral.id
        )
        audit.record(
            "create",
            "referral",
            referral.id,
            person_id=call.person_id,
            detail={"structure_id": structure.id, "call_id": call.id},
        )
        queue_referral_message(referral)  # in this transaction: saved together, or not at all
        referrals.append(referral)
    return referrals


def change_status(
    referral: Referral,
    to_status: str,
    user: Optional[User],
    *,
    outcome: Optional[str] = None,
    reason: Optional[str] = None,
    note: Optional[str] = None,
    via: Optional[str] = None,
) -> ReferralEvent:
    """Move a referral to its next status, keeping the change in its history (caller commits).

    `user` is None when the structure answered through its link (`via="link"`).
    """
    note = (note or "").strip() or None
    if to_status not in NEXT_STATUSES.get(referral.status, ()):
        raise ReferralError("status", _("This referral cannot change to this status now."))
    if to_status == "declined" and reason not in DECLINE_REASONS:
        raise ReferralError("reason", _("Give the reason the structure declined."))
    if to_status == "done":
        if outcome not in ("successful", "unsuccessful"):
            raise ReferralError("outcome", _("Say whether the referral succeeded."))
        if outcome == "unsuccessful" and reason not in UNSUCCESSFUL_REASONS:
            raise ReferralError("reason", _("Give the reason it did not succeed."))
        if outcome == "successful":
            reason = None
    elif to_status == "accepted":
        reason = None
    if reason == "other" and not note:
        raise ReferralError("note", _("Describe the other reason."))
    event = ReferralEvent(
        from_status=referral.status,
        to_status=to_status,
        outcome=outcome if to_status == "done" else None,
        reason=reason,
        note=note,
        by_id=user.id if user else None,
        via=via,
        at=utcnow(),
    )
    referral.events.append(event)
    referral.status, referral.status_changed_at = to_status, event.at
    if to_status in ("declined", "done"):
        referral.outcome = outcome if to_status == "done" else None
        referral.reason, referral.reason_text = reason, note
    audit.record(
        "update",
        "referral",
        referral.id,
        person_id=referral.person_id,
        detail={
            "from": event.from_status,
            "to": to_status,
            "outcome": outcome,
            "reason": reason,
            **({"via": via} if via else {}),
        },
    )
    return event


def overdue_cutoff(now: Optional[dt.datetime] = None) -> dt.datetime:
    """Return the moment before which a referral still "sent" has waited too long for an answer."""
    days = int(current_app.config.get("REFERRAL_ANSWER_DAYS", 7))
    return (now or utcnow()) - dt.timedelta(days=days)


def is_overdue(referral: Referral, now: Optional[dt.datetime] = None) -> bool:
    """Tell whether a referral has had no answer from its structure for too long."""
    return referral.status == "sent" and referral.sent_at < overdue_cutoff(now)


def count_overdue(user: Optional[User] = None) -> int:
    """Count overdue referrals (of one nurse when given)."""
    stmt = sa.select(sa.func.count(Referral.id)).where(Referral.status == "sent", Referral.sent_at < overdue_cutoff())
    if user is not None:
        stmt = stmt.where(Referral.created_by_id == user.id)
    return db.session.scalar(stmt) or 0
