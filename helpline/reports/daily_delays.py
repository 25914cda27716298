"""Daily summaries of the delays behind the dashboard's medians: time to handoff, the structures' answers.

A median cannot be added up from counts, but it can from the exact values with their counts: a closed
local day keeps how many calls were first handed off after exactly each delay (in microseconds), and
how many referrals each structure answered after exactly each delay, beside the scorecard's counts.
An exact median over a period then reads a few hundred (value, count) rows instead of every handoff
or referral joined to its call. Closed days are summarised the first time they are needed, today is
counted live, and session hooks drop a day's summary when one of its calls, handoffs, referrals or
referral events is added, changed or deleted (through the ORM or a bulk UPDATE/DELETE), as in
`daily.py` and `daily_care.py`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import ORMExecuteState, Session

from models import (
    Call,
    Handoff,
    HandoffDelayDayStat,
    HandoffDelayDaySummarised,
    Referral,
    ReferralEvent,
    StructureAnswerDayStat,
    StructureDayStat,
    StructureDaySummarised,
    db,
)

from .daily import _local_day, _utc_bounds
from .daily_care import _as_day, _bulk_fields, _today
from .daily_care import summarise_missing_days as _summarise
from .period import Period, hour_bucket, parse_hour

MICROSECOND = dt.timedelta(microseconds=1)

# The attributes the summaries count: a change to another one keeps them.
CALL_FIELDS = ("started_at",)
HANDOFF_FIELDS = ("call_id", "created_at")
REFERRAL_FIELDS = ("sent_at", "structure_id", "status", "outcome", "reason")
EVENT_FIELDS = ("referral_id", "from_status", "at")


def micros(delta: dt.timedelta) -> int:
    """Return a duration in whole microseconds (exact: timestamps carry microseconds at most)."""
    return delta // MICROSECOND


def exact_median(values: Counter) -> float | None:
    """Return statistics.median() of the multiset {value: count}, exactly as over the expanded list."""
    n = sum(values.values())
    if not n:
        return None
    wanted = (n // 2,) if n % 2 else (n // 2 - 1, n // 2)
    found: list[float] = []
    seen = 0
    for value in sorted(values):
        count = values[value]
        while len(found) < len(wanted) and wanted[len(found)] < seen + count:
            found.append(value)
        seen += count
        if len(found) == len(wanted):
            break
    return found[0] if len(found) == 1 else (found[0] + found[1]) / 2


# Time to handoff ---------------------------------------------------------------------------------


def _handoff_delays(first: dt.date, last: dt.date) -> Counter:
    """Count the calls of local days [first, last] by (day, delay to their first handoff in µs, 0 if negative).

    A call's first handoff is its earliest one created no earlier than the start of the call's local day.
    """
    start, end = _utc_bounds(first, last)
    query = (
        sa.select(Call.id, Call.started_at, Handoff.created_at)
        .join(Handoff, Handoff.call_id == Call.id)
        .where(Call.started_at >= start, Call.started_at < end, Handoff.created_at >= start)
    )
    firsts: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    for call_id, started, handed in db.session.execute(query):
        day = _local_day(started.replace(tzinfo=None))
        if handed < _utc_bounds(day, day)[0]:
            continue
        if call_id not in firsts or handed < firsts[call_id][1]:
            firsts[call_id] = (started, handed)
    counts: Counter = Counter()
    for started, handed in firsts.values():
        counts[(_local_day(started.replace(tzinfo=None)), max(micros(handed - started), 0))] += 1
    return counts


def _handoff_rows(first: dt.date, last: dt.date) -> dict:
    rows = [{"day": d, "delay_us": us, "calls": n} for (d, us), n in _handoff_delays(first, last).items()]
    return {HandoffDelayDayStat: rows}


def handoff_delays(period: Period) -> Counter:
    """Return the calls of the period handed off, counted by exact delay to their first handoff (µs)."""
    cache = g.setdefault("handoff_delays", {})
    if period in cache:
        return cache[period]
    counts: Counter = Counter()
    today = _today()
    closed_last = min(period.end, today - dt.timedelta(days=1))
    if closed_last >= period.start:
        _summarise(HandoffDelayDaySummarised, _handoff_rows, period.start, closed_last)
        s = HandoffDelayDayStat
        query = (
            sa.select(s.delay_us, sa.func.sum(s.calls))
            .where(s.day >= period.start, s.day <= closed_last)
            .group_by(s.delay_us)
        )
        for us, n in db.session.execute(query):
            counts[int(us)] += int(n)
    live_first = max(period.start, today)
    if period.end >= live_first:
        for (_day, us), n in _handoff_delays(live_first, period.end).items():
            counts[us] += n
    cache[period] = counts
    return counts


# The structures' scorecard -----------------------------------------------------------------------


def _structure_rows(first: dt.date, last: dt.date) -> dict:
    """Count the referrals sent on local days [first, last] per structure, and their first answers' delays."""
    start, end = _utc_bounds(first, last)
    sent = sa.and_(Referral.sent_at >= start, Referral.sent_at < end)
    bucket = hour_bucket(Referral.sent_at)
    outcome = sa.func.coalesce(Referral.outcome, "")
    reason = sa.func.coalesce(Referral.reason, "")
    keys = (bucket, Referral.structure_id, Referral.status, outcome, reason)
    counts: Counter = Counter()
    for hour, structure_id, status, out, why, n in db.session.execute(
        sa.select(*keys, sa.func.count()).where(sent).group_by(*keys)
    ):
        counts[(_local_day(parse_hour(hour)), structure_id, status, out or "", why or "")] += n
    first_answer = (
        sa.select(ReferralEvent.referral_id, sa.func.min(ReferralEvent.at).label("answered"))
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .where(sent, ReferralEvent.from_status == "sent")
        .group_by(ReferralEvent.referral_id)
        .subquery()
    )
    answers: Counter = Counter()
    for structure_id, sent_at, answered in db.session.execute(
        sa.select(Referral.structure_id, Referral.sent_at, first_answer.c.answered).join(
            first_answer, first_answer.c.referral_id == Referral.id
        )
    ):
        answers[(_local_day(sent_at.replace(tzinfo=None)), structure_id, micros(answered - sent_at))] += 1
    return {
        StructureDayStat: [
            {"day": d, "structure_id": i, "status": s, "outcome": o, "reason": r, "referrals": n}
            for (d, i, s, o, r), n in counts.items()
        ],
        StructureAnswerDayStat: [
            {"day": d, "structure_id": i, "delay_us": us, "referrals": n} for (d, i, us), n in answers.items()
        ],
    }


def structure_counts(period: Period) -> tuple[Counter, Counter]:
    """Return the referrals sent in the period counted by (structure, status, outcome or "", reason or ""),
    and their first answers counted by (structure, exact delay in µs)."""
    cache = g.setdefault("structure_counts", {})
    if period in cache:
        return cache[period]
    counts: Counter = Counter()
    answers: Counter = Counter()
    today = _today()
    closed_last = min(period.end, today - dt.timedelta(days=1))
    if closed_last >= period.start:
        _summarise(StructureDaySummarised, _structure_rows, period.start, closed_last)
        s, a = StructureDayStat, StructureAnswerDayStat
        keys = (s.structure_id, s.status, s.outcome, s.reason)
        query = (
            sa.select(*keys, sa.func.sum(s.referrals))
            .where(s.day >= period.start, s.day <= closed_last)
            .group_by(*keys)
        )
        for structure_id, status, outcome, reason, n in db.session.execute(query):
            counts[(structure_id, status, outcome, reason)] += int(n)
        query = (
            sa.select(a.structure_id, a.delay_us, sa.func.sum(a.referrals))
            .where(a.day >= period.start, a.day <= closed_last)
            .group_by(a.structure_id, a.delay_us)
        )
        for structure_id, us, n in db.session.execute(query):
            answers[(structure_id, int(us))] += int(n)
    live_first = max(period.start, today)
    if period.end >= live_first:
        live = _structure_rows(live_first, period.end)
        for row in live[StructureDayStat]:
            counts[(row["structure_id"], row["status"], row["outcome"], row["reason"])] += row["referrals"]
        for row in live[StructureAnswerDayStat]:
            answers[(row["structure_id"], row["delay_us"])] += row["referrals"]
    cache[period] = (counts, answers)
    return counts, answers


# Keeping the summaries true ----------------------------------------------------------------------


def _changed(obj, fields: tuple[str, ...], always: bool) -> bool:
    attrs = sa.inspect(obj).attrs
    return always or any(attrs[name].history.has_changes() for name in fields)


def _values(obj, name: str) -> list:
    """The attribute's value now and the ones it had before this flush."""
    return [getattr(obj, name), *(sa.inspect(obj).attrs[name].history.deleted or ())]


def _parent_days(session: Session, model, ids, day_field: str) -> set[dt.date]:
    days = set()
    with session.no_autoflush:
        for parent_id in {i for i in ids if i is not None}:
            parent = session.get(model, parent_id)
            if parent is not None:
                days |= {_as_day(v, True) for v in _values(parent, day_field)}
    return {day for day in days if day is not None}


def _drop(session: Session, marker, stats, days: set[dt.date]) -> None:
    days = {day for day in days if day is not None and day < _today()}
    if days:
        for model in (*stats, marker):
            session.execute(sa.delete(model).where(model.day.in_(sorted(days))))


HANDOFF_SUMMARY = (HandoffDelayDaySummarised, (HandoffDelayDayStat,))
STRUCTURE_SUMMARY = (StructureDaySummarised, (StructureDayStat, StructureAnswerDayStat))


def drop_stale_summaries(session: Session, flush_context, instances) -> None:
    """Drop the summaries of the days whose calls, handoffs, referrals or events change (before_flush hook)."""
    handoff_days: set[dt.date] = set()
    structure_days: set[dt.date] = set()
    for objects, always in ((session.new, True), (session.deleted, True), (session.dirty, False)):
        for obj in objects:
            if isinstance(obj, Call) and _changed(obj, CALL_FIELDS, always):
                handoff_days |= {_as_day(v, True) for v in _values(obj, "started_at")}
            elif isinstance(obj, Handoff) and _changed(obj, HANDOFF_FIELDS, always):
                if obj.call_id is None and "call" in sa.inspect(obj).dict and obj.call is not None:
                    handoff_days.add(_as_day(obj.call.started_at, True))
                handoff_days |= _parent_days(session, Call, _values(obj, "call_id"), "started_at")
            elif isinstance(obj, Referral) and _changed(obj, REFERRAL_FIELDS, always):
                structure_days |= {_as_day(v, True) for v in _values(obj, "sent_at")}
            elif isinstance(obj, ReferralEvent) and _changed(obj, EVENT_FIELDS, always):
                ids = _values(obj, "referral_id")
                if obj.referral_id is None and "referral" in sa.inspect(obj).dict and obj.referral is not None:
                    structure_days.add(_as_day(obj.referral.sent_at, True))
                structure_days |= _parent_days(session, Referral, ids, "sent_at")
    _drop(session, *HANDOFF_SUMMARY, handoff_days)
    _drop(session, *STRUCTURE_SUMMARY, structure_days)


_BULK = {
    Call: lambda: (CALL_FIELDS, sa.select(Call.started_at), HANDOFF_SUMMARY),
    Handoff: lambda: (
        HANDOFF_FIELDS,
        sa.select(Call.started_at).join(Handoff, Handoff.call_id == Call.id),
        HANDOFF_SUMMARY,
    ),
    Referral: lambda: (REFERRAL_FIELDS, sa.select(Referral.sent_at), STRUCTURE_SUMMARY),
    ReferralEvent: lambda: (
        EVENT_FIELDS,
        sa.select(Referral.sent_at).join(ReferralEvent, ReferralEvent.referral_id == Referral.id),
        STRUCTURE_SUMMARY,
    ),
}


def drop_on_bulk_change(state: ORMExecuteState) -> None:
    """Drop the summaries of the days a bulk UPDATE or DELETE of these rows touches (do_orm_execute hook).

    A bulk UPDATE moving a call or referral to another day drops the day it leaves; the day it reaches
    is dropped too when the new value is a plain date and time.
    """
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    summary = _BULK.get(state.bind_mapper.class_)
    if summary is None:
        return
    fields, query, (marker, stats) = summary()
    days: set[dt.date] = set()
    if state.is_update:
        touched = _bulk_fields(state.statement)
        if touched is not None and not touched & set(fields):
            return
        for key, value in (getattr(state.statement, "_values", None) or {}).items():
            if (getattr(key, "key", None) or str(key)) in ("started_at", "sent_at"):
                days.add(_as_day(getattr(value, "value", None), True))
    if state.statement.whereclause is not None:
        query = query.where(state.statement.whereclause)
    days |= {_as_day(value, True) for value in state.session.scalars(query.distinct())}
    _drop(state.session, marker, stats, days)


def install() -> None:
    """Listen to every session's flushes and bulk statements (once)."""
    if not sa.event.contains(Session, "before_flush", drop_stale_summaries):
        sa.event.listen(Session, "before_flush", drop_stale_summaries)
    if not sa.event.contains(Session, "do_orm_execute", drop_on_bulk_change):
        sa.event.listen(Session, "do_orm_execute", drop_on_bulk_change)
