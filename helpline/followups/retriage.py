"""A new need found during a follow-up opens a new call, so triage runs again; the two are linked."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa

from models import Call, FollowUp, User

from ..audit import record
from ..extensions import db
from ..ids import parse_id


def linkable_followup_id(value) -> Optional[int]:
    """Return the id of the follow-up a new call was opened from, if the value names one."""
    followup_id = parse_id(value)
    if followup_id is None:
        return None
    return db.session.scalar(sa.select(FollowUp.id).where(FollowUp.id == followup_id))


def link_call_to_followup(call: Call, user: User) -> None:
    """Point the follow-up at the call its new need opened (from calls.service.after_call_logged, same transaction)."""
    if call.from_followup_id is None:
        return
    followup = db.session.get(FollowUp, call.from_followup_id)
    if followup is None or followup.person_id != call.person_id:
        call.from_followup_id = None  # the nurse changed person: this call does not follow that follow-up
        return
    if followup.new_call_id is None:
        followup.new_call_id = call.id
        record(
            "update",
            "followup",
            followup.id,
            person_id=followup.person_id,
            user_id=user.id,
            detail={"new_call_id": call.id},
        )
