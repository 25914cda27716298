"""Daily summaries of the calls behind the call indicators.

A closed local day (before today) is summarised the first time an indicator needs it, by one
GROUP BY over that day's calls; afterwards the indicators read at most a few rows per day, so a
one-year dashboard costs the same with a thousand calls or with millions. Today is always counted
live. When a call of a summarised day is added or changed (a backdated call, a re-orientation at the
team meeting, new topics), a session hook drops that day's summary and the next view recomputes it.
A whole month of summarised days is summed once more (`call_month_stat`, `call_month_topic`) and the
calls of each day kept on their own (`call_day_total`), so a year reads twelve months and the days at
its edges; dropping a day drops its month's sums too.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, g
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import (
    Call,
    CallDayStat,
    CallDaySummarised,
    CallDayTopic,
    CallDayTotal,
    CallMonthStat,
    CallMonthSummarised,
    CallMonthTopic,
    CallTopic,
    db,
)

from .period import Period, hour_bucket, parse_hour


@dataclass
class CallCounts:
    """The calls of a period counted by day, caller type, proposed and final route, and topic."""

    by_day: Counter = field(default_factory=Counter)
    by_caller_type: Counter = field(default_factory=Counter)
    by_routes: Counter = field(default_factory=Counter)  # (proposed route or "", final route)
    by_topic: Counter = field(default_factory=Counter)

    def add_stat(self, day: dt.date, caller_type: str, proposed: str, route: str, calls: int) -> None:
        """Count calls of one day and kind."""
        self.by_day[day] += calls
        self.by_caller_type[caller_type] += calls
        self.by_routes[(proposed, route)] += calls


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def _local_day(utc_naive: dt.datetime) -> dt.date:
    return utc_naive.replace(tzinfo=dt.UTC).astimezone(_zone()).date()


def _utc_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = _zone()
    start = dt.datetime.combine(first, dt.time(), zone).astimezone(dt.UTC)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
    return start, end


def _aggregate(first: dt.date, last: dt.date) -> tuple[Counter, Counter]:
    """Count the calls of local days [first, last] straight from the calls (hour buckets folded into days)."""
    start, end = _utc_bounds(first, last)
    in_days = sa.and_(Call.started_at >= start, Call.started_at < end)
    bucket = hour_bucket(Call.started_at)
    proposed = sa.func.coalesce(Call.proposal["route"].as_string(), "")
    stats: Counter = Counter()
    query = sa.select(bucket, Call.caller_type, proposed, Call.route, sa.func.count()).where(in_days)
    for hour, caller_type, proposed_route, route, calls in db.session.execute(
        query.group_by(bucket, Call.caller_type, proposed, Call.route)
    ):
        stats[(_local_day(parse_hour(hour)), caller_type, proposed_route or "", route)] += calls
    topics: Counter = Counter()
    query = (
        sa.select(bucket, CallTopic.topic, sa.func.count())
        .join(Call, Call.id == CallTopic.call_id)
        .where(in_days)
        .group_by(bucket, CallTopic.topic)
    )
    for hour, topic, calls in db.session.execute(query):
        topics[(_local_day(parse_hour(hour)), topic)] += calls
    return stats, topics


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Group sorted days into runs of consecutive days."""
    runs: list[list[dt.date]] = []
    for day in days:
        if runs and day - runs[-1][1] == dt.timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


def summarise_days(first: dt.date, last: dt.date) -> int:
    """Summarise the closed days of [first, last] not summarised yet; return how many were done."""
    done = set(
        db.session.scalars(
            sa.select(CallDaySummarised.day).where(CallDaySummarised.day >= first, CallDaySummarised.day <= last)
        )
    )
    missing = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    missing = [day for day in missing if day not in done]
    for run_first, run_last in _runs(missing):
        stats, topics = _aggregate(run_first, run_last)
        if stats:
            db.session.execute(
                sa.insert(CallDayStat),
                [
                    {"day": d, "caller_type": c, "proposed_route": p, "route": r, "calls": n}
                    for (d, c, p, r), n in stats.items()
                ],
            )
        if topics:
            db.session.execute(
                sa.insert(CallDayTopic), [{"day": d, "topic": t, "calls": n} for (d, t), n in topics.items()]
            )
        totals: Counter = Counter()
        for (day, *_kind), n in stats.items():
            totals[day] += n
        if totals:
            db.session.execute(sa.insert(CallDayTotal), [{"day": d, "calls": n} for d, n in totals.items()])
        db.session.execute(
            sa.insert(CallDaySummarised),
            [{"day": run_first + dt.timedelta(days=i)} for i in range((run_last - run_first).days + 1)],
        )
    if missing:
        try:
            db.session.commit()
        except IntegrityError:  # another request summarised the same days meanwhile: theirs stand
            db.session.rollback()
    return len(missing)


def _today() -> dt.date:
    return dt.datetime.now(_zone()).date()


def _month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def _whole_months(first: dt.date, last: dt.date) -> list[dt.date]:
    """Return the first days of the local months lying wholly within [first, last]."""
    month = first if first.day == 1 else _month_end(first) + dt.timedelta(days=1)
    months = []
    while _month_end(month) <= last:
        months.append(month)
        month = _month_end(month) + dt.timedelta(days=1)
    return months


def summarise_months(months: list[dt.date]) -> list[dt.date]:
    """Sum the day summaries of these whole months not summed yet; return the months summed (all days summarised)."""
    if not months:
        return []
    done = set(db.session.scalars(sa.select(CallMonthSummarised.month).where(CallMonthSummarised.month.in_(months))))
    added = False
    for month in (m for m in months if m not in done):
        last = _month_end(month)
        in_month = sa.and_(CallDayStat.day >= month, CallDayStat.day <= last)
        days = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CallDaySummarised)
            .where(CallDaySummarised.day >= month, CallDaySummarised.day <= last)
        )
        if days != (last - month).days + 1:  # a day dropped meanwhile: its month is read by day this time
            continue
        keys = (CallDayStat.caller_type, CallDayStat.proposed_route, CallDayStat.route)
        rows = db.session.execute(sa.select(*keys, sa.func.sum(CallDayStat.calls)).where(in_month).group_by(*keys))
        stat = [
            {"month": month, "caller_type": c, "proposed_route": p, "route": r, "calls": int(n)} for c, p, r, n in rows
        ]
        if stat:
            db.session.execute(sa.insert(CallMonthStat), stat)
        rows = db.session.execute(
            sa.select(CallDayTopic.topic, sa.func.sum(CallDayTopic.calls))
            .where(CallDayTopic.day >= month, CallDayTopic.day <= last)
            .group_by(CallDayTopic.topic)
        )
        topics = [{"month": month, "topic": t, "calls": int(n)} for t, n in rows]
        if topics:
            db.session.execute(sa.insert(CallMonthTopic), topics)
        db.session.add(CallMonthSummarised(month=month))
        done.add(month)
        added = True
    if not added:
        return sorted(done)
    try:
        db.session.commit()
    except IntegrityError:  # another request summed the same months meanwhile: theirs stand
        db.session.rollback()
        done = set(
            db.session.scalars(sa.select(CallMonthSummarised.month).where(CallMonthSummarised.month.in_(months)))
        )
    return sorted(done)


def _read_summaries(counts: CallCounts, first: dt.date, last: dt.date) -> None:
    """Add the summarised closed days [first, last]: whole months from the month sums, other days one by one."""
    totals = sa.select(CallDayTotal.day, CallDayTotal.calls).where(CallDayTotal.day >= first, CallDayTotal.day <= last)
    for day, calls in db.session.execute(totals):
        counts.by_day[day] += int(calls)
    months = summarise_months(_whole_months(first, last))
    spans, day = [], first
    for month in months:
        if day < month:
            spans.append((day, month - dt.timedelta(days=1)))
        day = _month_end(month) + dt.timedelta(days=1)
    if day <= last:
        spans.append((day, last))
    if months:
        in_months = CallMonthStat.month.in_(months)
        total = sa.func.sum(CallMonthStat.calls)
        keys = (CallMonthStat.caller_type, CallMonthStat.proposed_route, CallMonthStat.route)
        for caller_type, proposed, route, calls in db.session.execute(
            sa.select(*keys, total).where(in_months).group_by(*keys)
        ):
            counts.by_caller_type[caller_type] += int(calls)
            counts.by_routes[(proposed, route)] += int(calls)
        query = (
            sa.select(CallMonthTopic.topic, sa.func.sum(CallMonthTopic.calls))
            .where(CallMonthTopic.month.in_(months))
            .group_by(CallMonthTopic.topic)
        )
        for topic, calls in db.session.execute(query):
            counts.by_topic[topic] += int(calls)
    if spans:
        in_days = sa.or_(*(sa.and_(CallDayStat.day >= a, CallDayStat.day <= b) for a, b in spans))
        keys = (CallDayStat.caller_type, CallDayStat.proposed_route, CallDayStat.route)
        for caller_type, proposed, route, calls in db.session.execute(
            sa.select(*keys, sa.func.sum(CallDayStat.calls)).where(in_days).group_by(*keys)
        ):
            counts.by_caller_type[caller_type] += int(calls)
            counts.by_routes[(proposed, route)] += int(calls)
        in_days = sa.or_(*(sa.and_(CallDayTopic.day >= a, CallDayTopic.day <= b) for a, b in spans))
        query = (
            sa.select(CallDayTopic.topic, sa.func.sum(CallDayTopic.calls)).where(in_days).group_by(CallDayTopic.topic)
        )
        for topic, calls in db.session.execute(query):
            counts.by_topic[topic] += int(calls)


def call_counts(period: Period) -> CallCounts:
    """Return the period's calls counted for the indicators (summaries for closed days, live for today)."""
    cache = g.setdefault("call_counts", {})
    if period in cache:
        return cache[period]
    counts = CallCounts()
    today = _today()
    closed_last = min(period.end, today - dt.timedelta(days=1))
    if closed_last >= period.start:
        summarise_days(period.start, closed_last)
        _read_summaries(counts, period.start, closed_last)
    live_first = max(period.start, today)
    if period.end >= live_first:
        stats, topics = _aggregate(live_first, period.end)
        for (day, caller_type, proposed, route), calls in stats.items():
            counts.add_stat(day, caller_type, proposed, route, calls)
        for (_day, topic), calls in topics.items():
            counts.by_topic[topic] += calls
    cache[period] = counts
    return counts


def _changed_days(session: Session) -> set[dt.date]:
    """Return the closed local days whose calls this flush adds or changes."""
    days: set[dt.date] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Call):
            stamps = [obj.started_at]
            history = sa.inspect(obj).attrs.started_at.history
            stamps.extend(history.deleted or ())
        elif isinstance(obj, CallTopic):
            call = obj.call if "call" in sa.inspect(obj).dict else None
            if call is None:
                with session.no_autoflush:
                    call = session.get(Call, obj.call_id) if obj.call_id else None
            stamps = [call.started_at] if call is not None else []
        else:
            continue
        for stamp in stamps:
            if isinstance(stamp, dt.datetime):
                utc = stamp.astimezone(dt.UTC).replace(tzinfo=None) if stamp.tzinfo else stamp
                days.add(_local_day(utc))
    today = _today()
    return {day for day in days if day < today}


def drop_stale_summaries(session: Session, flush_context, instances) -> None:
    """Drop the summaries of the closed days whose calls change in this flush (before_flush hook)."""
    days = _changed_days(session)
    if not days:
        return
    for model in (CallDayStat, CallDayTopic, CallDayTotal, CallDaySummarised):
        session.execute(sa.delete(model).where(model.day.in_(sorted(days))))
    months = sorted({day.replace(day=1) for day in days})
    for model in (CallMonthStat, CallMonthTopic, CallMonthSummarised):
        session.execute(sa.delete(model).where(model.month.in_(months)))


def install() -> None:
    """Listen to every session's flushes (once)."""
    if not sa.event.contains(Session, "before_flush", drop_stale_summaries):
        sa.event.listen(Session, "before_flush", drop_stale_summaries)
