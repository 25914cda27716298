"""Case management logic: opening cases, caseloads, assignment and closure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from models import Call, Case, Handoff, User, utcnow

from .. import audit
from ..extensions import db
from ..followups.cancellation import PERSON_DIED, cancel_open_followups
from ..followups.schedule import schedule_followups
from ..formatting import local_now, local_zone
from .agreement import NoAgreement, needs_agreement

PRIORITY_ORDER = {"immediate": 0, "high": 1, "routine": 2}
CLOSURE_FOLLOWUP_DAYS = (30, 182)
# Closure reasons after which nobody is called back: the person's open follow-ups are cancelled too.
NO_FOLLOWUP_REASONS = ("died",)


class CaseloadFull(Exception):
    """The chosen case manager has no room (capacity or this month's intake reached)."""


def open_case_for_call(call: Call, user: User) -> Case:
    """Open the waiting case for a call's person and attach the call's handoffs to it.

    A person has one open case at most: when she already has one (waiting or active), that case is
    returned and no second one is opened.
    """
    case = db.session.scalar(sa.select(Case).where(Case.origin_call_id == call.id))
    if case is None:
        case = open_case_of(call.person_id)
    if case is None:
        case = Case(
            person_id=call.person_id, origin_call_id=call.id, status="waiting", priority=call.priority or "routine"
        )
        db.session.add(case)
        db.session.flush()
        audit.record(
            "create",
            "case",
            case.id,
            person_id=call.person_id,
            detail={"origin_call_id": call.id, "status": "waiting"},
            user_id=user.id,
        )
    handoffs = db.session.scalars(sa.select(Handoff).where(Handoff.call_id == call.id, Handoff.case_id.is_(None))).all()
    for handoff in handoffs:
        handoff.case_id = case.id
    return case


def open_case_of(person_id: int) -> Optional[Case]:
    """Return the person's open case (waiting or active), if she has one."""
    stmt = (
        sa.select(Case)
        .where(Case.person_id == person_id, Case.status.in_(("waiting", "active")))
        .order_by(Case.opened_at, Case.id)
        .limit(1)
    )
    return db.session.scalar(stmt)


def open_cases_of(person_ids: list[int]) -> dict[int, Case]:
    """Return each person's open case (the one `open_case_of` gives), with its manager, in one SELECT."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return {}
    stmt = (
        sa.select(Case)
        .options(selectinload(Case.case_manager))
        .where(Case.person_id.in_(ids), Case.status.in_(("waiting", "active")))
        .order_by(Case.opened_at, Case.id)
    )
    found: dict[int, Case] = {}
    for case in db.session.scalars(stmt):
        found.setdefault(case.person_id, case)
    return found


@dataclass(frozen=True)
class Caseload:
    """A case manager's load: active cases and this month's intake against their limits."""

    user: User
    active: int
    intake: int

    @property
    def room(self) -> int:
        """Return how many more cases the case manager can take now."""
        return max(0, min(self.user.capacity - self.active, self.user.monthly_intake - self.intake))

    @property
    def full(self) -> bool:
        """Tell whether the case manager can take no new case."""
        return self.room == 0


def month_start_utc(now: Optional[dt.datetime] = None) -> dt.datetime:
    """Return the start of the current local month, in UTC."""
    now = (now or local_now()).astimezone(local_zone())
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


def case_managers() -> list[User]:
    """Return the active case managers, by name."""
    stmt = sa.select(User).where(User.active.is_(True), User.roles.contains("case_manager")).order_by(User.name)
    return [u for u in db.session.scalars(stmt) if u.has_role("case_manager")]


def caseloads() -> list[Caseload]:
    """Return every case manager's caseload, the one with most room first."""
    managers = case_managers()
    ids = [u.id for u in managers]
    active = dict(
        db.session.execute(
            sa.select(Case.case_manager_id, sa.func.count())
            .where(Case.case_manager_id.in_(ids), Case.status == "active")
            .group_by(Case.case_manager_id)
        ).all()
    )
    intake = dict(
        db.session.execute(
            sa.select(Case.case_manager_id, sa.func.count())
            .where(Case.case_manager_id.in_(ids), Case.assigned_at >= month_start_utc())
            .group_by(Case.case_manager_id)
        ).all()
    )
    loads = [Caseload(u, active.get(u.id, 0), intake.get(u.id, 0)) for u in managers]
    return sorted(loads, key=lambda c: (-c.room, c.active, c.user.name))


def caseload_of(user: User) -> Caseload:
    """Return one case manager's caseload."""
    return next((c for c in caseloads() if c.user.id == user.id), Caseload(user, 0, 0))


def propose_case_manager() -> Optional[User]:
    """Return the case manager with the most room, or None when all are full."""
    loads = caseloads()
    return loads[0].user if loads and not loads[0].full else None


def waiting_list() -> list[Case]:
    """Return the cases waiting for a case manager, by priority then date."""
    stmt = sa.select(Case).options(selectinload(Case.person)).where(Case.status == "waiting")  # the list shows her
    cases = db.session.scalars(stmt.order_by(Case.opened_at, Case.id))
    return sorted(cases, key=lambda c: PRIORITY_ORDER.get(c.priority, 9))


def assign_case(case: Case, manager: User, by: User) -> Case:
    """Give a waiting case to a case manager who has room; the person's agreement must be recorded."""
    if case.status != "waiting":
        raise ValueError("only a waiting case can be assigned")
    if not manager.has_role("case_manager") or caseload_of(manager).full:
        raise CaseloadFull(manager.name)
    if needs_agreement(case.person):
        raise NoAgreement(case.person_id)
    case.case_manager_id, case.status, case.assigned_at = manager.id, "active", utcnow()
    audit.record(
        "update",
        "case",
        case.id,
        person_id=case.person_id,
        user_id=by.id,
        detail={"status": "active", "case_manager_id": manager.id},
    )
    return case


def close_case(case: Case, reason: str, note: str, closed_on: dt.date, by: User) -> int:
    """Close an active case with a reason and schedule the helpline's follow-ups after it (a waiting case
    closes too when the person declines case management: the line still calls her back).

    After a death nothing is scheduled and the person's open follow-ups are cancelled; returns how
    many were (the caller commits).
    """
    if case.status != "active" and not (case.status == "waiting" and reason == "refused"):
        raise ValueError("only an active case can be closed (a waiting one when the person declines)")
    case.status, case.closure_reason = "closed", reason
    case.closure_note = note.strip() or None
    case.closed_at = utcnow()
    cancelled = 0
    if reason in NO_FOLLOWUP_REASONS:
        cancelled = cancel_open_followups(case.person_id, PERSON_DIED, by.id)
    else:
        schedule_followups(case.person_id, closed_on, CLOSURE_FOLLOWUP_DAYS, case_id=case.id)
    audit.record(
        "update",
        "case",
        case.id,
        person_id=case.person_id,
        user_id=by.id,
        detail={"status": "closed", "closure_reason": reason, "closed_on": closed_on.isoformat()},
    )
    return cancelled
