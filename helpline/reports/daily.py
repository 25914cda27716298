"""Daily summaries of the calls behind the call indicators.

A closed local day (before today) is summarised the first time an indicator needs it, by one
GROUP BY over that day's calls; afterwards the indicators read at most a few rows per day, so a
one-year dashboard costs the same with a thousand calls or with millions. Today is always counted
live. When a call of a summarised day is added or changed (a backdated call, a re-orientation at the
team meeting, new topics), a session hook drops that day's summary and the next view recomputes it.
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

from models import Call, CallDayStat, CallDaySummarised, CallDayTopic, CallTopic, db

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


def call_counts(period: Period) -> CallCounts:
    """Return the period's calls counted for the indicators (summaries for closed days, live for today)."""
    cache = g.setdefault("call_counts", {})
    if period in cache:
        return cache[period]
    counts = CallCounts()
    today = dt.datetime.now(_zone()).date()
    closed_last = min(period.end, today - dt.timedelta(days=1))
    if closed_last >= period.start:
        summarise_days(period.start, closed_last)
        in_days = sa.and_(CallDayStat.day >= period.start, CallDayStat.day <= closed_last)
        total = sa.func.sum(CallDayStat.calls)
        for day, calls in db.session.execute(
            sa.select(CallDayStat.day, total).where(in_days).group_by(CallDayStat.day)
        ):
            counts.by_day[day] += int(calls)
        for caller_type, calls in db.session.execute(
            sa.select(CallDayStat.caller_type, total).where(in_days).group_by(CallDayStat.caller_type)
        ):
            counts.by_caller_type[caller_type] += int(calls)
        routes = sa.select(CallDayStat.proposed_route, CallDayStat.route, total).where(in_days)
        for proposed, route, calls in db.session.execute(
            routes.group_by(CallDayStat.proposed_route, CallDayStat.route)
        ):
            counts.by_routes[(proposed, route)] += int(calls)
        query = (
            sa.select(CallDayTopic.topic, sa.func.sum(CallDayTopic.calls))
            .where(CallDayTopic.day >= period.start, CallDayTopic.day <= closed_last)
            .group_by(CallDayTopic.topic)
        )
        for topic, calls in db.session.execute(query):
            counts.by_topic[topic] += int(calls)
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
    today = dt.datetime.now(_zone()).date()
    return {day for day in days if day < today}


def drop_stale_summaries(session: Session, flush_context, instances) -> None:
    """Drop the summaries of the closed days whose calls change in this flush (before_flush hook)."""
    days = _changed_days(session)
    if not days:
        return
    for model in (CallDayStat, CallDayTopic, CallDaySummarised):
        session.execute(sa.delete(model).where(model.day.in_(sorted(days))))


def install() -> None:
    """Listen to every session's flushes (once)."""
    if not sa.event.contains(Session, "before_flush", drop_stale_summaries):
        sa.event.listen(Session, "before_flush", drop_stale_summaries)
