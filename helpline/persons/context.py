"""What the nurse must see as soon as she knows who the call is about: the person's thread so far.

A fixed number of queries whatever the person's history (no query per row): one per kind of fact,
each loading what it shows with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from models import Call, Callback, CareSetting, Case, FollowUp, Person, PersonFlag, Referral

from ..extensions import db

LATEST_CALLS = 5
OPEN_REFERRAL_STATUSES = ("sent", "accepted")
OPEN_FOLLOWUP_STATUSES = ("pending", "claimed")


@dataclass
class PersonContext:
    """The facts of the context panel."""

    person: Person
    calls: list[Call] = field(default_factory=list)
    active_case: Case | None = None
    referrals: list[Referral] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)
    flags: list[PersonFlag] = field(default_factory=list)
    callbacks: list[Callback] = field(default_factory=list)  # missed calls from her numbers, not returned yet
    setting: CareSetting | None = None  # where she is today (home, hospital…), as her case manager recorded it


def active_flags(person_id: int, today: dt.date) -> list[PersonFlag]:
    """Return the flags of a person that still show today, newest first, with who set them."""
    stmt = (
        sa.select(PersonFlag)
        .options(joinedload(PersonFlag.set_by))
        .where(
            PersonFlag.person_id == person_id,
            PersonFlag.lifted_at.is_(None),
            sa.or_(PersonFlag.expires_on.is_(None), PersonFlag.expires_on >= today),
        )
        .order_by(PersonFlag.set_at.desc(), PersonFlag.id.desc())
    )
    return list(db.session.scalars(stmt))


def person_context(person: Person, today: dt.date) -> PersonContext:
    """Return the person's latest calls, active case, open referrals, pending follow-ups, flags and care setting."""
    from ..cases.course import current_setting  # the case-management area records it

    calls = db.session.scalars(
        sa.select(Call)
        .where(Call.person_id == person.id)
        .order_by(Call.started_at.desc(), Call.id.desc())
        .limit(LATEST_CALLS)
    )
    case = db.session.scalar(
        sa.select(Case)
        .options(joinedload(Case.case_manager))
        .where(Case.person_id == person.id, Case.status == "active")
        .order_by(Case.opened_at.desc())
        .limit(1)
    )
    referrals = db.session.scalars(
        sa.select(Referral)
        .options(joinedload(Referral.structure))
        .where(Referral.person_id == person.id, Referral.status.in_(OPEN_REFERRAL_STATUSES))
        .order_by(Referral.sent_at.desc())
    )
    followups = db.session.scalars(
        sa.select(FollowUp)
        .where(FollowUp.person_id == person.id, FollowUp.status.in_(OPEN_FOLLOWUP_STATUSES))
        .order_by(FollowUp.due_date, FollowUp.id)
    )
    return PersonContext(
        person=person,
        calls=list(calls),
        active_case=case,
        referrals=list(referrals),
        followups=list(followups),
        flags=active_flags(person.id, today),
        callbacks=pending_callbacks(person),
        setting=current_setting(person.id, today),
    )


def pending_callbacks(person: Person) -> list[Callback]:
    """Return the calls to return from the person's own number or her contacts'."""
    from .contacts import person_numbers

    numbers = [n.phone for n in person_numbers(person) if n.who != "gp"]
    if not numbers:
        return []
    return list(
        db.session.scalars(
            sa.select(Callback)
            .where(Callback.phone_number.in_(numbers), Callback.status == "pending")
            .order_by(Callback.last_missed_at)
        )
    )
