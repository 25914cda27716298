"""The weekly team meeting: its agenda, the team's decisions and the tasks it gives nurses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Optional

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from models import Call, Person, ReviewItem, Task, User, utcnow
from models.vocabulary import ROUTES

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
    person = selectinload(ReviewItem.call).selectinload(Call.person)
    return list(db.session.scalars(stmt.options(person.selectinload(Person.consents))))  # agreement asked or not


@dataclass
class AgendaEntry:
    """One person on the agenda: her calls waiting for the team (oldest first) and her open case."""

    items: list[ReviewItem]
    open_case: Optional[Any] = None

    @property
    def lead(self) -> ReviewItem:
        """Return the item the team's decision is recorded on (the oldest)."""
        return self.items[0]

    @property
    def person(self):
        """Return the person the calls are about."""
        return self.lead.call.person


def agenda_by_person() -> list[AgendaEntry]:
    """Return the agenda with one entry per person (all her pending calls together), oldest first."""
    from ..cases.service import open_cases_of  # the case-management area; imported when needed

    entries: dict[int, AgendaEntry] = {}
    for item in agenda():
        entries.setdefault(item.call.person_id, AgendaEntry([])).items.append(item)
    open_cases = open_cases_of(list(entries))
    for person_id, entry in entries.items():
        entry.open_case = open_cases.get(person_id)
    return list(entries.values())


def _group(item: ReviewItem) -> list[ReviewItem]:
    """Return the pending items about the same person as this one (it first)."""
    others = [i for i in agenda() if i.call.person_id == item.call.person_id and i.id != item.id]
    return [item, *others]


def recent_decisions(limit: int = 20) -> list[ReviewItem]:
    """Return the latest decisions of the team."""
    stmt = (
        sa.select(ReviewItem)
        .where(ReviewItem.status != "pending")
        .order_by(ReviewItem.decided_at.desc(), ReviewItem.id.desc())
        .options(selectinload(ReviewItem.decided_by))
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def _decide(item: ReviewItem, status: str, user: User) -> None:
    if item.status != "pending":
        raise MeetingError("status", _("The team has already decided on this call."))
    item.status, item.decided_at, item.decided_by_id = status, utcnow(), user.id


@dataclass(frozen=True)
class Agreement:
    """The person's agreement to case management as the meeting records it: the day, and how."""

    given_on: dt.date
    how: str


def _open_case(call: Call, user: User, agreement: Optional[Agreement]):
    """Open a waiting case for a call the team sent to case management, with the person's agreement."""
    from ..cases.agreement import needs_agreement, record_agreement  # the case-management area
    from ..cases.service import open_case_for_call

    if needs_agreement(call.person):
        if agreement is None or not (agreement.how or "").strip():
            raise MeetingError("agrees", _("Tick it: a case opens only with the person's agreement."))
        record_agreement(call.person, agreement.given_on, agreement.how, user)
    return open_case_for_call(call, user)


def validation_needs_agreement(item: ReviewItem) -> bool:
    """Tell whether validating this item opens a case whose person's agreement is still to be recorded."""
    from ..cases.agreement import needs_agreement

    routes = {each.call.route for each in _group(item)}
    return "case_management" in routes and needs_agreement(item.call.person)


def agreement_asked(entries: list[AgendaEntry]) -> tuple[dict[int, bool], dict[int, bool]]:
    """For each agenda entry (by its lead item): whether validating it asks for the person's agreement
    (a call oriented to case management and no agreement yet), and whether her agreement is missing."""
    from ..cases.agreement import needs_agreement

    lacks = {e.lead.id: needs_agreement(e.lead.call.person) for e in entries}
    asks = {e.lead.id: lacks[e.lead.id] and any(i.call.route == "case_management" for i in e.items) for e in entries}
    return asks, lacks


def person_needs_agreement(item: ReviewItem) -> bool:
    """Tell whether the person of an agenda item has not yet agreed to case management."""
    from ..cases.agreement import needs_agreement

    return needs_agreement(item.call.person)


def validate(item: ReviewItem, user: User, agreement: Optional[Agreement] = None):
    """Validate the orientation of a person's calls on the agenda; case management opens (or finds) her case.

    Opening a case needs the person's agreement to case management, recorded then unless it already is.
    Returns the person's open case when a call was oriented to case management (caller commits).
    """
    if item.status != "pending":
        raise MeetingError("status", _("The team has already decided on this call."))
    case = None
    for each in _group(item):
        _decide(each, "validated", user)
        call = each.call
        if call.route == "case_management":
            case = _open_case(call, user, agreement)
        audit.record("validate", "review_item", each.id, person_id=call.person_id, detail={"route": call.route})
    return case


def reorient(item: ReviewItem, new_route: str, reason: str, user: User, agreement: Optional[Agreement] = None):
    """Send a person's calls on the agenda to another route, with the team's reason (caller commits).

    Returns the person's open case when the new route is case management.
    """
    reason = (reason or "").strip()
    if new_route not in ROUTES:
        raise MeetingError("new_route", _("Choose the new route."))
    if new_route == item.call.route:
        raise MeetingError("new_route", _("Choose a route other than the current one, or validate it."))
    if not reason:
        raise MeetingError("reason", _("Give the team's reason."))
    if item.status != "pending":
        raise MeetingError("status", _("The team has already decided on this call."))
    case = None
    for each in _group(item):
        call = each.call
        _decide(each, "reoriented", user)
        each.new_route, each.reason = new_route, reason
        old_route, call.route = call.route, new_route
        audit.record(
            "update",
            "call",
            call.id,
            person_id=call.person_id,
            detail={"route": [old_route, new_route], "by": "team_review", "review_item_id": each.id},
        )
        if new_route == "case_management":
            case = _open_case(call, user, agreement)
    return case


def refuse(item: ReviewItem, new_route: str, how: str, refused_on: dt.date, user: User) -> None:
    """The person declines case management: her refusal is recorded (how, when) and her calls on the agenda go
    to another route with that as the team's reason (caller commits). No case opens."""
    from ..cases.agreement import record_refusal  # the case-management area

    if new_route not in ("information", "external"):
        raise MeetingError("refusal_route", _("Choose where her calls go instead."))
    if item.status != "pending":
        raise MeetingError("status", _("The team has already decided on this call."))
    record_refusal(item.call.person, refused_on, how, user)
    reason = _("The person declines case management: %(how)s", how=how.strip())
    try:
        reorient(item, new_route, reason, user)
    except MeetingError as exc:
        raise MeetingError("refusal_route" if exc.field == "new_route" else exc.field, str(exc)) from None


def add_task(
    title: str,
    due_date: dt.date,
    assignee: User,
    user: User,
    *,
    person_id: Optional[int] = None,
    review_item: Optional[ReviewItem] = None,
) -> Task:
    """Give a task to a helpline nurse (caller commits)."""
    title = (title or "").strip()
    if not title:
        raise MeetingError("title", _("Give the task a title."))
    if not assignee.has_role("nurse"):
        raise MeetingError("assignee", _("Tasks go to a helpline nurse."))
    task = Task(
        title=title,
        due_date=due_date,
        assignee_id=assignee.id,
        person_id=person_id,
        review_item_id=review_item.id if review_item else None,
        created_by_id=user.id,
    )
    db.session.add(task)
    db.session.flush()
    audit.record("create", "task", task.id, person_id=person_id, detail={"assignee_id": assignee.id})
    return task


def open_tasks(user: User) -> list[Task]:
    """Return a nurse's open tasks, soonest due first."""
    stmt = sa.select(Task).where(Task.assignee_id == user.id, Task.done_at.is_(None)).order_by(Task.due_date, Task.id)
    return list(db.session.scalars(stmt))


def tasks_panel(user: User) -> Optional[dict]:
    """Give a nurse's home page her open tasks (hidden when there are none)."""
    tasks = open_tasks(user) if user.has_role("nurse") else []
    return {"tasks": tasks} if tasks else None


def complete_task(task: Task, user: User) -> None:
    """Mark a task done (its nurse or a coordinator; caller commits)."""
    if task.assignee_id != user.id and not user.has_role("coordinator"):
        raise MeetingError("task", _("This task is not yours."))
    if task.done_at is None:
        task.done_at = utcnow()
        audit.record("update", "task", task.id, person_id=task.person_id, detail={"done": True})
