"""Scheduling follow-up calls on working days (Belgian public holidays and weekends skipped)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Optional

import sqlalchemy as sa

from models import FollowUp

from ..extensions import db

if TYPE_CHECKING:
    import holidays

DEFAULT_DAYS = (30, 182)
# Follow-ups of one person due within this many days of each other are one call: a plan sent as N
# referrals and the case's closure would otherwise ring her 2N+2 times on the same days.
MERGE_WINDOW_DAYS = 14
OPEN_STATUSES = ("pending", "claimed")


@lru_cache(maxsize=32)
def _belgian_holidays(year: int) -> holidays.HolidayBase:
    import holidays  # its country tables are read when a follow-up is first scheduled, not at start-up

    return holidays.country_holidays("BE", years=year)


def is_working_day(day: dt.date) -> bool:
    """Tell whether the helpline works on a day (not a weekend, not a Belgian public holiday)."""
    return day.weekday() < 5 and day not in _belgian_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """Return the day itself if it is a working day, else the next working day."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def due_date(base: dt.date, offset_days: int) -> dt.date:
    """Return the due date of a follow-up `offset_days` after `base`, moved to a working day."""
    return next_working_day(base + dt.timedelta(days=offset_days))


def host_for(person_id: int, due: dt.date) -> Optional[FollowUp]:
    """Return the person's open follow-up call a follow-up due on `due` joins, if one is close enough."""
    window = dt.timedelta(days=MERGE_WINDOW_DAYS)
    return db.session.scalar(
        sa.select(FollowUp)
        .where(
            FollowUp.person_id == person_id,
            FollowUp.status.in_(OPEN_STATUSES),
            FollowUp.merged_into_id.is_(None),
            FollowUp.due_date >= due - window,
            FollowUp.due_date <= due + window,
        )
        .order_by(FollowUp.due_date, FollowUp.id)
        .limit(1)
    )


def covered(followup: FollowUp) -> list[FollowUp]:
    """Return what one follow-up call checks: the follow-up itself and those merged into it."""
    merged = db.session.scalars(sa.select(FollowUp).where(FollowUp.merged_into_id == followup.id).order_by(FollowUp.id))
    return [followup, *merged]


def schedule_followups(
    person_id: int,
    base: dt.date,
    days: Iterable[int] = DEFAULT_DAYS,
    *,
    referral_id: Optional[int] = None,
    case_id: Optional[int] = None,
) -> list[FollowUp]:
    """Create the follow-ups of a referral or a closed case (once: existing ones are kept).

    A follow-up due within MERGE_WINDOW_DAYS of an open one of the same person is merged into it
    (status "merged"): one call checks both, on the earlier of the two days.
    """
    if (referral_id is None) == (case_id is None):
        raise ValueError("a follow-up belongs to exactly one referral or one case")
    created = []
    for offset in sorted(set(days)):
        existing = db.session.scalar(
            sa.select(FollowUp).where(
                FollowUp.offset_days == offset,
                FollowUp.referral_id == referral_id if referral_id is not None else FollowUp.case_id == case_id,
            )
        )
        if existing:
            continue
        due = due_date(base, offset)
        followup = FollowUp(
            person_id=person_id,
            referral_id=referral_id,
            case_id=case_id,
            offset_days=offset,
            due_date=due,
            status="pending",
        )
        host = host_for(person_id, due)
        if host is not None:
            followup.status, followup.merged_into_id = "merged", host.id
            if due < host.due_date and host.status == "pending" and not host.attempts:
                host.due_date = due  # the call that checks both happens on the earlier day
        db.session.add(followup)
        db.session.flush()
        created.append(followup)
    db.session.flush()
    return created
