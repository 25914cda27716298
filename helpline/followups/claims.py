"""Claiming a follow-up so two nurses never work the same one.

A claim is one conditional UPDATE (`… WHERE status = 'pending' … RETURNING`) whose result says who
won: on PostgreSQL the second writer waits for the first one's row lock and then re-checks the
condition, on SQLite writers are serialised. `claim_next` adds `FOR UPDATE SKIP LOCKED` on PostgreSQL so
concurrent workers pick different rows instead of queueing on the same one.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

import sqlalchemy as sa
from flask import current_app

from models import FollowUp, User, utcnow

from ..audit import record
from ..extensions import db
from .worklist import due_condition


def claim_cutoff(now: Optional[dt.datetime] = None) -> dt.datetime:
    """Return the time before which a claim is stale (left unfinished)."""
    minutes = int(current_app.config["FOLLOWUP_CLAIM_MINUTES"])
    return (now or utcnow()) - dt.timedelta(minutes=minutes)


def claimable_by(user_id: int, now: dt.datetime):
    """Return the condition under which a user may take a follow-up."""
    return sa.or_(
        FollowUp.status == "pending",
        sa.and_(
            FollowUp.status == "claimed",
            sa.or_(FollowUp.claimed_by_id == user_id, FollowUp.claimed_at < claim_cutoff(now)),
        ),
    )


def _take(followup_id: int, user_id: int, now: dt.datetime) -> Optional[int]:
    """Take a follow-up if the user may; return its person's id when taken, else None."""
    return db.session.scalar(
        sa.update(FollowUp)
        .where(FollowUp.id == followup_id, claimable_by(user_id, now))
        .values(status="claimed", claimed_by_id=user_id, claimed_at=now)
        .returning(FollowUp.person_id)
        .execution_options(synchronize_session=False)
    )


def claim(followup_id: int, user: User) -> bool:
    """Claim a follow-up for a user and commit; return False when another nurse holds it."""
    person_id = _take(followup_id, user.id, utcnow())
    if person_id is None:
        db.session.rollback()
        return False
    record("claim", "followup", followup_id, person_id=person_id, user_id=user.id)
    db.session.commit()
    return True


def secure(followup_id: int, user: User) -> bool:
    """Take or keep a user's claim inside the current transaction; the row stays locked until commit."""
    return _take(followup_id, user.id, utcnow()) is not None


def claim_next(user: User, today: dt.date, now: Optional[dt.datetime] = None) -> Optional[int]:
    """Claim the oldest due follow-up nobody holds and commit; return its id, or None.

    One statement picks and takes the row: on PostgreSQL its sub-select skips rows other workers
    have locked, on SQLite the statement runs under the database's write lock.
    """
    now = now or utcnow()
    oldest = (
        sa.select(FollowUp.id)
        .where(FollowUp.status == "pending", due_condition(today))
        .order_by(FollowUp.due_date, FollowUp.id)
        .limit(1)
        .with_for_update(skip_locked=True)  # SQLite has no row locks and ignores this
        .scalar_subquery()
    )
    followup_id = db.session.scalar(
        sa.update(FollowUp)
        .where(FollowUp.id == oldest, FollowUp.status == "pending")
        .values(status="claimed", claimed_by_id=user.id, claimed_at=now)
        .returning(FollowUp.id)
        .execution_options(synchronize_session=False)
    )
    if followup_id is None:
        db.session.rollback()
        return None
    record("claim", "followup", followup_id, user_id=user.id)
    db.session.commit()
    return followup_id


def release(followup: FollowUp, user: User) -> bool:
    """Give a claimed follow-up back to the worklist (only its holder can); the caller commits."""
    result = db.session.execute(
        sa.update(FollowUp)
        .where(FollowUp.id == followup.id, FollowUp.status == "claimed", FollowUp.claimed_by_id == user.id)
        .values(status="pending", claimed_by_id=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        record("release", "followup", followup.id, person_id=followup.person_id, user_id=user.id)
    db.session.expire(followup)
    return result.rowcount == 1


def release_stale_claims(now: Optional[dt.datetime] = None) -> int:
    """Give back every claim left unfinished longer than the claim time, commit, and count them."""
    result = db.session.execute(
        sa.update(FollowUp)
        .where(FollowUp.status == "claimed", FollowUp.claimed_at < claim_cutoff(now))
        .values(status="pending", claimed_by_id=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def holds(followup: FollowUp, user: User) -> bool:
    """Tell whether a user holds the claim on a follow-up (even a stale one nobody took over)."""
    return followup.status == "claimed" and followup.claimed_by_id == user.id
