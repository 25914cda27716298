"""The weekly team meeting: its agenda, the team's decisions and the tasks it gives nurses."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from models import Call, ReviewItem, Task, User, utcnow
from models.call import ROUTES

from .. import audit
from ..extensions import db


class MeetingError(ValueError):
    """A meeting decision that cannot be recorded; `field` names the form field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def needs_review(call: Call) -> bool:
    """Tell whether a call's decision must go to the team meeting."""
    return bool(call.team_review) or call.route == "case_management"


def put_on_agenda(call: Call, user: Optional[User] = None) -> Optional[ReviewItem]:
    """Add a call to the meeting's agenda when its decision needs the team (once per call)."""
    if not needs_review(call):
        return None
    item = db.session.scalar(sa.select(ReviewItem).where(ReviewItem.call_id == call.id))
    if item is None:
        item = ReviewItem(call_id=call.id, status="pending", added_at=utcnow())
        db.session.add(item)
        db.session.flush()
    return item


def agenda() -> list[ReviewItem]:
    """Return the items waiting for the team, oldest first."""
    stmt = sa.select(ReviewItem).where(ReviewItem.status == "pending").order_by(ReviewItem.added_at, ReviewItem.id)
    return list(db.session.scalars(stmt))


def recent_decisions(limit: int = 20) -> list[ReviewItem]:
    """Return the latest decisions of the team."""
    stmt = (sa.select(ReviewItem).where(ReviewItem.status != "pending")
            .order_by(ReviewItem.decided_at.desc(), ReviewItem.id.desc()).limit(limit))
    return list(db.session.scalars(stmt))


def _decide(item: ReviewItem, status: str, user: User) -> None:
    if item.status != "pending":
        raise MeetingError("status", _("The team has already decided on this call."))
    item.status, item.decided_at, item.decided_by_id = status, utcnow(), user.id


def _open_case(call: Call, user: User):
    """Open a waiting case for a call the team sent to case management."""
    from ..cases.service import open_case_for_call  # the case-management area; imported when needed

    return open_case_for_call(call, user)


def validate(item: ReviewItem, user: User) -> None:
    """Validate the call's orientation; a case-management one opens a waiting case (caller commits)."""
    _decide(item, "validated", user)
    call = item.call
    if call.route == "case_management":
        _open_case(call, user)
    audit.record("validate", "review_item", item.id, person_id=call.person_id, detail={"route": call.route})


def reorient(item: ReviewItem, new_route: str, reason: str, user: User) -> None:
    """Send the call to another route, with the team's reason, and apply it to the call (caller commits)."""
    reason = (reason or "").strip()
    call = item.call
    if new_route not in ROUTES:
        raise MeetingError("new_route", _("Choose the new route."))
    if new_route == call.route:
        raise MeetingError("new_route", _("Choose a route other than the current one, or validate it."))
    if not reason:
        raise MeetingError("reason", _("Give the team's reason."))
    _decide(item, "reoriented", user)
    item.new_route, item.reason = new_route, reason
    old_route, call.route = call.route, new_route
    audit.record("update", "call", call.id, person_id=call.person_id,
                 detail={"route": [old_route, new_route], "by": "team_review", "review_item_id": item.id})
    if new_route == "case_management":
        _open_case(call, user)


def add_task(title: str, due_date: dt.date, assignee: User, user: User, *, person_id: Optional[int] = None,
             review_item: Optional[ReviewItem] = None) -> Task:
    """Give a task to a helpline nurse (caller commits)."""
    title = (title or "").strip()
    if not title:
        raise MeetingError("title", _("Give the task a title."))
    if not assignee.has_role("nurse"):
        raise MeetingError("assignee", _("Tasks go to a helpline nurse."))
    task = Task(title=title, due_date=due_date, assignee_id=assignee.id, person_id=person_id,
                review_item_id=review_item.id if review_item else None, created_by_id=user.id)
    db.session.add(task)
    db.session.flush()
    audit.record("create", "task", task.id, person_id=person_id, detail={"assignee_id": assignee.id})
    return task


def open_tasks(user: User) -> list[Task]:
    """Return a nurse's open tasks, soonest due first."""
    stmt = (sa.select(Task).where(Task.assignee_id == user.id, Task.done_at.is_(None))
            .order_by(Task.due_date, Task.id))
    return list(db.session.scalars(stmt))


def complete_task(task: Task, user: User) -> None:
    """Mark a task done (its nurse or a coordinator; caller commits)."""
    if task.assignee_id != user.id and not user.has_role("coordinator"):
        raise MeetingError("task", _("This task is not yours."))
    if task.done_at is None:
        task.done_at = utcnow()
        audit.record("update", "task", task.id, person_id=task.person_id, detail={"done": True})
