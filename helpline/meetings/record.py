"""The meeting's record (date, attendees, decisions with reasons) and the cases followed this week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from models import Call, Case, FollowUp, Meeting, MeetingDecision, Relay, ReviewItem, Task, User, utcnow
from models.vocabulary import FOLLOWED_REASONS

from .. import audit
from ..extensions import db
from ..formatting import local_now
from .service import MeetingError

WEEK = dt.timedelta(days=7)


def reassessment_due(case: Case) -> Optional[dt.date]:
    """Return when an active case must next be reassessed (from its last assessment, else its assignment)."""
    from ..cases.reviews import due_dates  # the case-management area; imported when needed

    due = due_dates([case]).get(case.id)
    return due.reassessment if due else None


def current_meeting() -> Optional[Meeting]:
    """Return the meeting being held (started, not closed), if any."""
    stmt = sa.select(Meeting).where(Meeting.closed_at.is_(None)).order_by(Meeting.id.desc()).limit(1)
    return db.session.scalar(stmt)


def start_meeting(held_on: dt.date, attendee_ids: list[int], user: User) -> Meeting:
    """Open the record of a meeting with its date and attendees (caller commits)."""
    if current_meeting() is not None:
        raise MeetingError("held_on", _("A meeting is already being held: close it first."))
    attendees = list(db.session.scalars(sa.select(User).where(User.id.in_(attendee_ids), User.active.is_(True))))
    if not attendees:
        raise MeetingError("attendees", _("Tick who attends the meeting."))
    meeting = Meeting(held_on=held_on, created_by_id=user.id, attendees=attendees)
    db.session.add(meeting)
    db.session.flush()
    audit.record(
        "create",
        "meeting",
        meeting.id,
        user_id=user.id,
        detail={"held_on": held_on.isoformat(), "attendees": [u.id for u in attendees]},
    )
    return meeting


def close_meeting(meeting: Meeting, user: User) -> None:
    """Close a meeting's record (caller commits)."""
    if meeting.closed_at is None:
        meeting.closed_at = utcnow()
        audit.record("update", "meeting", meeting.id, user_id=user.id, detail={"closed": True})


def record_decision(
    meeting: Meeting,
    person_id: int,
    decision: str,
    reason: str,
    user: User,
    *,
    case_id: Optional[int] = None,
    review_item_id: Optional[int] = None,
) -> MeetingDecision:
    """Record one decision of the team about a person, with its reason (caller commits)."""
    decision, reason = (decision or "").strip(), (reason or "").strip()
    if not decision:
        raise MeetingError("decision", _("Write the team's decision."))
    if meeting.closed_at is not None:
        raise MeetingError("decision", _("This meeting is closed."))
    row = MeetingDecision(
        meeting_id=meeting.id,
        person_id=person_id,
        case_id=case_id,
        review_item_id=review_item_id,
        decision=decision,
        reason=reason,
        by_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "create",
        "meeting_decision",
        row.id,
        person_id=person_id,
        user_id=user.id,
        detail={"meeting_id": meeting.id, "case_id": case_id},
    )
    return row


def past_meetings(limit: int = 50) -> list[Meeting]:
    """Return the meetings held, newest first."""
    stmt = sa.select(Meeting).options(selectinload(Meeting.attendees), selectinload(Meeting.decisions))  # shown
    return list(db.session.scalars(stmt.order_by(Meeting.held_on.desc(), Meeting.id.desc()).limit(limit)))


@dataclass
class FollowedCase:
    """An active case the team looks at this week, and why."""

    case: Case
    reasons: list[str] = field(default_factory=list)
    reassessment_due: Optional[dt.date] = None
    plan_review_due: Optional[dt.date] = None


def followed_this_week(today: Optional[dt.date] = None) -> list[FollowedCase]:
    """Return the active cases with a relayed call, a rupture, an overdue reassessment, plan item or plan
    review, or a follow-up that found an unmet need during the past week."""
    from ..cases.plans import items_due  # the case-management area; imported when needed
    from ..cases.reviews import due_dates

    today = today or local_now().date()
    since = utcnow() - WEEK
    # Loaded with each case: what the agenda shows of it.
    loaded = (selectinload(Case.person), selectinload(Case.case_manager))
    cases = {c.id: c for c in db.session.scalars(sa.select(Case).options(*loaded).where(Case.status == "active"))}
    if not cases:
        return []
    found: dict[int, FollowedCase] = {}

    def flag(case_id: int, reason: str) -> None:
        entry = found.setdefault(case_id, FollowedCase(cases[case_id]))
        if reason not in entry.reasons:
            entry.reasons.append(reason)

    ids = list(cases)
    relayed = sa.select(Relay.case_id).where(Relay.case_id.in_(ids), Relay.created_at >= since)
    for case_id in db.session.scalars(relayed):
        flag(case_id, "relay")
    by_person = {c.person_id: c.id for c in cases.values()}
    ruptures = sa.select(Call.person_id, Call.rupture_events).where(
        Call.person_id.in_(list(by_person)), Call.started_at >= since
    )
    for person_id, events in db.session.execute(ruptures):
        if events:
            flag(by_person[person_id], "rupture")
    dues = due_dates(list(cases.values()))
    for case_id, due in dues.items():
        if due.reassessment < today:
            flag(case_id, "reassessment_overdue")
            found[case_id].reassessment_due = due.reassessment
    for item in items_due(ids, within_days=-1, today=today):
        flag(item.plan.case_id, "plan_item_overdue")
    for case_id, due in dues.items():
        if due.plan_review < today:
            flag(case_id, "plan_review_overdue")
            found[case_id].plan_review_due = due.plan_review
    unmet = sa.select(FollowUp.person_id).where(
        FollowUp.person_id.in_(list(by_person)),
        FollowUp.status == "done",
        FollowUp.completed_at >= since,
        sa.or_(
            FollowUp.new_needs.is_(True), FollowUp.services_in_place.is_(False), FollowUp.services_working.is_(False)
        ),
    )
    for person_id in db.session.scalars(unmet):
        flag(by_person[person_id], "unmet_need")
    order = {r: i for i, r in enumerate(FOLLOWED_REASONS)}
    return sorted(found.values(), key=lambda f: (min(order[r] for r in f.reasons), f.case.id))


def decisions_for(user: User, limit: int = 50) -> list[MeetingDecision]:
    """Return the team's decisions that concern a nurse (her calls) or a case manager (her cases)."""
    stmt = (
        sa.select(MeetingDecision)
        .options(selectinload(MeetingDecision.person), selectinload(MeetingDecision.meeting))  # the list shows both
        .order_by(MeetingDecision.created_at.desc(), MeetingDecision.id.desc())
    )
    if user.has_role("coordinator"):
        return list(db.session.scalars(stmt.limit(limit)))
    mine = []
    if user.has_role("nurse"):
        mine.append(
            MeetingDecision.review_item_id.in_(
                sa.select(ReviewItem.id).join(Call, ReviewItem.call_id == Call.id).where(Call.nurse_id == user.id)
            )
        )
        mine.append(
            MeetingDecision.id.in_(
                sa.select(MeetingDecision.id)
                .join(
                    Task,
                    sa.and_(Task.meeting_id == MeetingDecision.meeting_id, Task.person_id == MeetingDecision.person_id),
                )
                .where(Task.assignee_id == user.id)
            )
        )
    if user.has_role("case_manager"):
        mine.append(MeetingDecision.person_id.in_(sa.select(Case.person_id).where(Case.case_manager_id == user.id)))
    if not mine:
        return []
    return list(db.session.scalars(stmt.where(sa.or_(*mine)).limit(limit)))


def agenda_for(user: User) -> dict:
    """Return the parts of the current agenda that concern a nurse or a case manager."""
    from .service import agenda_by_person

    entries = (
        [e for e in agenda_by_person() if any(i.call.nurse_id == user.id for i in e.items)]
        if user.has_role("nurse")
        else []
    )
    followed = (
        [f for f in followed_this_week() if f.case.case_manager_id == user.id] if user.has_role("case_manager") else []
    )
    return {"entries": entries, "followed": followed}
