"""The follow-up worklist: which follow-ups are due, for the home page and the full list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from models import Case, FollowUp, Referral
from models.vocabulary import FOLLOWUP_OPEN_STATUSES as OPEN_STATUSES

from ..extensions import db
from ..formatting import local_now, local_zone
from ..ids import parse_page
from ..vocabulary import FOLLOWUP_STATUS_LABELS as STATUS_LABELS  # noqa: F401 (routes read it from here)

PAGE_SIZE = 100
HOME_LIMIT = 15


def start_of_day_utc(day: dt.date) -> dt.datetime:
    """Return local midnight at the start of a day, in UTC."""
    return dt.datetime.combine(day, dt.time(), tzinfo=local_zone()).astimezone(dt.UTC)


def due_condition(today: dt.date):
    """Return the condition of a follow-up due by today (a retry planned later today counts)."""
    tomorrow = start_of_day_utc(today + dt.timedelta(days=1))
    return sa.and_(
        FollowUp.due_date <= today, sa.or_(FollowUp.next_attempt_at.is_(None), FollowUp.next_attempt_at < tomorrow)
    )


def _with_context(stmt):
    """Load what the worklist shows about each follow-up (person, referral's structure, case)."""
    return stmt.options(
        selectinload(FollowUp.person),
        selectinload(FollowUp.claimed_by),
        selectinload(FollowUp.referral).selectinload(Referral.structure),
        selectinload(FollowUp.case).selectinload(Case.case_manager),
    )


def oldest_first(stmt):
    """Order follow-ups oldest due first."""
    return stmt.order_by(
        FollowUp.due_date, FollowUp.next_attempt_at.is_not(None), FollowUp.next_attempt_at, FollowUp.id
    )


def due_followups(today: dt.date, limit: int = HOME_LIMIT) -> list[FollowUp]:
    """Return the open follow-ups due today or overdue, oldest first."""
    stmt = sa.select(FollowUp).where(FollowUp.status.in_(OPEN_STATUSES), due_condition(today))
    return list(db.session.scalars(_with_context(oldest_first(stmt)).limit(limit)))


def count_due(today: dt.date) -> int:
    """Count the open follow-ups due today or overdue."""
    stmt = (
        sa.select(sa.func.count()).select_from(FollowUp).where(FollowUp.status.in_(OPEN_STATUSES), due_condition(today))
    )
    return db.session.scalar(stmt) or 0


def home_panel_context(user) -> Optional[dict]:
    """Give the home page the follow-ups due today and overdue (nurses only)."""
    if not user.has_role("nurse"):
        return None
    today = local_now().date()
    return {"followups": due_followups(today), "total": count_due(today), "today": today}


@dataclass
class WorklistFilters:
    """The filters of the full worklist, read from the query string."""

    status: str = "open"
    when: str = "due"
    origin: str = ""
    mine: bool = False
    page: int = 1

    STATUSES = ("open", "pending", "claimed", "done", "unreachable", "cancelled", "all")
    WHENS = ("due", "overdue", "week", "all")
    ORIGINS = ("", "referral", "case")

    @classmethod
    def from_args(cls, args) -> WorklistFilters:
        """Read the filters, ignoring values that are not offered."""

        def pick(name, allowed, default):
            value = args.get(name, default)
            return value if value in allowed else default

        page = args.get("page", "1")
        status = pick("status", cls.STATUSES, "open")
        # Work still to do is looked at by due date; closed follow-ups are looked up whenever they were due.
        default_when = "due" if status in ("open", *OPEN_STATUSES) else "all"
        return cls(
            status=status,
            when=pick("when", cls.WHENS, default_when),
            origin=pick("origin", cls.ORIGINS, ""),
            mine=args.get("mine") == "1",
            page=parse_page(page),
        )


def list_followups(filters: WorklistFilters, user, today: dt.date) -> tuple[list[FollowUp], bool]:
    """Return one page of follow-ups matching the filters, oldest due first, and whether more follow."""
    stmt = sa.select(FollowUp)
    if filters.status == "open":
        stmt = stmt.where(FollowUp.status.in_(OPEN_STATUSES))
    elif filters.status != "all":
        stmt = stmt.where(FollowUp.status == filters.status)
    else:
        stmt = stmt.where(FollowUp.status != "merged")  # listed with the call that checks them
    if filters.when == "due":
        stmt = stmt.where(due_condition(today))
    elif filters.when == "overdue":
        stmt = stmt.where(FollowUp.due_date < today)
    elif filters.when == "week":
        stmt = stmt.where(FollowUp.due_date <= today + dt.timedelta(days=7))
    if filters.origin == "referral":
        stmt = stmt.where(FollowUp.referral_id.is_not(None))
    elif filters.origin == "case":
        stmt = stmt.where(FollowUp.case_id.is_not(None))
    if filters.mine:
        stmt = stmt.where(FollowUp.claimed_by_id == user.id)
    offset = (filters.page - 1) * PAGE_SIZE
    rows = list(db.session.scalars(_with_context(oldest_first(stmt)).offset(offset).limit(PAGE_SIZE + 1)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
