"""The time to handoff and the structures' scorecard read daily summaries of exact delays with their counts:
built once for closed days, dropped when a call, handoff, referral or referral event changes (through the
ORM or a bulk UPDATE/DELETE), today counted live — and always the same figures, medians included, as the
rows taken one by one. Random data from seeded generators (the same seeds on every run)."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import Counter

import pytest
import sqlalchemy as sa
from reports_support import BRUSSELS, add_call, add_handoff, add_person, add_referral, add_structure, add_user

from helpline.reports import daily_delays, registry
from helpline.reports.daily_delays import exact_median
from helpline.reports.indicators import DELAY_BUCKETS
from helpline.reports.period import Period
from models import (
    Call,
    Handoff,
    HandoffDelayDayStat,
    HandoffDelayDaySummarised,
    Referral,
    ReferralEvent,
    StructureDaySummarised,
    db,
)
from models.vocabulary import CATEGORIES, DECLINE_REASONS, STRUCTURE_DECLINE_REASONS

SEEDS = range(5)
# Local times near the day's boundaries (midnight in Brussels is 22:00 or 23:00 UTC the day before).
HOURS = ((0, 5), (0, 45), (1, 30), (9, 0), (12, 0), (22, 30), (23, 15), (23, 59))
DELAYS_HOURS = (0, 0.25, 0.5, 1, 5, 23.99, 30, 71.5, 100, 167.9, 300)


def _today() -> dt.date:
    return dt.datetime.now(BRUSSELS).date()


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    hour, minute = rng.choice(HOURS)
    return dt.datetime.combine(day, dt.time(hour, minute, rng.choice((0, 7)), rng.choice((0, 1, 999_999))), BRUSSELS)


def _referral_fields(rng: random.Random) -> dict:
    status = rng.choice(("sent", "accepted", "declined", "done"))
    outcome = rng.choice(("successful", "unsuccessful", None)) if status == "done" else None
    reason = rng.choice((*DECLINE_REASONS, None)) if status == "declined" else None
    return {"category": rng.choice(CATEGORIES[:4]), "status": status, "outcome": outcome, "reason": reason}


def _add_handoffs(rng: random.Random, call: Call, nurse) -> None:
    for _ in range(rng.choice((0, 1, 1, 2))):
        add_handoff(call, nurse, call.started_at + dt.timedelta(hours=rng.choice(DELAYS_HOURS)))


def _add_events(rng: random.Random, referral: Referral) -> None:
    for _ in range(rng.choice((0, 1, 2))):
        referral.events.append(
            ReferralEvent(
                from_status=rng.choice(("sent", "sent", "accepted")),
                to_status="accepted",
                via="link",
                at=referral.sent_at
                + dt.timedelta(days=rng.choice((0.2, 1, 1, 3.5, 10)), microseconds=rng.randrange(3)),
            )
        )


def _world(rng: random.Random, days: int = 24):
    nurse, person = add_user("nurse"), add_person()
    structures = [add_structure(name=f"Structure {i}") for i in range(3)]
    today = _today()
    for _ in range(50):
        call = add_call(person, nurse, _moment(rng, today - dt.timedelta(days=rng.randrange(days))))
        _add_handoffs(rng, call, nurse)
    for _ in range(50):
        day = today - dt.timedelta(days=rng.randrange(days))
        referral = add_referral(person, rng.choice(structures), nurse, _moment(rng, day), **_referral_fields(rng))
        _add_events(rng, referral)
    db.session.commit()
    return nurse, person, structures


def _periods() -> list[Period]:
    today = _today()
    return [
        Period(today - dt.timedelta(days=24), today),
        Period(today - dt.timedelta(days=12), today - dt.timedelta(days=3)),
        Period(today - dt.timedelta(days=30), today - dt.timedelta(days=18)),
        Period(today - dt.timedelta(days=5), today + dt.timedelta(days=6)),
        Period(today, today),
    ]


def _direct_handoff(period: Period) -> tuple[list[int], list[str]]:
    """Time to handoff from the calls and handoffs one by one, in Python (bucket counts and facts)."""
    start, end = period.bounds()
    hours = []
    for call in db.session.scalars(sa.select(Call)):
        if not start <= call.started_at < end:
            continue
        day_start = dt.datetime.combine(call.started_at.astimezone(BRUSSELS).date(), dt.time(), BRUSSELS)
        handed = [h.created_at for h in db.session.scalars(sa.select(Handoff).where(Handoff.call_id == call.id))]
        handed = [at for at in handed if at >= day_start]
        if handed:
            hours.append(max((min(handed) - call.started_at).total_seconds() / 3600, 0.0))
    buckets = Counter(
        next(i for i, (limit, _) in enumerate(DELAY_BUCKETS) if limit is None or h < limit) for h in hours
    )
    facts = [str(len(hours))] + ([f"{statistics.median(hours):.1f}"] if hours else [])
    return [buckets[i] for i in range(len(DELAY_BUCKETS))], facts


def _direct_scorecard(period: Period, structures) -> dict:
    """The scorecard from the referrals and their events one by one, in Python."""
    start, end = period.bounds()
    expected = {}
    for s in structures:
        mine = [
            r
            for r in db.session.scalars(sa.select(Referral).where(Referral.structure_id == s.id))
            if start <= r.sent_at < end
        ]
        if not mine:
            continue
        delays = []
        for r in mine:
            answers = [e.at for e in r.events if e.from_status == "sent"]
            if answers:
                delays.append((min(answers) - r.sent_at).total_seconds() / 86400)
        declined = Counter(
            r.reason if r.reason in STRUCTURE_DECLINE_REASONS else "other" for r in mine if r.status == "declined"
        )
        expected[s.name] = [
            s.name,
            len(mine),
            len(delays),
            round(statistics.median(delays), 1) if delays else None,
            sum(r.status in ("accepted", "done") for r in mine),
            *[declined[reason] for reason in STRUCTURE_DECLINE_REASONS],
            sum(r.status == "done" and r.outcome == "successful" for r in mine),
        ]
    return expected


def _tables(request_context, period: Period) -> dict:
    with request_context():
        handoff = registry.compute("time_to_handoff", period)
        scorecard = registry.compute("structure_scorecard", period)
        return {"handoff": (handoff.rows, handoff.facts), "scorecard": scorecard.rows}


def _check(request_context, monkeypatch, structures) -> None:
    for period in _periods():
        tables = _tables(request_context, period)
        with monkeypatch.context() as m:  # every day counted live: no summary read or written
            m.setattr(daily_delays, "_today", lambda start=period.start: start - dt.timedelta(days=400))
            assert tables == _tables(request_context, period), period
        rows, facts = tables["handoff"]
        assert ([row[1] for row in rows], [value for _label, value in facts]) == _direct_handoff(period), period
        assert {row[0]: row for row in tables["scorecard"]} == _direct_scorecard(period, structures), period


def _edit(rng: random.Random, person, structures, nurse) -> None:
    """Change the data the way the app does: moved and backdated calls, handoffs, referrals and answers."""
    today = _today()
    calls = list(db.session.scalars(sa.select(Call)))
    handoffs = list(db.session.scalars(sa.select(Handoff)))
    referrals = list(db.session.scalars(sa.select(Referral)))
    events = list(db.session.scalars(sa.select(ReferralEvent)))
    for call in rng.sample(calls, 4):
        call.started_at = _moment(rng, today - dt.timedelta(days=rng.randrange(30)))
    for handoff in rng.sample(handoffs, min(6, len(handoffs))):
        choice = rng.randrange(3)
        if choice == 0:
            handoff.created_at = handoff.created_at + dt.timedelta(hours=rng.choice((-2, 3, 50)))
        elif choice == 1:
            handoff.call_id = rng.choice(calls).id
        else:
            db.session.delete(handoff)
    for _ in range(3):  # backdated calls, handed off now or later
        call = add_call(person, nurse, _moment(rng, today - dt.timedelta(days=rng.randrange(1, 30))))
        _add_handoffs(rng, call, nurse)
    for call in rng.sample(calls, 3):  # a handoff written days after the call's day closed
        add_handoff(call, nurse, call.started_at + dt.timedelta(hours=rng.choice(DELAYS_HOURS)))
    for referral in rng.sample(referrals, 8):
        choice = rng.randrange(5)
        if choice == 0:
            referral.status, referral.outcome = "done", rng.choice(("successful", "unsuccessful"))
        elif choice == 1:
            referral.status, referral.reason = "declined", rng.choice(DECLINE_REASONS)
        elif choice == 2:
            referral.sent_at = _moment(rng, today - dt.timedelta(days=rng.randrange(30)))
        elif choice == 3:
            referral.structure_id = rng.choice(structures).id
        else:
            _add_events(rng, referral)
    for event in rng.sample(events, min(5, len(events))):
        if rng.random() < 0.5:
            event.at = event.at + dt.timedelta(hours=rng.choice((-30, 5, 70)))
        else:
            db.session.delete(event)
    for _ in range(3):  # backdated referrals
        day = today - dt.timedelta(days=rng.randrange(1, 30))
        referral = add_referral(person, rng.choice(structures), nurse, _moment(rng, day), **_referral_fields(rng))
        _add_events(rng, referral)
    db.session.commit()
    # Bulk statements.
    handoff_ids = [h.id for h in db.session.scalars(sa.select(Handoff))]
    db.session.execute(
        sa.update(Handoff)
        .where(Handoff.id.in_(rng.sample(handoff_ids, 2)))
        .values(created_at=Handoff.created_at)  # same value: still dropped (the column is touched)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.delete(Handoff).where(Handoff.id == rng.choice(handoff_ids)).execution_options(synchronize_session=False)
    )
    event_ids = [e.id for e in db.session.scalars(sa.select(ReferralEvent))]
    if event_ids:
        db.session.execute(
            sa.update(ReferralEvent)
            .where(ReferralEvent.id == rng.choice(event_ids))
            .values(from_status="sent")
            .execution_options(synchronize_session=False)
        )
    db.session.execute(
        sa.update(Referral)
        .where(Referral.id == rng.choice([r.id for r in db.session.scalars(sa.select(Referral))]))
        .values(structure_id=rng.choice(structures).id, status="declined", reason=STRUCTURE_DECLINE_REASONS[0])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.expire_all()


@pytest.mark.parametrize("seed", SEEDS)
def test_summarised_delays_equal_the_live_computation_through_edits(app, request_context, monkeypatch, seed):
    rng = random.Random(seed)
    nurse, person, structures = _world(rng)
    _check(request_context, monkeypatch, structures)  # builds the summaries of the closed days
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HandoffDelayDaySummarised)) > 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StructureDaySummarised)) > 0
    for _ in range(3):
        _edit(rng, person, structures, nurse)
        _check(request_context, monkeypatch, structures)


def test_closed_days_are_summarised_once_and_a_late_handoff_drops_its_call_day(app, request_context):
    rng = random.Random(11)
    nurse, person, _structures = _world(rng)
    period = _periods()[0]
    with request_context():
        registry.compute("time_to_handoff", period)
    today = _today()
    assert db.session.get(HandoffDelayDaySummarised, today) is None
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(HandoffDelayDayStat))
    with request_context():
        registry.compute("time_to_handoff", period)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(HandoffDelayDayStat)) == rows
    call = add_call(person, nurse, _moment(rng, today - dt.timedelta(days=3)))
    db.session.commit()
    day = call.started_at.astimezone(BRUSSELS).date()
    with request_context():
        registry.compute("time_to_handoff", period)
    assert db.session.get(HandoffDelayDaySummarised, day) is not None
    add_handoff(call, nurse, dt.datetime.now(dt.UTC))  # handed off today, three days after the call
    db.session.commit()
    assert db.session.get(HandoffDelayDaySummarised, day) is None
    call.summary = "Rappel."  # not counted: keeps the summary
    with request_context():
        registry.compute("time_to_handoff", period)
    db.session.commit()
    assert db.session.get(HandoffDelayDaySummarised, day) is not None


@pytest.mark.parametrize(
    "values",
    [[], [1.0], [2.0, 1.0], [3.0, 1.0, 1.0], [0.1, 0.2, 0.2, 0.7], [5.5] * 4 + [0.25] * 3, [1e-6, 1 / 3, 2 / 3, 7.0]],
)
def test_the_median_of_counted_values_is_the_median_of_the_list(values):
    assert exact_median(Counter(values)) == (statistics.median(values) if values else None)
