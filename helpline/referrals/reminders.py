"""The one reminder to a structure that has not answered a referral within REFERRAL_ANSWER_DAYS."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from models import OutboxMessage, Referral, Structure

from ..extensions import db
from .messages import queue_answer_reminder
from .service import overdue_cutoff


def remind_structures(now: Optional[dt.datetime] = None) -> int:
    """Queue the reminder of every overdue referral not reminded yet, commit, and count them."""
    reminded = sa.select(OutboxMessage.object_id).where(OutboxMessage.kind == "referral_reminder")
    overdue = db.session.scalars(
        sa.select(Referral)
        .join(Structure, Structure.id == Referral.structure_id)
        .where(
            Referral.status == "sent",
            Referral.sent_at < overdue_cutoff(now),
            Structure.email.is_not(None),
            Structure.email != "",
            Referral.id.not_in(reminded),
        )
        .options(selectinload(Referral.structure))
        .order_by(Referral.id)
    ).all()
    for referral in overdue:
        queue_answer_reminder(referral)
    db.session.commit()
    return len(overdue)
