"""The SMS reminder sent the working day before a follow-up call, to persons who agreed to it."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Optional

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from models import FollowUp, Person, utcnow

from ..audit import record
from ..extensions import db
from ..formatting import format_day
from ..telephony.gateway import TelephonyError, gateway_from_config
from .schedule import next_working_day

log = logging.getLogger(__name__)


def reminder_text(due: dt.date) -> str:
    """Return the reminder's text: when the helpline will call, and nothing about health."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _(
            "Hello, the helpline will call you on %(date)s to hear how things are going. "
            "No need to answer this message.",
            date=format_day(due, "long"),
        )


def reminders_due(today: dt.date) -> list[FollowUp]:
    """Return the follow-ups due on the next working day whose person may get a reminder."""
    due = next_working_day(today + dt.timedelta(days=1))
    stmt = (
        sa.select(FollowUp)
        .join(Person, FollowUp.person_id == Person.id)
        .where(
            FollowUp.due_date == due,
            FollowUp.status.in_(("pending", "claimed")),
            FollowUp.attempts == 0,
            FollowUp.reminder_sent_at.is_(None),
            Person.phone.is_not(None),
            Person.pseudonymised_at.is_(None),
        )
        .options(selectinload(FollowUp.person).selectinload(Person.consents))
        .order_by(FollowUp.id)
    )
    return [f for f in db.session.scalars(stmt) if f.person.has_consent("sms")]


def _mark_sent(followup_id: int, at: Optional[dt.datetime]) -> bool:
    """Set or clear the reminder's time, only if it is in the expected state; tell whether it was."""
    expected = FollowUp.reminder_sent_at.is_(None) if at else FollowUp.reminder_sent_at.is_not(None)
    result = db.session.execute(
        sa.update(FollowUp)
        .where(FollowUp.id == followup_id, expected)
        .values(reminder_sent_at=at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def send_reminders(today: dt.date, gateway=None) -> int:
    """Send tomorrow's reminders, each at most once; return how many were sent.

    The reminder is marked sent (and committed) before the SMS goes, so a second run never sends
    it again; if the gateway refuses, the mark is cleared so a later run can try again.
    """
    gateway = gateway or gateway_from_config(current_app.config)
    sent = 0
    for followup in reminders_due(today):
        followup_id, person_id, phone = followup.id, followup.person_id, followup.person.phone
        body = reminder_text(followup.due_date)
        if not _mark_sent(followup_id, utcnow()):
            db.session.rollback()
            continue
        db.session.commit()
        try:
            gateway.send_sms(to=phone, body=body)
        except TelephonyError:
            log.exception("follow-up reminder %s not sent", followup_id)
            _mark_sent(followup_id, None)
            db.session.commit()
            continue
        record("notify", "followup", followup_id, person_id=person_id, detail={"channel": "sms"})
        db.session.commit()
        sent += 1
    return sent
