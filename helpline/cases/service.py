"""Case management logic: opening, assigning and closing cases."""
from __future__ import annotations

import sqlalchemy as sa

from models import Call, Case, Handoff, User

from .. import audit
from ..extensions import db


def open_case_for_call(call: Call, user: User) -> Case:
    """Open the waiting case for a call's person (one per call) and attach the call's handoffs to it."""
    case = db.session.scalar(sa.select(Case).where(Case.origin_call_id == call.id))
    if case is None:
        case = Case(person_id=call.person_id, origin_call_id=call.id, status="waiting",
                    priority=call.priority or "routine")
        db.session.add(case)
        db.session.flush()
        audit.record("create", "case", case.id, person_id=call.person_id,
                     detail={"origin_call_id": call.id, "status": "waiting"}, user_id=user.id)
    handoffs = db.session.scalars(
        sa.select(Handoff).where(Handoff.call_id == call.id, Handoff.case_id.is_(None))
    ).all()
    for handoff in handoffs:
        handoff.case_id = case.id
    return case
