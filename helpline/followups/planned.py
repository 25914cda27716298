"""What a follow-up call checks: the referrals and closed cases it covers, the plan, who to talk to."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import sqlalchemy as sa

from models import Call, Case, FollowUp, PlanItem, Referral, User

from ..extensions import db
from .merging import merged_into


@dataclass
class Checked:
    """One referral or closed case a follow-up call checks, with what was planned for it."""

    followup: FollowUp
    referral: Optional[Referral] = None
    case: Optional[Case] = None
    case_manager: Optional[User] = None
    plan_items: list[tuple[PlanItem, Optional[Referral]]] = field(default_factory=list)


def _plan_items(case: Case) -> list[tuple[PlanItem, Optional[Referral]]]:
    """Return the items of the case's latest service plan, each with the referral that sent it, if any."""
    if not case.plans:
        return []
    items = case.plans[-1].items
    ids = [item.id for item in items]
    referrals = (
        {r.plan_item_id: r for r in db.session.scalars(sa.select(Referral).where(Referral.plan_item_id.in_(ids)))}
        if ids
        else {}
    )
    return [(item, referrals.get(item.id)) for item in items]


def what_it_checks(followup: FollowUp) -> list[Checked]:
    """Return everything one follow-up call checks: its own origin and those merged into it."""
    checked = []
    for f in [followup, *merged_into(followup)]:
        if f.referral is not None:
            case = None
            if f.referral.plan_item_id:
                item = db.session.get(PlanItem, f.referral.plan_item_id)
                case = item.plan.case if item else None
            checked.append(Checked(f, referral=f.referral, case_manager=case.case_manager if case else None))
        elif f.case is not None:
            checked.append(Checked(f, case=f.case, case_manager=f.case.case_manager, plan_items=_plan_items(f.case)))
    return checked


def latest_carer_call(person_id: int) -> Optional[Call]:
    """Return the latest call a carer made about the person (her name, relation and number)."""
    return db.session.scalar(
        sa.select(Call)
        .where(Call.person_id == person_id, Call.caller_type == "carer")
        .order_by(Call.started_at.desc())
        .limit(1)
    )
