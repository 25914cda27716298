"""A case over time: reassigning it (leave, turnover), a whole caseload at once, and reopening it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from models import Case, CaseEvent, FollowUp, Notification, User, utcnow

from .. import audit
from ..extensions import db
from ..followups.cancellation import CASE_REOPENED, cancel_followup
from ..followups.worklist import OPEN_STATUSES
from ..formatting import add_months, local_now
from .service import caseload_of, open_case_of


class ContinuityError(ValueError):
    """A reassignment or reopening that cannot be made; `field` names the form field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def _tell(user: User, case: Case, key: str) -> None:
    """Tell a case manager a case was given to her (once per key)."""
    if db.session.scalar(sa.select(Notification.id).where(Notification.key == key)) is not None:
        return
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        message = _("The case of %(name)s was given to you.", name=case.person.display_name)
    db.session.add(Notification(user_id=user.id, key=key, message=message, link=f"/cases/{case.id}"))


def _check_room(manager: User, needed: int = 1) -> None:
    if not manager.active or not manager.has_role("case_manager"):
        raise ContinuityError("case_manager_id", _("Choose an active case manager."))
    room = caseload_of(manager).room
    if room < needed:
        raise ContinuityError(
            "case_manager_id",
            ngettext(
                "%(name)s has room for %(num)s case, not %(needed)s: capacity or this month's intake is reached.",
                "%(name)s has room for %(num)s cases, not %(needed)s: capacity or this month's intake is reached.",
                room,
                name=manager.name,
                needed=needed,
            ),
        )


def _move(case: Case, manager: User, note: str, by: User) -> CaseEvent:
    event = CaseEvent(
        case_id=case.id,
        kind="reassigned",
        by_id=by.id,
        from_user_id=case.case_manager_id,
        to_user_id=manager.id,
        note=note,
    )
    db.session.add(event)
    case.case_manager_id, case.assigned_at = manager.id, utcnow()
    db.session.flush()
    audit.record(
        "update",
        "case",
        case.id,
        person_id=case.person_id,
        user_id=by.id,
        detail={"case_manager_id": [event.from_user_id, manager.id], "by": "reassignment"},
    )
    _tell(manager, case, f"case:{case.id}:given:{event.id}")
    return event


def reassign_case(case: Case, manager: User, note: str, by: User) -> CaseEvent:
    """Give an active case to another case manager who has room, with a note (caller commits)."""
    note = (note or "").strip()
    if case.status != "active":
        raise ContinuityError("case_manager_id", _("Only an active case can be reassigned."))
    if manager.id == case.case_manager_id:
        raise ContinuityError("case_manager_id", _("Choose another case manager than the current one."))
    if not note:
        raise ContinuityError("note", _("Say why the case changes hands (leave, turnover…)."))
    _check_room(manager)
    return _move(case, manager, note, by)


def reassign_caseload(from_manager: User, to_manager: User, note: str, by: User) -> int:
    """Give every active case of one case manager to another who has room for all; return how many."""
    note = (note or "").strip()
    if from_manager.id == to_manager.id:
        raise ContinuityError("case_manager_id", _("Choose another case manager than the current one."))
    if not note:
        raise ContinuityError("note", _("Say why the case changes hands (leave, turnover…)."))
    cases = list(
        db.session.scalars(
            sa.select(Case).where(Case.case_manager_id == from_manager.id, Case.status == "active").order_by(Case.id)
        )
    )
    _check_room(to_manager, len(cases))
    for case in cases:
        _move(case, to_manager, note, by)
    return len(cases)


def reopen_deadline(case: Case):
    """Return the last day a closed case can be reopened."""
    return add_months(case.closed_at.astimezone(local_now().tzinfo).date(), current_app.config["CASE_REOPEN_MONTHS"])


def can_reopen(case: Case) -> bool:
    """Tell whether a closed case is still within the reopening period."""
    return case.status == "closed" and case.closed_at is not None and local_now().date() <= reopen_deadline(case)


def reopen_case(case: Case, note: str, by: User) -> int:
    """Reopen a closed case within the period: its open closure follow-ups are cancelled, its history goes on.

    The case goes back to its case manager when she has room, else to the waiting list. Returns how
    many follow-ups were cancelled (caller commits).
    """
    note = (note or "").strip()
    if not can_reopen(case):
        raise ContinuityError("note", _("This case can no longer be reopened: open a new one."))
    if not note:
        raise ContinuityError("note", _("Say why the case is reopened."))
    if open_case_of(case.person_id) is not None:
        raise ContinuityError("note", _("The person already has an open case."))
    followups = db.session.scalars(
        sa.select(FollowUp).where(FollowUp.case_id == case.id, FollowUp.status.in_(OPEN_STATUSES))
    ).all()
    cancelled = sum(cancel_followup(f, CASE_REOPENED, by.id) for f in followups)
    manager = case.case_manager
    back = manager is not None and manager.active and not caseload_of(manager).full
    db.session.add(
        CaseEvent(case_id=case.id, kind="reopened", by_id=by.id, to_user_id=manager.id if back else None, note=note)
    )
    case.status = "active" if back else "waiting"
    if not back:
        case.case_manager_id, case.assigned_at = None, None
    case.closed_at, case.closure_reason = None, None
    audit.record(
        "update",
        "case",
        case.id,
        person_id=case.person_id,
        user_id=by.id,
        detail={"status": case.status, "reopened": True, "followups_cancelled": cancelled},
    )
    return cancelled
