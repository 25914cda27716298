"""Home-page panels and the menu badge of case management."""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.orm import selectinload

from models import Case, Visit

from ..extensions import db
from ..formatting import local_now
from . import handoffs, relay
from .plans import items_due
from .reviews import due_items, overdue_cases
from .service import caseload_of, waiting_list

DUE_WITHIN_DAYS = 7


def handoffs_menu_label() -> str:
    """Return the menu label of the handoffs, with the unread count as a badge."""
    count = handoffs.unread_count(current_user) if current_user.is_authenticated else 0
    return ngettext("Handoffs (%(num)s unread)", "Handoffs (%(num)s unread)", count) if count else _("Handoffs")


def visits_due(case_ids: list[int], within_days: int = DUE_WITHIN_DAYS) -> list[Visit]:
    """Return the visits not yet made, scheduled before the end of the coming days (overdue included)."""
    if not case_ids:
        return []
    limit = (local_now() + dt.timedelta(days=within_days)).astimezone(dt.UTC)
    stmt = (
        sa.select(Visit)
        .where(Visit.case_id.in_(case_ids), Visit.done_at.is_(None), Visit.scheduled_for <= limit)
        .order_by(Visit.scheduled_for)
    )
    return list(db.session.scalars(stmt))


def case_manager_panel(user) -> Optional[dict]:
    """Return a case manager's home panel: active cases, visits and plan items due, unread handoffs."""
    if not user.has_role("case_manager"):
        return None
    cases = list(
        db.session.scalars(
            sa.select(Case)
            .options(selectinload(Case.person))  # her cases and what falls due on them show the person
            .where(Case.case_manager_id == user.id, Case.status == "active")
            .order_by(Case.assigned_at.desc())
        )
    )
    ids = [c.id for c in cases]
    return {
        "cases": cases,
        "load": caseload_of(user),
        "visits": visits_due(ids),
        "items": items_due(ids),
        "unread": handoffs.unread_count(user),
        "relays": relay.pending_for(user),
        "due": due_items(cases),
    }


def coordinator_panel(user) -> Optional[dict]:
    """Return the coordinator's home panel: the waiting list and the team inbox."""
    if not user.has_role("coordinator"):
        return None
    return {"waiting": waiting_list()[:10], "unread": handoffs.unread_count(user), "overdue": overdue_cases()}


def nurse_panel(user) -> Optional[dict]:
    """Return a nurse's home panel: her latest handoffs and relays, and whether they were read or acknowledged."""
    if not user.has_role("nurse"):
        return None
    sent, relays = handoffs.sent_by(user, limit=5), relay.sent_by(user, limit=5)
    return {"sent": sent, "relays": relays} if sent or relays else None
