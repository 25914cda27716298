"""Two workers with their own connections claim the same 1,000 due follow-ups: none is claimed twice.

Two ways are raced: both take "the next due" until none is left (1,000 rows), and both try every
row in the same order (300 rows, each fought over).

On PostgreSQL this exercises the row locks (`FOR UPDATE SKIP LOCKED`, conditional updates); on
SQLite the same code runs against a file database whose writers are serialised.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from followup_factories import add_person, add_referral, add_user, today_local

from helpline.followups.claims import claim, claim_next
from models import FollowUp, db

COUNT = 1000
EACH_COUNT = 300  # both workers race for every one of these rows, in the same order


@pytest.fixture
def app_config(database):
    """Skip the disk flush at each commit: the test is about locks, not durability, and must be quick."""
    if database["kind"] == "postgresql":
        return {"SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": "-c synchronous_commit=off"}}}
    return {}


@pytest.fixture
def fast_sqlite(app, database):
    """On SQLite, write without waiting for the disk (each new connection)."""
    if database["kind"] == "sqlite":
        sa.event.listen(db.engine, "connect", lambda conn, _record: conn.execute("PRAGMA synchronous=OFF"))
        db.engine.dispose()


def _due_followups(referrer, count: int) -> list[int]:
    person = add_person()
    referral = add_referral(person, referrer)
    due = today_local() - dt.timedelta(days=1)
    db.session.execute(
        sa.insert(FollowUp),
        [
            {
                "person_id": person.id,
                "referral_id": referral.id,
                "offset_days": n,
                "due_date": due,
                "status": "pending",
                "attempts": 0,
                "notes": "",
            }
            for n in range(count)
        ],
    )
    db.session.commit()
    return list(db.session.scalars(sa.select(FollowUp.id).order_by(FollowUp.id)))


def _run_workers(app, work) -> list[list[int]]:
    """Run two workers at once, each in its own app context (own session, own connection)."""
    users = [add_user("nurse").id, add_user("nurse").id]
    results: list[list[int]] = [[], []]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker(index: int) -> None:
        try:
            with app.app_context():
                from models import User

                user = db.session.get(User, users[index])
                barrier.wait()
                results[index] = work(user)
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


@pytest.mark.parametrize("strategy", ["next", "each"])
def test_two_workers_never_claim_the_same_follow_up(app, fast_sqlite, referrer, strategy):
    ids = _due_followups(referrer, COUNT if strategy == "next" else EACH_COUNT)
    today = today_local()

    def take_next(user) -> list[int]:
        taken = []
        while (followup_id := claim_next(user, today)) is not None:
            taken.append(followup_id)
        return taken

    def try_each(user) -> list[int]:
        return [followup_id for followup_id in ids if claim(followup_id, user)]

    first, second = _run_workers(app, take_next if strategy == "next" else try_each)

    assert not set(first) & set(second)
    assert sorted(first + second) == ids
    db.session.expire_all()
    holders = dict(db.session.execute(sa.select(FollowUp.id, FollowUp.claimed_by_id)).all())
    assert all(holders[i] is not None for i in ids)
    assert len(set(holders.values())) == 2 or not (first and second)
