"""The individual service plan (PSI): versioned goals and items, items that are referrals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Optional

import sqlalchemy as sa

from models import Case, PlanItem, Referral, ReferralEvent, ServicePlan, Structure, User

from .. import audit
from ..extensions import db
from ..followups.schedule import schedule_followups
from ..formatting import local_now

ITEM_FIELDS = ("need", "service", "structure_id", "professional", "frequency", "start_date", "responsible", "status")


class NoConsent(Exception):
    """The person has not agreed to be referred."""


def current_plan(case: Case) -> Optional[ServicePlan]:
    """Return the latest version of a case's plan, or None."""
    return db.session.scalar(
        sa.select(ServicePlan).where(ServicePlan.case_id == case.id).order_by(ServicePlan.version.desc()).limit(1)
    )


def new_version(case: Case, by: User, change: Callable[[ServicePlan], Any], what: str) -> ServicePlan:
    """Save a change as a new plan version: goals and items copied from the current one, then changed."""
    previous = current_plan(case)
    plan = ServicePlan(
        case_id=case.id,
        version=(previous.version + 1) if previous else 1,
        goals=previous.goals if previous else "",
        by_id=by.id,
    )
    copies = []
    for item in previous.items if previous else []:
        copy = PlanItem(**{name: getattr(item, name) for name in ITEM_FIELDS})
        plan.items.append(copy)
        copies.append((item, copy))
    db.session.add(plan)
    change(plan)
    db.session.flush()
    # A referral belongs to the item as it stands in the current plan.
    for old, new in copies:
        db.session.execute(sa.update(Referral).where(Referral.plan_item_id == old.id).values(plan_item_id=new.id))
    audit.record(
        "update" if previous else "create",
        "service_plan",
        plan.id,
        person_id=case.person_id,
        user_id=by.id,
        detail={"case_id": case.id, "version": plan.version, "change": what},
    )
    return plan


def set_goals(case: Case, goals: str, by: User) -> ServicePlan:
    """Record the person's goals in a new plan version."""
    return new_version(case, by, lambda plan: setattr(plan, "goals", goals.strip()), "goals")


def add_item(
    case: Case, values: dict[str, Any], by: User, *, as_referral: bool = False, message: str = ""
) -> ServicePlan:
    """Add an item to the plan (a new version); a referral item starts a referral to its structure."""
    if as_referral and not case.person.has_consent("referral"):
        raise NoConsent()
    item = PlanItem(**{name: values.get(name) for name in ITEM_FIELDS})
    plan = new_version(case, by, lambda p: p.items.append(item), "add_item")
    if as_referral:
        refer_item(case, item, by, message)
    return plan


def set_item_status(case: Case, item_id: int, status: str, by: User) -> ServicePlan:
    """Change one item's status in a new plan version."""
    previous = current_plan(case)
    index = next((i for i, item in enumerate(previous.items) if item.id == item_id), None) if previous else None
    if index is None:
        raise LookupError("no such item in the current plan")
    return new_version(case, by, lambda plan: setattr(plan.items[index], "status", status), "item_status")


def refer_item(case: Case, item: PlanItem, by: User, message: str = "") -> Referral:
    """Send a plan item's structure a referral and schedule its follow-ups (referral lifecycle)."""
    structure = db.session.get(Structure, item.structure_id)
    referral = Referral(
        person_id=case.person_id,
        structure_id=structure.id,
        category=structure.category,
        message=message.strip(),
        consent_checked=True,
        status="sent",
        created_by_id=by.id,
        plan_item_id=item.id,
        call_id=case.origin_call_id,
    )
    referral.events.append(
        ReferralEvent(from_status=None, to_status="sent", by_id=by.id, note=f"service plan item: {item.need}")
    )
    db.session.add(referral)
    db.session.flush()
    schedule_followups(case.person_id, local_now().date(), referral_id=referral.id)
    audit.record(
        "create",
        "referral",
        referral.id,
        person_id=case.person_id,
        user_id=by.id,
        detail={"case_id": case.id, "plan_item_id": item.id, "structure_id": structure.id},
    )
    return referral


def referrals_by_item(plan: Optional[ServicePlan]) -> dict[int, Referral]:
    """Return the referrals of a plan's items, by item id."""
    if plan is None or not plan.items:
        return {}
    ids = [item.id for item in plan.items]
    return {r.plan_item_id: r for r in db.session.scalars(sa.select(Referral).where(Referral.plan_item_id.in_(ids)))}


def items_due(case_ids: list[int], within_days: int = 7, today: Optional[dt.date] = None) -> list[PlanItem]:
    """Return the planned items of the cases' current plans starting within the coming days (or overdue)."""
    if not case_ids:
        return []
    today = today or local_now().date()
    latest = (
        sa.select(ServicePlan.case_id, sa.func.max(ServicePlan.version).label("version"))
        .where(ServicePlan.case_id.in_(case_ids))
        .group_by(ServicePlan.case_id)
        .subquery()
    )
    stmt = (
        sa.select(PlanItem)
        .join(ServicePlan)
        .join(latest, sa.and_(latest.c.case_id == ServicePlan.case_id, latest.c.version == ServicePlan.version))
        .where(PlanItem.status == "planned", PlanItem.start_date <= today + dt.timedelta(days=within_days))
        .order_by(PlanItem.start_date)
    )
    return list(db.session.scalars(stmt))
