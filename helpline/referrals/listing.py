"""The referrals list: filters by status, structure, category, age and nurse; overdue ones flagged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from models import Referral, User, utcnow
from models.vocabulary import REFERRAL_STATUSES

from ..extensions import db
from ..ids import parse_id
from ..vocabulary import CATEGORY_LABELS
from .service import overdue_cutoff

PAGE_SIZE = 100


def _int(value: Optional[str]) -> Optional[int]:
    return parse_id(value)


@dataclass
class ReferralFilters:
    """What the referrals list shows."""

    status: str = ""
    structure_id: Optional[int] = None
    category: str = ""
    older_than_days: Optional[int] = None
    overdue: bool = False
    nurse_id: Optional[int] = None
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str], user: User) -> ReferralFilters:
        """Read the filters from the query string; a nurse sees her own referrals unless she asks for all."""
        nurse = args.get("nurse", "")
        if nurse == "all" or (not nurse and user.has_role("coordinator")):
            nurse_id = None
        else:
            nurse_id = _int(nurse) or user.id
        return cls(
            status=args.get("status", "") if args.get("status") in REFERRAL_STATUSES else "",
            structure_id=_int(args.get("structure")),
            category=args.get("category", "") if args.get("category") in CATEGORY_LABELS else "",
            older_than_days=_int(args.get("older_than")),
            overdue=args.get("overdue") == "1",
            nurse_id=nurse_id,
            page=max(_int(args.get("page")) or 1, 1),
        )


def list_referrals(filters: ReferralFilters, now: Optional[dt.datetime] = None) -> tuple[list[Referral], bool]:
    """Return a page of referrals, oldest unanswered first, and whether more follow."""
    now = now or utcnow()
    stmt = sa.select(Referral).options(
        selectinload(Referral.structure), selectinload(Referral.person), selectinload(Referral.created_by)
    )
    if filters.status:
        stmt = stmt.where(Referral.status == filters.status)
    if filters.structure_id:
        stmt = stmt.where(Referral.structure_id == filters.structure_id)
    if filters.category:
        stmt = stmt.where(Referral.category == filters.category)
    if filters.older_than_days is not None:
        stmt = stmt.where(Referral.sent_at < now - dt.timedelta(days=filters.older_than_days))
    if filters.overdue:
        stmt = stmt.where(Referral.status == "sent", Referral.sent_at < overdue_cutoff(now))
    if filters.nurse_id:
        stmt = stmt.where(Referral.created_by_id == filters.nurse_id)
    open_first = sa.case((Referral.status.in_(("sent", "accepted")), 0), else_=1)
    stmt = stmt.order_by(open_first, Referral.sent_at, Referral.id)
    stmt = stmt.offset((filters.page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)
    rows = list(db.session.scalars(stmt))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
