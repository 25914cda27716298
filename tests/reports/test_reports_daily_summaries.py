"""The call indicators read daily summaries: built once for closed days, dropped when a call changes,
today counted live — and always the same figures as counting the calls themselves."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
import sqlalchemy as sa
from reports_support import BRUSSELS, add_call, add_person, add_user, local

from helpline.reports.daily import call_counts
from helpline.reports.period import Period
from models import Call, CallDayStat, CallDaySummarised, db

PERIOD = Period(dt.date(2024, 3, 4), dt.date(2024, 3, 10))


@pytest.fixture
def request_context(app):
    """Each `call_counts` below runs in its own app context and request, as each dashboard view does."""

    @contextlib.contextmanager
    def new():
        with app.app_context(), app.test_request_context("/"):
            yield

    return new


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
