"""The phone indicator reads daily summaries of the inbound calls and callbacks: built once for closed days,
dropped when a call or a callback changes (through the ORM or a bulk UPDATE/DELETE), the latest two days
counted live — and always the same figures as counting the rows one by one. Seeded random data."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import Counter

import pytest
import sqlalchemy as sa
from reports_support import BRUSSELS, add_user

from helpline.reports import daily_phone, registry
from helpline.reports.daily_phone import phone_counts
from helpline.reports.period import Period
from models import Callback, PhoneCall, PhoneDaySummarised, db
from models.vocabulary import CALLBACK_REASONS, CALLBACK_STATUSES

SEEDS = range(5)
# Local times near the day's boundaries (midnight in Brussels is 22:00 or 23:00 UTC the day before).
HOURS = ((0, 5), (0, 45), (1, 30), (9, 0), (12, 0), (22, 30), (23, 15), (23, 59))


def _today() -> dt.date:
    return dt.datetime.now(BRUSSELS).date()


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    hour, minute = rng.choice(HOURS)
    return dt.datetime.combine(day, dt.time(hour, minute), BRUSSELS).astimezone(dt.UTC)


def _callback(rng: random.Random, first_missed: dt.datetime) -> Callback:
    callback = Callback(
        phone_number=f"+3247{rng.randrange(10**7):07d}",
        reason=rng.choice(CALLBACK_REASONS),
        status=rng.choice(CALLBACK_STATUSES),
        first_missed_at=first_missed,
        last_missed_at=first_missed,
    )
    db.session.add(callback)
    return callback


def _phone_call(rng: random.Random, started: dt.datetime, nurse, callbacks: list[Callback]) -> PhoneCall:
    answered = rng.random() < 0.5
    call = PhoneCall(
        call_sid=f"CA{uuid.UUID(int=rng.getrandbits(128)).hex}",
        direction=rng.choice(("inbound", "inbound", "inbound", "outbound")),
        status="completed",
        started_at=started,
        answered_by_id=nurse.id if answered and rng.random() < 0.7 else None,
        nurse_call_sid=f"CA{uuid.UUID(int=rng.getrandbits(128)).hex}" if answered and rng.random() < 0.5 else None,
        callback_id=rng.choice(callbacks).id if not answered and callbacks and rng.random() < 0.8 else None,
    )
    db.session.add(call)
    return call


def _world(rng: random.Random, days: int = 30):
    nurse = add_user("nurse")
    today = _today()
    callbacks = [_callback(rng, _moment(rng, today - dt.timedelta(days=rng.randrange(days)))) for _ in range(25)]
    db.session.flush()
    for _ in range(90):
        _phone_call(rng, _moment(rng, today - dt.timedelta(days=rng.randrange(days))), nurse, callbacks)
    db.session.commit()
    return nurse


def _periods() -> list[Period]:
    today = _today()
    return [
        Period(today - dt.timedelta(days=30), today),
        Period(today - dt.timedelta(days=14), today - dt.timedelta(days=3)),
        Period(today - dt.timedelta(days=3), today),
        Period(today - dt.timedelta(days=1), today + dt.timedelta(days=3)),
    ]


def _direct(period: Period) -> Counter:
    """Count the period's inbound calls and callbacks one by one, in Python."""
    start, end = period.bounds()
    counts: Counter = Counter()
    for call in db.session.scalars(sa.select(PhoneCall)):
        if call.direction != "inbound" or not start <= call.started_at < end:
            continue
        if call.answered_by_id is not None or call.nurse_call_sid is not None:
            counts[("answered", "")] += 1
        if call.callback_id is not None:
            counts[("missed", db.session.get(Callback, call.callback_id).reason)] += 1
    for callback in db.session.scalars(sa.select(Callback)):
        if start <= callback.first_missed_at < end:
            counts[("callback", callback.status)] += 1
    return +counts


def _table(request_context, period: Period):
    with request_context():
        table = registry.compute("inbound_calls", period)
        return table.rows, table.facts


def _check(request_context, monkeypatch) -> None:
    for period in _periods():
        with request_context():
            assert +phone_counts(period) == _direct(period), period
        summarised = _table(request_context, period)
        with monkeypatch.context() as m:  # every day counted live
            m.setattr(daily_phone, "_today", lambda p=period: p.start - dt.timedelta(days=400))
            assert summarised == _table(request_context, period), period


def _edit(rng: random.Random, nurse) -> None:
    """Change the data the way the app does: callbacks closed or re-reasoned, calls answered, moved, deleted."""
    today = _today()
    callbacks = list(db.session.scalars(sa.select(Callback)))
    for callback in rng.sample(callbacks, 6):
        choice = rng.randrange(3)
        if choice == 0:
            callback.status = rng.choice(("done", "unreachable"))
        elif choice == 1:
            callback.reason = rng.choice(CALLBACK_REASONS)  # counts on its calls' days
        else:
            callback.first_missed_at = _moment(rng, today - dt.timedelta(days=rng.randrange(30)))
    calls = list(db.session.scalars(sa.select(PhoneCall)))
    for call in rng.sample(calls, 8):
        choice = rng.randrange(4)
        if choice == 0:
            call.answered_by_id = nurse.id
        elif choice == 1:
            call.started_at = _moment(rng, today - dt.timedelta(days=rng.randrange(30)))
        elif choice == 2:
            call.callback_id = rng.choice(callbacks).id
        else:
            db.session.delete(call)
    for _ in range(4):  # records of past days written late
        _phone_call(rng, _moment(rng, today - dt.timedelta(days=rng.randrange(2, 30))), nurse, callbacks)
    db.session.commit()


def _bulk(rng: random.Random) -> None:
    """Bulk statements: pending callbacks closed at once, some calls deleted, a reason renamed."""
    db.session.execute(sa.update(Callback).where(Callback.status == "pending").values(status="unreachable"))
    victims = [c.id for c in db.session.scalars(sa.select(PhoneCall)).all()[:5]]
    db.session.execute(sa.delete(PhoneCall).where(PhoneCall.id.in_(victims)))
    db.session.execute(
        sa.update(Callback).where(Callback.reason == "voicemail").values(reason=rng.choice(CALLBACK_REASONS))
    )
    db.session.commit()


@pytest.mark.parametrize("seed", SEEDS)
def test_phone_summaries_equal_counting_the_rows_after_edits_and_bulk_statements(
    app, request_context, monkeypatch, seed
):
    rng = random.Random(seed)
    nurse = _world(rng)

    _check(request_context, monkeypatch)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PhoneDaySummarised)) > 0  # summaries were read

    _edit(rng, nurse)
    _check(request_context, monkeypatch)
    _bulk(rng)
    _check(request_context, monkeypatch)


def test_only_the_changed_days_are_summarised_again(app, request_context):
    rng = random.Random(7)
    nurse = _world(rng)
    period = Period(_today() - dt.timedelta(days=30), _today())
    with request_context():
        phone_counts(period)
    before = set(db.session.scalars(sa.select(PhoneDaySummarised.day)))
    old = _today() - dt.timedelta(days=5)
    call = next(
        c
        for c in db.session.scalars(sa.select(PhoneCall).where(PhoneCall.direction == "inbound"))
        if c.started_at.astimezone(BRUSSELS).date() < old
    )
    day = call.started_at.astimezone(BRUSSELS).date()
    assert day in before

    call.answered_by_id = nurse.id if call.answered_by_id is None else None
    db.session.commit()

    after = set(db.session.scalars(sa.select(PhoneDaySummarised.day)))
    assert after == before - {day}  # its own day dropped, the others kept
