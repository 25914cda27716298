"""The call indicators read daily summaries: built once for closed days, dropped when a call changes,
today counted live — and always the same figures as counting the calls themselves."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest
import sqlalchemy as sa
from reports_support import BRUSSELS, add_call, add_person, add_user, local

from helpline.reports import daily
from helpline.reports.daily import call_counts
from helpline.reports.period import Period
from models import Call, CallDayStat, CallDaySummarised, CallMonthSummarised, db

PERIOD = Period(dt.date(2024, 3, 4), dt.date(2024, 3, 10))


@pytest.fixture
def week(app):
    nurse, person = add_user("nurse"), add_person()
    calls = [
        add_call(person, nurse, local(2024, 3, 4, 9), topics=["housing"], proposed="external", route="external"),
        add_call(person, nurse, local(2024, 3, 4, 23, 30), caller_type="carer", topics=["transport"]),
        add_call(
            person,
            nurse,
            local(2024, 3, 6, 0, 15),
            topics=["housing", "care"],
            proposed="case_management",
            route="case_management",
        ),
    ]
    db.session.commit()
    return nurse, person, calls


def _counts(request_context, period=PERIOD):
    with request_context():
        return call_counts(period)


def test_closed_days_are_summarised_once_and_give_the_same_figures(request_context, week):
    counts = _counts(request_context)
    assert counts.by_day == {dt.date(2024, 3, 4): 2, dt.date(2024, 3, 6): 1}
    assert counts.by_caller_type == {"patient": 2, "carer": 1}
    assert counts.by_topic == {"housing": 2, "transport": 1, "care": 1}
    assert counts.by_routes == {
        ("external", "external"): 1,
        ("information", "information"): 1,
        ("case_management", "case_management"): 1,
    }
    days = db.session.scalar(sa.select(sa.func.count()).select_from(CallDaySummarised))
    assert days == 7  # every day of the week, the empty ones too
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(CallDayStat))
    assert _counts(request_context).by_day == counts.by_day
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CallDayStat)) == rows


def test_a_reorientation_on_a_summarised_day_is_counted(request_context, week):
    _counts(request_context)
    call = week[2][2]
    call.route = "external"  # the team re-oriented it at its meeting
    db.session.commit()
    assert _counts(request_context).by_routes[("case_management", "external")] == 1
    assert _counts(request_context).by_routes[("case_management", "case_management")] == 0


def test_a_backdated_call_and_new_topics_on_summarised_days_are_counted(request_context, week):
    nurse, person, calls = week
    _counts(request_context)
    add_call(person, nurse, local(2024, 3, 8, 11), caller_type="professional", topics=["rights"])
    calls[1].topics = ["transport", "isolation"]
    db.session.commit()
    counts = _counts(request_context)
    assert counts.by_day[dt.date(2024, 3, 8)] == 1 and counts.by_caller_type["professional"] == 1
    assert counts.by_topic["isolation"] == 1 and counts.by_topic["rights"] == 1


def test_today_is_counted_live_and_never_summarised(request_context, week):
    nurse, person, _ = week
    now = dt.datetime.now(BRUSSELS)
    today = Period(now.date() - dt.timedelta(days=1), now.date())
    add_call(person, nurse, now - dt.timedelta(minutes=1), topics=["housing"])
    db.session.commit()
    assert _counts(request_context, today).by_day[now.date()] == 1
    assert db.session.get(CallDaySummarised, now.date()) is None
    add_call(person, nurse, now - dt.timedelta(seconds=30), topics=["housing"])
    db.session.commit()
    assert _counts(request_context, today).by_day[now.date()] == 2


def test_summaries_match_counting_the_calls_directly(request_context, week):
    counts = _counts(request_context)
    start = dt.datetime.combine(PERIOD.start, dt.time(), BRUSSELS)
    end = dt.datetime.combine(PERIOD.end + dt.timedelta(days=1), dt.time(), BRUSSELS)
    direct = db.session.scalar(
        sa.select(sa.func.count()).select_from(Call).where(Call.started_at >= start, Call.started_at < end)
    )
    assert sum(counts.by_day.values()) == direct == 3


def _random_calls(rng, nurse, person, today: dt.date, days: int, n: int) -> None:
    from models.vocabulary import CALLER_TYPES, ROUTES, TOPICS

    for _ in range(n):
        day = today - dt.timedelta(days=rng.randrange(days))
        hour, minute = rng.choice(((0, 5), (0, 45), (9, 0), (22, 30), (23, 59)))
        add_call(
            person,
            nurse,
            dt.datetime.combine(day, dt.time(hour, minute), BRUSSELS),
            caller_type=rng.choice(CALLER_TYPES[:3]),
            topics=rng.sample(TOPICS[:5], rng.randrange(3)),
            proposed=rng.choice((*ROUTES[:2], None)),
            route=rng.choice(ROUTES[:3]),
        )


def _direct(period: Period) -> tuple:
    start = dt.datetime.combine(period.start, dt.time(), BRUSSELS)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), BRUSSELS)
    by_day, by_type, by_routes, by_topic = Counter(), Counter(), Counter(), Counter()
    for call in db.session.scalars(sa.select(Call)):
        if start <= call.started_at < end:
            by_day[call.started_at.astimezone(BRUSSELS).date()] += 1
            by_type[call.caller_type] += 1
            by_routes[((call.proposal or {}).get("route") or "", call.route)] += 1
            by_topic.update(call.topics)
    return by_day, by_type, by_routes, by_topic


@pytest.mark.parametrize("seed", range(3))
def test_month_sums_and_edge_days_equal_counting_the_calls(app, request_context, monkeypatch, seed):
    """Whole months read from the month sums, the days at the edges from the day summaries, today live:
    the same figures as the calls one by one, after backdated, moved, re-oriented and deleted calls."""
    rng = random.Random(seed)
    nurse, person = add_user("nurse"), add_person()
    today = dt.datetime.now(BRUSSELS).date()
    _random_calls(rng, nurse, person, today, 150, 120)
    db.session.commit()
    periods = [
        Period(today - dt.timedelta(days=364), today),
        Period(today - dt.timedelta(days=100), today - dt.timedelta(days=1)),
        Period((today - dt.timedelta(days=70)).replace(day=1), (today.replace(day=1) - dt.timedelta(days=1))),
        Period(today - dt.timedelta(days=45), today - dt.timedelta(days=20)),
    ]

    def check():
        for period in periods:
            with request_context():
                counts = call_counts(period)
            found = (+counts.by_day, +counts.by_caller_type, +counts.by_routes, +counts.by_topic)
            assert found == tuple(+c for c in _direct(period)), period
            with monkeypatch.context() as m, request_context():  # every day counted live
                m.setattr(daily, "_today", lambda start=period.start: start - dt.timedelta(days=400))
                live = call_counts(period)
                assert found == (+live.by_day, +live.by_caller_type, +live.by_routes, +live.by_topic)

    check()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CallMonthSummarised)) >= 3
    for _ in range(3):
        calls = list(db.session.scalars(sa.select(Call)))
        for call in rng.sample(calls, 6):
            choice = rng.randrange(4)
            if choice == 0:
                call.started_at = call.started_at - dt.timedelta(days=rng.choice((1, 31, 60)))
            elif choice == 1:
                call.route = rng.choice(("information", "external"))
            elif choice == 2:
                call.topics = ["housing"]
            else:
                db.session.delete(call)
        _random_calls(rng, nurse, person, today, 150, 4)  # backdated calls
        db.session.commit()
        db.session.expire_all()
        check()
