"""Scheduling follow-up calls on working days (Belgian public holidays and weekends skipped)."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Iterable, Optional

import holidays
import sqlalchemy as sa

from models import FollowUp

from ..extensions import db

DEFAULT_DAYS = (30, 182)


@lru_cache(maxsize=32)
def _belgian_holidays(year: int) -> holidays.HolidayBase:
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


def schedule_followups(person_id: int, base: dt.date, days: Iterable[int] = DEFAULT_DAYS, *,
                       referral_id: Optional[int] = None, case_id: Optional[int] = None) -> list[FollowUp]:
    """Create the follow-ups of a referral or a closed case (once: existing ones are kept)."""
    if (referral_id is None) == (case_id is None):
        raise ValueError("a follow-up belongs to exactly one referral or one case")
    created = []
    for offset in sorted(set(days)):
        existing = db.session.scalar(sa.select(FollowUp).where(
            FollowUp.offset_days == offset,
            FollowUp.referral_id == referral_id if referral_id is not None else FollowUp.case_id == case_id))
        if existing:
            continue
        followup = FollowUp(person_id=person_id, referral_id=referral_id, case_id=case_id,
                            offset_days=offset, due_date=due_date(base, offset), status="pending")
        db.session.add(followup)
        created.append(followup)
    db.session.flush()
    return created
