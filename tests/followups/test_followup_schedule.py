"""Scheduling follow-ups 1 and 6 months after a referral or a case closure, on Belgian working days."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from followup_factories import add_closed_case, add_person, add_referral, add_user

from helpline.followups.schedule import due_date, schedule_followups
from models import FollowUp, db


@pytest.mark.parametrize(
    "base, expected, why",
    [
        (dt.date(2025, 3, 22), dt.date(2025, 4, 22), "30 days later is Easter Monday 2025"),
        (dt.date(2025, 6, 21), dt.date(2025, 7, 22), "30 days later is 21 July, the national day"),
        (dt.date(2025, 3, 6), dt.date(2025, 4, 7), "30 days later is a Saturday"),
        (dt.date(2025, 10, 12), dt.date(2025, 11, 12), "30 days later is 11 November, a Tuesday"),
        (dt.date(2025, 11, 25), dt.date(2025, 12, 26), "30 days later is Christmas, a Thursday"),
        (dt.date(2025, 3, 3), dt.date(2025, 4, 2), "30 days later is an ordinary Wednesday"),
    ],
)
def test_due_date_on_a_holiday_or_weekend_moves_to_the_next_working_day(base, expected, why):
    assert due_date(base, 30) == expected, why


def test_referral_schedules_one_and_six_month_follow_ups_once(app):
    nurse = add_user()
    person = add_person()
    referral = add_referral(person, nurse, sent=dt.date(2025, 3, 3))

    created = schedule_followups(person.id, dt.date(2025, 3, 3), referral_id=referral.id)
    again = schedule_followups(person.id, dt.date(2025, 3, 3), referral_id=referral.id)
    db.session.commit()

    rows = db.session.scalars(sa.select(FollowUp).order_by(FollowUp.offset_days)).all()
    assert len(created) == 2 and again == []
    assert [(f.offset_days, f.due_date, f.status) for f in rows] == [
        (30, dt.date(2025, 4, 2), "pending"),
        (182, dt.date(2025, 9, 1), "pending"),
    ]
    assert all(f.referral_id == referral.id and f.case_id is None and f.person_id == person.id for f in rows)


def test_case_closure_schedules_follow_ups_of_the_case(app):
    manager = add_user("case_manager")
    person = add_person()
    case = add_closed_case(person, manager, closed=dt.date(2025, 6, 21))

    schedule_followups(person.id, case.closed_at.date(), case_id=case.id)
    db.session.commit()

    rows = db.session.scalars(
        sa.select(FollowUp).where(FollowUp.case_id == case.id).order_by(FollowUp.offset_days)
    ).all()
    # 21 July is the national day; 182 days later is a Saturday (20 December 2025).
    assert [(f.offset_days, f.due_date) for f in rows] == [(30, dt.date(2025, 7, 22)), (182, dt.date(2025, 12, 22))]
    assert all(f.referral_id is None for f in rows)


def test_a_follow_up_belongs_to_one_referral_or_one_case(app):
    with pytest.raises(ValueError):
        schedule_followups(1, dt.date(2025, 3, 3))
