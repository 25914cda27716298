"""The plan reviewed with the person over time, and what falls due on a case.

A plan review records who took part in drawing up or reviewing the individual service plan (the
person, a carer, the GP, others: the plan is co-produced) and the day of the next review. A plan
version can be marked as shared with the person's GP. Each active case has two due dates:

- its reassessment, `CASE_REASSESSMENT_MONTHS` after its last assessment (or its assignment);
- its plan review, the next review day set at the last review, or `CASE_PLAN_REVIEW_MONTHS` after its
  assignment while the plan was never reviewed with the person.

Both are computed for many cases in a fixed number of queries (the case manager's home, the
coordinator's list of overdue cases, the weekly meeting).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from models import Assessment, Case, PlanReview, ServicePlan, User

from .. import audit
from ..extensions import db
from ..formatting import add_months, local_now, to_local
from .course import CaseClosed

# The case manager's home lists what falls due within this many days (and everything overdue).
UPCOMING_DAYS = 30


class ReviewError(ValueError):
    """A plan review or a sharing that cannot be recorded; `field` names the form field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _start(case: Case) -> dt.date:
    """Return the day the case's follow-up started (its assignment, else its opening), local time."""
    return to_local(case.assigned_at or case.opened_at).date()


def proposed_next_review(reviewed_on: dt.date) -> dt.date:
    """Return the next review day proposed after a review on `reviewed_on`."""
    return add_months(reviewed_on, current_app.config["CASE_PLAN_REVIEW_MONTHS"])


def record_review(
    case: Case,
    by: User,
    *,
    reviewed_on: dt.date,
    next_review_on: dt.date,
    with_person: bool,
    with_carer: bool,
    carer_name: str = "",
    with_gp: bool = False,
    others: str = "",
    note: str = "",
) -> PlanReview:
    """Record that the plan was drawn up or reviewed with the person on a day, and who took part (caller commits).

    The plan is co-produced: the person or her carer takes part. Refused with the field at fault.
    """
    if case.status != "active":
        raise CaseClosed(case.id)
    today = local_now().date()
    if reviewed_on > today:
        raise ReviewError("reviewed_on", _("The review cannot be in the future."))
    if next_review_on <= reviewed_on:
        raise ReviewError("next_review_on", _("The next review must come after this one."))
    if not (with_person or with_carer):
        raise ReviewError("with_person", _("The plan is drawn up with the person or her carer: tick who took part."))
    carer_name = (carer_name or "").strip()
    if with_carer and not carer_name:
        raise ReviewError("carer_name", _("Name the carer who took part."))
    from .plans import current_plan

    plan = current_plan(case)
    review = PlanReview(
        case_id=case.id,
        plan_id=plan.id if plan else None,
        reviewed_on=reviewed_on,
        next_review_on=next_review_on,
        with_person=with_person,
        with_carer=with_carer,
        carer_name=carer_name if with_carer else None,
        with_gp=with_gp,
        others=(others or "").strip() or None,
        note=(note or "").strip(),
        by_id=by.id,
    )
    db.session.add(review)
    db.session.flush()
    audit.record(
        "create",
        "plan_review",
        review.id,
        person_id=case.person_id,
        user_id=by.id,
        detail={"case_id": case.id, "plan_version": plan.version if plan else None},
    )
    return review


def reviews_of(case: Case) -> list[PlanReview]:
    """Return the case's plan reviews, the latest first, with who recorded them and the version reviewed."""
    stmt = (
        sa.select(PlanReview)
        .options(selectinload(PlanReview.by), selectinload(PlanReview.plan))  # the plan page shows both
        .where(PlanReview.case_id == case.id)
        .order_by(PlanReview.reviewed_on.desc(), PlanReview.id.desc())
    )
    return list(db.session.scalars(stmt))


def share_with_gp(case: Case, plan: ServicePlan, shared_on: dt.date, by: User) -> None:
    """Record that this plan version was given to the person's GP on a day (caller commits)."""
    if shared_on > local_now().date():
        raise ReviewError("shared_on", _("The day it was shared cannot be in the future."))
    if shared_on < to_local(plan.created_at).date():
        raise ReviewError("shared_on", _("This version did not exist yet on that day."))
    plan.shared_with_gp_on, plan.shared_with_gp_by_id = shared_on, by.id
    audit.record(
        "export",
        "service_plan",
        plan.id,
        person_id=case.person_id,
        user_id=by.id,
        detail={"case_id": case.id, "version": plan.version, "shared_with": "gp", "on": shared_on.isoformat()},
    )


def last_shared(case: Case) -> Optional[ServicePlan]:
    """Return the latest plan version shared with the GP, if any."""
    stmt = (
        sa.select(ServicePlan)
        .where(ServicePlan.case_id == case.id, ServicePlan.shared_with_gp_on.is_not(None))
        .order_by(ServicePlan.version.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def latest_reviews(case_ids: list[int]) -> dict[int, PlanReview]:
    """Return each case's latest plan review (by its day), by case id, in one query."""
    if not case_ids:
        return {}
    rank = (
        sa.func.row_number()
        .over(partition_by=PlanReview.case_id, order_by=(PlanReview.reviewed_on.desc(), PlanReview.id.desc()))
        .label("rank")
    )
    ranked = sa.select(PlanReview.id, rank).where(PlanReview.case_id.in_(case_ids)).subquery()
    stmt = sa.select(PlanReview).join(ranked, ranked.c.id == PlanReview.id).where(ranked.c.rank == 1)
    return {review.case_id: review for review in db.session.scalars(stmt)}


@dataclass(frozen=True)
class DueDates:
    """When an active case is next reassessed and its plan next reviewed."""

    reassessment: dt.date
    plan_review: dt.date
    reviewed: bool  # False while the plan was never reviewed with the person

    def overdue(self, today: dt.date) -> list[str]:
        """Return what is overdue on `today`: "reassessment", "plan_review", both or neither."""
        late = []
        if self.reassessment < today:
            late.append("reassessment")
        if self.plan_review < today:
            late.append("plan_review")
        return late


def due_dates(cases: list[Case]) -> dict[int, DueDates]:
    """Return the due dates of the active cases among `cases`, by case id (two queries whatever their number)."""
    active = [c for c in cases if c.status == "active"]
    if not active:
        return {}
    ids = [c.id for c in active]
    assessed = dict(
        db.session.execute(
            sa.select(Assessment.case_id, sa.func.max(Assessment.assessed_on))
            .where(Assessment.case_id.in_(ids))
            .group_by(Assessment.case_id)
        ).all()
    )
    next_review = {case_id: review.next_review_on for case_id, review in latest_reviews(ids).items()}
    reassess_months = current_app.config["CASE_REASSESSMENT_MONTHS"]
    review_months = current_app.config["CASE_PLAN_REVIEW_MONTHS"]
    found = {}
    for case in active:
        start = _start(case)
        reassessment = add_months(assessed.get(case.id) or start, reassess_months)
        reviewed = case.id in next_review
        review = next_review[case.id] if reviewed else add_months(start, review_months)
        found[case.id] = DueDates(reassessment, review, reviewed)
    return found


@dataclass(frozen=True)
class DueItem:
    """Something due on a case: its reassessment or its plan review, on a day."""

    case: Case
    kind: str  # "reassessment" or "plan_review"
    day: dt.date
    overdue: bool


def due_items(cases: list[Case], *, within_days: Optional[int] = UPCOMING_DAYS, today=None) -> list[DueItem]:
    """Return what falls due on the active cases within the coming days (all overdue ones included), soonest
    first; `within_days=None` keeps only the overdue ones."""
    today = today or local_now().date()
    limit = today - dt.timedelta(days=1) if within_days is None else today + dt.timedelta(days=within_days)
    by_id = {c.id: c for c in cases}
    items = []
    for case_id, due in due_dates(cases).items():
        for kind, day in (("reassessment", due.reassessment), ("plan_review", due.plan_review)):
            if day <= limit:
                items.append(DueItem(by_id[case_id], kind, day, day < today))
    items.sort(key=lambda i: (i.day, i.case.id, i.kind))
    return items


def overdue_cases(today=None) -> list[DueItem]:
    """Return every overdue reassessment and plan review of the active cases, for the coordinator."""
    stmt = (
        sa.select(Case)
        .options(selectinload(Case.person), selectinload(Case.case_manager))  # the list shows both
        .where(Case.status == "active")
    )
    return due_items(list(db.session.scalars(stmt)), within_days=None, today=today)
