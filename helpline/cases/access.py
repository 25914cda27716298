"""Who may see which case: a case manager their own cases, coordinators all of them."""

from __future__ import annotations

from typing import Optional

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import selectinload

from models import Call, Case, User

from .. import audit
from ..extensions import db


def can_view_case(user: User, case: Case) -> bool:
    """Tell whether a user may open a case."""
    if user.has_role("coordinator"):
        return True
    return user.has_role("case_manager") and case.case_manager_id == user.id


def get_case_or_403(case_id: int, *, audit_read: bool = False) -> Case:
    """Return a case the current user may open (recording the read if asked), or stop with 404/403."""
    case = db.get_or_404(Case, case_id)
    if not can_view_case(current_user, case):
        audit.record("denied", "case", case.id, person_id=case.person_id)
        db.session.commit()
        abort(403)
    if audit_read:
        audit.record_read("case", case.id, case.person_id)
    return case


def visible_cases(user: User, status: Optional[str] = None) -> list[Case]:
    """Return the cases a user may see (their own, or all for a coordinator), newest first."""
    stmt = (
        sa.select(Case)
        .options(selectinload(Case.person), selectinload(Case.case_manager))  # the list shows both
        .order_by(Case.opened_at.desc(), Case.id.desc())
    )
    if not user.has_role("coordinator"):
        stmt = stmt.where(Case.case_manager_id == user.id)
    if status:
        stmt = stmt.where(Case.status == status)
    return list(db.session.scalars(stmt.limit(500)))


def manages_person(user: User, person_id: int) -> bool:
    """Tell whether a case manager holds (or held until closure) a case of this person."""
    stmt = sa.select(Case.id).where(Case.person_id == person_id, Case.case_manager_id == user.id).limit(1)
    return db.session.scalar(stmt) is not None


def can_read_call(user: User, call: Call) -> bool:
    """Tell whether a user may read a call: nurses and coordinators all, a case manager those about her persons."""
    if user.has_role("nurse", "coordinator"):
        return True
    return user.has_role("case_manager") and manages_person(user, call.person_id)
