"""The referral and follow-up indicators read daily summaries: built once for closed days, dropped when a
row changes (through the ORM or a bulk UPDATE), today counted live — and always the same figures as
counting the rows themselves. Random data from seeded generators (the same seeds on every run)."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import Counter

import pytest
import sqlalchemy as sa
from reports_support import (
    BRUSSELS,
    add_call,
    add_followup,
    add_handoff,
    add_person,
    add_referral,
    add_structure,
    add_user,
)

from helpline.reports import daily_care, registry
from helpline.reports.daily_care import ON_TIME_GRACE_DAYS, followup_counts, referral_counts
from helpline.reports.indicators import DELAY_BUCKETS
from helpline.reports.period import Period
from models import (
    Call,
    FollowUp,
    FollowUpDaySummarised,
    Handoff,
    Referral,
    ReferralDayStat,
    ReferralDaySummarised,
    ReferralEvent,
    db,
)
from models.vocabulary import (
    CATEGORIES,
    DECLINE_REASONS,
    FOLLOWUP_STATUSES,
    STRUCTURE_DECLINE_REASONS,
    UNSUCCESSFUL_REASONS,
)

CARE_INDICATORS = (
    "referrals_by_status",
    "referrals_by_category",
    "referral_reasons",
    "followups",
    "hospitalisations",
    "satisfaction",
)
SEEDS = range(6)
# Local times near the day's boundaries (midnight in Brussels is 22:00 or 23:00 UTC the day before).
HOURS = ((0, 5), (0, 45), (1, 30), (9, 0), (12, 0), (22, 30), (23, 15), (23, 59))


def _today() -> dt.date:
    return dt.datetime.now(BRUSSELS).date()


def _moment(rng: random.Random, day: dt.date) -> dt.datetime:
    hour, minute = rng.choice(HOURS)
    return dt.datetime.combine(day, dt.time(hour, minute), BRUSSELS)


def _referral_fields(rng: random.Random) -> dict:
    status = rng.choice(("sent", "accepted", "declined", "done"))
    outcome = rng.choice(("successful", "unsuccessful", None)) if status == "done" else rng.choice((None, None, "x"))
    outcome = None if outcome == "x" else outcome
    reasons = DECLINE_REASONS if status == "declined" else UNSUCCESSFUL_REASONS
    reason = rng.choice((*reasons, None, "")) if status in ("declined", "done") else None
    return {"category": rng.choice(CATEGORIES[:4]), "status": status, "outcome": outcome, "reason": reason}


def _followup_fields(rng: random.Random, due: dt.date) -> dict:
    status = rng.choice(FOLLOWUP_STATUSES)
    completed = None
    if status in ("done", "unreachable") or rng.random() < 0.1:
        # Around the on-time limit, on either side of midnight (the limit counts UTC days).
        day = due + dt.timedelta(days=rng.choice((-1, 0, 3, ON_TIME_GRACE_DAYS, ON_TIME_GRACE_DAYS + 1, 20)))
        completed = _moment(rng, day)
    hospitalisation = rng.choice((True, False, None)) if status in ("done", "unreachable", "pending") else None
    return {
        "offset": rng.choice((30, 30, 182, 182, 90)),
        "status": status,
        "completed": completed,
        "hospitalisation": hospitalisation,
        "satisfaction": rng.choice((None, 1, 2, 3, 4, 5)) if status == "done" else None,
    }


def _world(rng: random.Random, days: int = 24):
    nurse, person = add_user("nurse"), add_person()
    structures = [add_structure(name=f"Structure {i}") for i in range(2)]
    today = _today()
    for _ in range(60):
        day = today - dt.timedelta(days=rng.randrange(days))
        add_referral(person, rng.choice(structures), nurse, _moment(rng, day), **_referral_fields(rng))
    for _ in range(60):
        due = today + dt.timedelta(days=rng.randrange(-days, 6))
        add_followup(person, due=due, **_followup_fields(rng, due))
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


def _direct_referrals(period: Period) -> Counter:
    """Count the referrals of the period one by one, in Python."""
    start, end = period.bounds()
    counts: Counter = Counter()
    for r in db.session.scalars(sa.select(Referral)):
        if start <= r.sent_at < end:
            counts[(r.category, r.status, r.outcome or "", r.reason or "")] += 1
    return +counts


def _direct_followups(period: Period) -> Counter:
    """Count the follow-ups due in the period one by one, in Python (on time: UTC day of completion)."""
    counts: Counter = Counter()
    for f in db.session.scalars(sa.select(FollowUp)):
        if period.start <= f.due_date <= period.end:
            done_on = f.completed_at.astimezone(dt.UTC).date() if f.completed_at else None
            on_time = f.status == "done" and done_on is not None and done_on <= f.due_date + dt.timedelta(days=7)
            hosp = "" if f.unplanned_hospitalisation is None else ("yes" if f.unplanned_hospitalisation else "no")
            state = daily_care.followup_state(f.status)
            counts[(f.offset_days, state, on_time, hosp, f.satisfaction or 0)] += 1
    return +counts


def _tables(request_context, period: Period) -> dict:
    with request_context():
        return {key: registry.compute(key, period).rows for key in CARE_INDICATORS}


def _live_tables(request_context, period: Period, monkeypatch) -> dict:
    """The same indicators with every day counted live (no summary read or written)."""
    with monkeypatch.context() as m:
        m.setattr(daily_care, "_today", lambda: period.start - dt.timedelta(days=400))
        return _tables(request_context, period)


def _check(request_context, monkeypatch) -> None:
    for period in _periods():
        with request_context():
            assert +referral_counts(period) == _direct_referrals(period), period
            assert +followup_counts(period) == _direct_followups(period), period
        assert _tables(request_context, period) == _live_tables(request_context, period, monkeypatch), period


def _edit(rng: random.Random, person, structures, nurse) -> None:
    """Change the data the way the app does: statuses, outcomes, reasons, moved and backdated rows, deletions."""
    today = _today()
    referrals = list(db.session.scalars(sa.select(Referral)))
    followups = list(db.session.scalars(sa.select(FollowUp)))
    for referral in rng.sample(referrals, 8):
        choice = rng.randrange(5)
        if choice == 0:
            referral.status, referral.outcome = "done", rng.choice(("successful", "unsuccessful"))
        elif choice == 1:
            referral.status, referral.reason = "declined", rng.choice(DECLINE_REASONS)
        elif choice == 2:
            referral.sent_at = _moment(rng, today - dt.timedelta(days=rng.randrange(30)))
        elif choice == 3:
            referral.category = rng.choice(CATEGORIES[:4])
        else:
            db.session.delete(referral)
    for _ in range(3):  # backdated referrals
        day = today - dt.timedelta(days=rng.randrange(1, 30))
        add_referral(person, rng.choice(structures), nurse, _moment(rng, day), **_referral_fields(rng))
    for followup in rng.sample(followups, 10):
        choice = rng.randrange(7)
        if choice == 6:
            followup.satisfaction = rng.choice((None, 2, 5))
        elif choice == 0:
            followup.status, followup.completed_at = "done", _moment(rng, followup.due_date + dt.timedelta(days=7))
        elif choice == 1:
            followup.due_date = followup.due_date + dt.timedelta(days=rng.choice((-9, -1, 1, 4)))
        elif choice == 2:
            followup.unplanned_hospitalisation = rng.choice((True, False, None))
        elif choice == 3:
            followup.status = rng.choice(FOLLOWUP_STATUSES)
        elif choice == 4:
            followup.attempts += 1  # not counted: keeps the summary
        else:
            db.session.delete(followup)
    for _ in range(3):
        due = today - dt.timedelta(days=rng.randrange(1, 30))
        add_followup(person, due=due, **_followup_fields(rng, due))
    db.session.commit()
    # Bulk statements, as cancellation and claims write them.
    ids = rng.sample([f.id for f in db.session.scalars(sa.select(FollowUp))], 5)
    db.session.execute(
        sa.update(FollowUp)
        .where(FollowUp.id.in_(ids[:3]), FollowUp.status.in_(("pending", "claimed")))
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(FollowUp)
        .where(FollowUp.id.in_(ids[3:]), FollowUp.status == "pending")
        .values(status="claimed", claimed_by_id=nurse.id)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.update(Referral)
        .where(Referral.id == rng.choice([r.id for r in db.session.scalars(sa.select(Referral))]))
        .values(status="accepted", outcome=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.expire_all()


@pytest.mark.parametrize("seed", SEEDS)
def test_summarised_indicators_equal_the_live_count_through_edits(app, request_context, monkeypatch, seed):
    rng = random.Random(seed)
    nurse, person, structures = _world(rng)
    _check(request_context, monkeypatch)  # builds the summaries of the closed days
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferralDaySummarised)) > 0
    for _ in range(3):
        _edit(rng, person, structures, nurse)
        _check(request_context, monkeypatch)


def test_closed_days_are_summarised_once_and_today_stays_live(app, request_context):
    rng = random.Random(99)
    nurse, person, structures = _world(rng)
    period = _periods()[0]
    with request_context():
        referral_counts(period), followup_counts(period)
    today = _today()
    assert db.session.get(ReferralDaySummarised, today) is None
    assert db.session.get(FollowUpDaySummarised, today) is None
    assert db.session.get(ReferralDaySummarised, today - dt.timedelta(days=1)) is not None
    rows = db.session.scalar(sa.select(sa.func.count()).select_from(ReferralDayStat))
    with request_context():
        before = +referral_counts(period)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferralDayStat)) == rows
    add_referral(person, structures[0], nurse, dt.datetime.now(BRUSSELS), category=CATEGORIES[0])
    db.session.commit()
    with request_context():
        after = +referral_counts(period)
    assert sum(after.values()) == sum(before.values()) + 1


def test_a_change_nobody_counts_keeps_the_day_summarised(app, request_context):
    rng = random.Random(7)
    nurse, _person, _structures = _world(rng)
    period = _periods()[0]
    with request_context():
        followup_counts(period)
    followup = db.session.scalars(sa.select(FollowUp).where(FollowUp.due_date < _today())).first()
    marker = followup.due_date
    followup.attempts += 1
    db.session.execute(
        sa.update(FollowUp)
        .where(FollowUp.id == followup.id)
        .values(reminder_sent_at=dt.datetime.now(dt.UTC))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    assert db.session.get(FollowUpDaySummarised, marker) is not None
    followup.status = "done"
    db.session.commit()
    assert db.session.get(FollowUpDaySummarised, marker) is None


def _old_time_to_handoff_hours(period: Period) -> list[float]:
    """The hours to the first handoff as the single joined query computed them before."""
    start, end = period.bounds()
    first = (
        sa.select(Handoff.call_id, sa.func.min(Handoff.created_at).label("handed"))
        .where(Handoff.created_at >= start)
        .group_by(Handoff.call_id)
        .subquery()
    )
    query = (
        sa.select(Call.started_at, first.c.handed)
        .join(first, first.c.call_id == Call.id)
        .where(Call.started_at >= start, Call.started_at < end)
    )
    return [max((handed - started).total_seconds() / 3600, 0.0) for started, handed in db.session.execute(query)]


@pytest.mark.parametrize("seed", range(3))
def test_time_to_handoff_equals_the_joined_query(app, request_context, seed):
    rng = random.Random(seed)
    nurse, person = add_user("nurse"), add_person()
    today = _today()
    for _ in range(40):
        call = add_call(person, nurse, _moment(rng, today - dt.timedelta(days=rng.randrange(40))))
        for _ in range(rng.choice((0, 1, 1, 2))):
            add_handoff(call, nurse, call.started_at + dt.timedelta(hours=rng.choice((0.5, 5, 30, 100, 300))))
    db.session.commit()
    for period in _periods():
        with request_context():
            table = registry.compute("time_to_handoff", period)
            hours = sorted(_old_time_to_handoff_hours(period))
        expected = Counter(
            next(i for i, (limit, _) in enumerate(DELAY_BUCKETS) if limit is None or h < limit) for h in hours
        )
        assert [row[1] for row in table.rows] == [expected[i] for i in range(len(DELAY_BUCKETS))]
        facts = dict(table.facts)
        assert list(facts.values())[0] == str(len(hours))
        assert list(facts.values())[1:] == ([f"{statistics.median(hours):.1f}"] if hours else [])


@pytest.mark.parametrize("seed", range(3))
def test_the_scorecard_equals_counting_the_referrals_one_by_one(app, request_context, seed):
    rng = random.Random(seed)
    nurse, person, structures = _world(rng)
    for referral in db.session.scalars(sa.select(Referral)):
        for _ in range(rng.choice((0, 1, 2))):
            days = rng.choice((0.2, 1, 3.5, 10))
            referral.events.append(
                ReferralEvent(
                    from_status=rng.choice(("sent", "sent", "accepted")),
                    to_status="accepted",
                    via="link",
                    at=referral.sent_at + dt.timedelta(days=days),
                )
            )
    db.session.commit()
    for period in _periods():
        start, end = period.bounds()
        expected = {}
        for s in structures:
            mine = [r for r in _structure_referrals(s) if start <= r.sent_at < end]
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
        with request_context():
            rows = registry.compute("structure_scorecard", period).rows
        assert {row[0]: row for row in rows} == expected, period


def _structure_referrals(structure):
    return db.session.scalars(sa.select(Referral).where(Referral.structure_id == structure.id)).all()


def test_satisfaction_counts_the_scores_of_the_follow_up_calls_done(app, request_context):
    """Scores of closed days (summarised) and of today (live) together; open or unanswered calls left out;
    the mean masked in the CSV when few persons answered."""
    from helpline.reports.tables import MASK, SECONDARY_MASK, to_csv

    person = add_person()
    today = _today()
    moment = _moment(random.Random(0), today)
    for due, score in (
        [(today - dt.timedelta(days=3), 5)] * 4
        + [(today - dt.timedelta(days=2), 2)] * 2
        + [
            (today, 4),
            (today, None),
        ]
    ):
        add_followup(person, 30, due, status="done", completed=moment, satisfaction=score)
    add_followup(person, 182, today - dt.timedelta(days=1), status="done", completed=moment, satisfaction=3)
    add_followup(person, 30, today - dt.timedelta(days=1), status="pending", satisfaction=1)  # not done: left out
    db.session.commit()
    period = Period(today - dt.timedelta(days=10), today)
    with request_context():
        table = registry.compute("satisfaction", period)
    month, half_year = table.rows
    #                        answered, 1, 2, 3, 4, 5, satisfied, mean
    assert month[1:] == [7, 0, 2, 0, 1, 4, 5, round((4 * 5 + 2 * 2 + 4) / 7, 1)]
    assert half_year[1:] == [1, 0, 0, 1, 0, 0, 0, 3.0]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUpDaySummarised)) > 0
    with request_context():
        lines = to_csv(table, "fr").splitlines()
    assert lines[2].split(";")[-1] == MASK  # one answer at 6 months: its mean would tell it
    assert lines[1].split(";")[-1] == SECONDARY_MASK  # the column's only other count would give it away
