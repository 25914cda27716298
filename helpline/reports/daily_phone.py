"""Daily summaries of the line's inbound calls and callbacks, for the phone indicator.

The pattern of `daily_care.py`: a closed local day is summarised the first time the indicator needs it,
by GROUP BY over that day's rows; the latest days are counted live. Here the live window is today and
yesterday, because the telephony webhooks write their records with plain SQL (no session hook sees them)
and a call's final record carries its real start, which may be the day before. A session hook drops a
day's summary when a phone call or a callback behind it is added, changed in what the summary counts, or
deleted, through the ORM or by a bulk UPDATE/DELETE.

Counted, by local day: the inbound calls answered; the inbound calls missed, by their callback's reason
(by the call's day); the missed callers (callbacks) by their status now (by their first missed call's day).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import ORMExecuteState, Session

from models import Callback, PhoneCall, PhoneDayStat, PhoneDaySummarised, db

from .daily import _local_day, _utc_bounds
from .daily_care import _as_day, _bulk_fields, _object_days, _summarise, _today
from .period import Period, hour_bucket, parse_hour

# Today and yesterday are counted live (see the module's docstring).
LIVE_DAYS = 2
PHONE_FIELDS = ("direction", "started_at", "answered_by_id", "nurse_call_sid", "callback_id")
CALLBACK_FIELDS = ("reason", "status", "first_missed_at")


def _answered():
    return sa.or_(PhoneCall.answered_by_id.is_not(None), PhoneCall.nurse_call_sid.is_not(None))


def _phone_rows(first: dt.date, last: dt.date) -> list[dict]:
    """Count the inbound calls and callbacks of local days [first, last] straight from their rows."""
    start, end = _utc_bounds(first, last)
    bucket = hour_bucket(PhoneCall.started_at)
    inbound = sa.and_(PhoneCall.direction == "inbound", PhoneCall.started_at >= start, PhoneCall.started_at < end)
    counts: Counter = Counter()
    answered = sa.select(bucket, sa.func.count()).where(inbound, _answered()).group_by(bucket)
    for hour, n in db.session.execute(answered):
        counts[(_local_day(parse_hour(hour)), "answered", "")] += n
    missed = (
        sa.select(bucket, Callback.reason, sa.func.count())
        .select_from(PhoneCall)
        .join(Callback, Callback.id == PhoneCall.callback_id)
        .where(inbound)
        .group_by(bucket, Callback.reason)
    )
    for hour, reason, n in db.session.execute(missed):
        counts[(_local_day(parse_hour(hour)), "missed", reason)] += n
    first_missed = hour_bucket(Callback.first_missed_at)
    callers = (
        sa.select(first_missed, Callback.status, sa.func.count())
        .where(Callback.first_missed_at >= start, Callback.first_missed_at < end)
        .group_by(first_missed, Callback.status)
    )
    for hour, status, n in db.session.execute(callers):
        counts[(_local_day(parse_hour(hour)), "callback", status)] += n
    return [{"day": d, "kind": k, "key": key, "calls": n} for (d, k, key), n in counts.items()]


def phone_counts(period: Period) -> Counter:
    """Return the period's inbound calls and callbacks counted by (kind, key): ("answered", ""),
    ("missed", reason) and ("callback", status)."""
    cache = g.setdefault("phone_counts", {})
    if period in cache:
        return cache[period]
    counts: Counter = Counter()
    live_first = max(period.start, _today() - dt.timedelta(days=LIVE_DAYS - 1))
    closed_last = min(period.end, live_first - dt.timedelta(days=1))
    if closed_last >= period.start:
        _summarise(PhoneDaySummarised, PhoneDayStat, _phone_rows, period.start, closed_last)
        query = (
            sa.select(PhoneDayStat.kind, PhoneDayStat.key, sa.func.sum(PhoneDayStat.calls))
            .where(PhoneDayStat.day >= period.start, PhoneDayStat.day <= closed_last)
            .group_by(PhoneDayStat.kind, PhoneDayStat.key)
        )
        for kind, key, n in db.session.execute(query):
            counts[(kind, key)] += int(n)
    if period.end >= live_first:
        for row in _phone_rows(live_first, period.end):
            counts[(row["kind"], row["key"])] += row["calls"]
    cache[period] = counts
    return counts


# Keeping the summaries true ----------------------------------------------------------------------


def _drop(session: Session, days: set[dt.date]) -> None:
    days = {day for day in days if day is not None}
    if days:
        for model in (PhoneDayStat, PhoneDaySummarised):
            session.execute(sa.delete(model).where(model.day.in_(sorted(days))))


def _calls_days(session: Session, callback_ids) -> set[dt.date]:
    """Return the local days of the phone calls of these callbacks (a reason counts on its calls' days)."""
    with session.no_autoflush:
        stamps = session.scalars(sa.select(PhoneCall.started_at).where(PhoneCall.callback_id.in_(callback_ids)))
        return {_as_day(stamp, True) for stamp in stamps}


def drop_stale_summaries(session: Session, flush_context, instances) -> None:
    """Drop the summaries of the days whose inbound calls or callbacks change in this flush (before_flush)."""
    days: set[dt.date] = set()
    reasons_changed: list[int] = []
    for objects, always in ((session.new, True), (session.deleted, True), (session.dirty, False)):
        for obj in objects:
            if isinstance(obj, PhoneCall):
                days |= _object_days(obj, "started_at", PHONE_FIELDS, True, always)
            elif isinstance(obj, Callback):
                days |= _object_days(obj, "first_missed_at", CALLBACK_FIELDS, True, always)
                if obj.id is not None and (always or sa.inspect(obj).attrs.reason.history.has_changes()):
                    reasons_changed.append(obj.id)
    if reasons_changed:
        days |= _calls_days(session, reasons_changed)
    _drop(session, days)


def drop_on_bulk_change(state: ORMExecuteState) -> None:
    """Drop the summaries of the days a bulk UPDATE or DELETE of phone calls or callbacks touches."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    model = state.bind_mapper.class_
    if model not in (PhoneCall, Callback):
        return
    fields = PHONE_FIELDS if model is PhoneCall else CALLBACK_FIELDS
    if state.is_update:
        touched = _bulk_fields(state.statement)
        if touched is not None and not touched & set(fields):
            return
    where = state.statement.whereclause
    if model is PhoneCall:
        query = sa.select(PhoneCall.started_at).distinct()
        days = {_as_day(v, True) for v in state.session.scalars(query if where is None else query.where(where))}
    else:
        query = sa.select(Callback.id, Callback.first_missed_at)
        rows = state.session.execute(query if where is None else query.where(where)).all()
        days = {_as_day(stamp, True) for _id, stamp in rows}
        if rows:
            days |= _calls_days(state.session, [row[0] for row in rows])
    _drop(state.session, days)


def install() -> None:
    """Listen to every session's flushes and bulk statements (once)."""
    if not sa.event.contains(Session, "before_flush", drop_stale_summaries):
        sa.event.listen(Session, "before_flush", drop_stale_summaries)
    if not sa.event.contains(Session, "do_orm_execute", drop_on_bulk_change):
        sa.event.listen(Session, "do_orm_execute", drop_on_bulk_change)
