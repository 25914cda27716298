"""Daily summaries of the referrals (by local sending day) and follow-ups (by due day).

The same pattern as the calls' summaries in `daily.py`: a closed day (before today) is summarised the
first time an indicator needs it, by one GROUP BY over that day's rows; today (and, for follow-ups,
the days after) are counted live. A referral's status, outcome and reason, or a follow-up's status,
completion and answers, change long after the day they count for, so a session hook drops a day's
summary whenever one of its rows is added, changed (in the attributes the summary counts) or deleted,
through the ORM or by a bulk UPDATE/DELETE; the next view recomputes that day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlalchemy as sa
from flask import g
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import ORMExecuteState, Session

from models import (
    FollowUp,
    FollowUpDayStat,
    FollowUpDaySummarised,
    Referral,
    ReferralDayStat,
    ReferralDaySummarised,
    db,
)

from .daily import _local_day, _runs, _utc_bounds, _zone
from .period import Period, day_of, hour_bucket, parse_day, parse_hour

# A follow-up is on time when done no later than this many days after its due date.
ON_TIME_GRACE_DAYS = 7

# The attributes each summary counts: a change to another one (a claim, a reminder) keeps the summary.
REFERRAL_FIELDS = ("sent_at", "category", "status", "outcome", "reason")
FOLLOWUP_FIELDS = ("due_date", "offset_days", "status", "completed_at", "unplanned_hospitalisation", "satisfaction")


def _today() -> dt.date:
    return dt.datetime.now(_zone()).date()


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def summarise_missing_days(marker, aggregate, first: dt.date, last: dt.date) -> int:
    """Summarise the days of [first, last] not summarised yet (`aggregate` gives {stat model: rows} for a run
    of days), mark them in `marker`, and commit; return how many days were done."""
    done = set(db.session.scalars(sa.select(marker.day).where(marker.day >= first, marker.day <= last)))
    missing = [day for day in _days(first, last) if day not in done]
    for run_first, run_last in _runs(missing):
        for stat, rows in aggregate(run_first, run_last).items():
            if rows:
                db.session.execute(sa.insert(stat), rows)
        db.session.execute(sa.insert(marker), [{"day": day} for day in _days(run_first, run_last)])
    if missing:
        try:
            db.session.commit()
        except IntegrityError:  # another request summarised the same days meanwhile: theirs stand
            db.session.rollback()
    return len(missing)


def _summarise(marker, stat, aggregate, first: dt.date, last: dt.date) -> int:
    """Summarise the days of [first, last] not summarised yet into one `stat` model; return how many were done."""
    return summarise_missing_days(marker, lambda a, b: {stat: aggregate(a, b)}, first, last)


# Referrals ---------------------------------------------------------------------------------------


def _referral_rows(first: dt.date, last: dt.date) -> list[dict]:
    """Count the referrals sent on local days [first, last] straight from the referrals."""
    start, end = _utc_bounds(first, last)
    bucket = hour_bucket(Referral.sent_at)
    outcome = sa.func.coalesce(Referral.outcome, "")
    reason = sa.func.coalesce(Referral.reason, "")
    keys = (bucket, Referral.category, Referral.status, outcome, reason)
    query = sa.select(*keys, sa.func.count()).where(Referral.sent_at >= start, Referral.sent_at < end).group_by(*keys)
    counts: Counter = Counter()
    for hour, category, status, out, why, n in db.session.execute(query):
        counts[(_local_day(parse_hour(hour)), category, status, out or "", why or "")] += n
    return [
        {"day": d, "category": c, "status": s, "outcome": o, "reason": r, "referrals": n}
        for (d, c, s, o, r), n in counts.items()
    ]


def referral_counts(period: Period) -> Counter:
    """Return the referrals sent in the period counted by (category, status, outcome or "", reason or "")."""
    cache = g.setdefault("referral_counts", {})
    if period in cache:
        return cache[period]
    counts: Counter = Counter()
    today = _today()
    closed_last = min(period.end, today - dt.timedelta(days=1))
    if closed_last >= period.start:
        _summarise(ReferralDaySummarised, ReferralDayStat, _referral_rows, period.start, closed_last)
        keys = (ReferralDayStat.category, ReferralDayStat.status, ReferralDayStat.outcome, ReferralDayStat.reason)
        query = (
            sa.select(*keys, sa.func.sum(ReferralDayStat.referrals))
            .where(ReferralDayStat.day >= period.start, ReferralDayStat.day <= closed_last)
            .group_by(*keys)
        )
        for category, status, outcome, reason, n in db.session.execute(query):
            counts[(category, status, outcome, reason)] += int(n)
    live_first = max(period.start, today)
    if period.end >= live_first:
        for row in _referral_rows(live_first, period.end):
            counts[(row["category"], row["status"], row["outcome"], row["reason"])] += row["referrals"]
    cache[period] = counts
    return counts


# Follow-ups --------------------------------------------------------------------------------------


def followup_state(status: str) -> str:
    """Return what the indicators tell of a follow-up's status: done, unreachable, cancelled or open."""
    return status if status in ("done", "unreachable", "cancelled") else "open"


def _followup_rows(first: dt.date, last: dt.date) -> list[dict]:
    """Count the follow-ups due on days [first, last] straight from the follow-ups."""
    completed = day_of(FollowUp.completed_at)
    keys = (
        FollowUp.due_date,
        FollowUp.offset_days,
        FollowUp.status,
        completed,
        FollowUp.unplanned_hospitalisation,
        FollowUp.satisfaction,
    )
    query = (
        sa.select(*keys, sa.func.count()).where(FollowUp.due_date >= first, FollowUp.due_date <= last).group_by(*keys)
    )
    grace = dt.timedelta(days=ON_TIME_GRACE_DAYS)
    counts: Counter = Counter()
    for due, offset, status, done_on, hosp, satisfaction, n in db.session.execute(query):
        due, done_on = parse_day(due), parse_day(done_on)
        on_time = status == "done" and done_on is not None and done_on <= due + grace
        answer = "" if hosp is None else ("yes" if hosp else "no")
        counts[(due, offset, followup_state(status), on_time, answer, satisfaction or 0)] += n
    return [
        {"day": d, "offset_days": o, "state": s, "on_time": t, "hospitalisation": h, "satisfaction": r, "followups": n}
        for (d, o, s, t, h, r), n in counts.items()
    ]


def followup_counts(period: Period) -> Counter:
    """Return the follow-ups due in the period counted by (offset, state, on time, hospitalisation, satisfaction).

    satisfaction: the 1–5 score given at the call, 0 when not answered.
    """
    cache = g.setdefault("followup_counts", {})
    if period in cache:
        return cache[period]
    counts: Counter = Counter()
    today = _today()
    closed_last = min(period.end, today - dt.timedelta(days=1))
    if closed_last >= period.start:
        _summarise(FollowUpDaySummarised, FollowUpDayStat, _followup_rows, period.start, closed_last)
        s = FollowUpDayStat
        keys = (s.offset_days, s.state, s.on_time, s.hospitalisation, s.satisfaction)
        query = (
            sa.select(*keys, sa.func.sum(s.followups))
            .where(s.day >= period.start, s.day <= closed_last)
            .group_by(*keys)
        )
        for offset, state, on_time, hosp, satisfaction, n in db.session.execute(query):
            counts[(offset, state, bool(on_time), hosp, satisfaction)] += int(n)
    live_first = max(period.start, today)
    if period.end >= live_first:
        for row in _followup_rows(live_first, period.end):
            key = (row["offset_days"], row["state"], row["on_time"], row["hospitalisation"], row["satisfaction"])
            counts[key] += row["followups"]
    cache[period] = counts
    return counts


# Keeping the summaries true ----------------------------------------------------------------------


def _as_day(value, local: bool) -> dt.date | None:
    if isinstance(value, dt.datetime):
        utc = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
        return _local_day(utc) if local else utc.date()
    if isinstance(value, dt.date):
        return value
    return None


def _object_days(obj, day_field: str, fields: tuple[str, ...], local: bool, always: bool) -> set[dt.date]:
    """Return the days an added, changed or deleted row counted or counts for (none if nothing counted changed)."""
    attrs = sa.inspect(obj).attrs
    if not always and not any(attrs[name].history.has_changes() for name in fields):
        return set()
    values = [getattr(obj, day_field), *(attrs[day_field].history.deleted or ())]
    return {day for day in (_as_day(v, local) for v in values) if day is not None}


def _drop(session: Session, marker, stat, days: set[dt.date]) -> None:
    days = {day for day in days if day < _today()}
    if days:
        for model in (stat, marker):
            session.execute(sa.delete(model).where(model.day.in_(sorted(days))))


def drop_stale_summaries(session: Session, flush_context, instances) -> None:
    """Drop the summaries of the days whose referrals or follow-ups change in this flush (before_flush hook)."""
    referral_days: set[dt.date] = set()
    followup_days: set[dt.date] = set()
    for objects, always in ((session.new, True), (session.deleted, True), (session.dirty, False)):
        for obj in objects:
            if isinstance(obj, Referral):
                referral_days |= _object_days(obj, "sent_at", REFERRAL_FIELDS, True, always)
            elif isinstance(obj, FollowUp):
                followup_days |= _object_days(obj, "due_date", FOLLOWUP_FIELDS, False, always)
    _drop(session, ReferralDaySummarised, ReferralDayStat, referral_days)
    _drop(session, FollowUpDaySummarised, FollowUpDayStat, followup_days)


def _bulk_fields(statement) -> set[str] | None:
    """Return the names of the columns a bulk UPDATE sets (None when they cannot be told)."""
    values = getattr(statement, "_values", None)
    if not values:
        return None
    return {getattr(key, "key", None) or str(key) for key in values}


_BULK = {
    Referral: lambda: (Referral.sent_at, REFERRAL_FIELDS, True, ReferralDaySummarised, ReferralDayStat),
    FollowUp: lambda: (FollowUp.due_date, FOLLOWUP_FIELDS, False, FollowUpDaySummarised, FollowUpDayStat),
}


def drop_on_bulk_change(state: ORMExecuteState) -> None:
    """Drop the summaries of the days a bulk UPDATE or DELETE of referrals or follow-ups touches."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    summary = _BULK.get(state.bind_mapper.class_)
    if summary is None:
        return
    day_column, fields, local, marker, stat = summary()
    if state.is_update:
        touched = _bulk_fields(state.statement)
        if touched is not None and not touched & set(fields):
            return
    query = sa.select(day_column).distinct()
    if state.statement.whereclause is not None:
        query = query.where(state.statement.whereclause)
    days = {_as_day(value, local) for value in state.session.scalars(query)}
    _drop(state.session, marker, stat, {day for day in days if day is not None})


def install() -> None:
    """Listen to every session's flushes and bulk statements (once)."""
    if not sa.event.contains(Session, "before_flush", drop_stale_summaries):
        sa.event.listen(Session, "before_flush", drop_stale_summaries)
    if not sa.event.contains(Session, "do_orm_execute", drop_on_bulk_change):
        sa.event.listen(Session, "do_orm_execute", drop_on_bulk_change)
