"""Retention: persons without contact for the configured period are pseudonymised."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa

from models import Call, Case, FollowUp, Person, utcnow
from models.vocabulary import FOLLOWUP_OPEN_STATUSES as OPEN_FOLLOWUP

from ..extensions import db
from .erasure import pseudonymise


@dataclass
class Expired:
    """A person past the retention period."""

    person_id: int
    last_contact: dt.datetime


def cutoff(months: int, now: Optional[dt.datetime] = None) -> dt.datetime:
    """Return the moment before which the last contact must be for a person to be pseudonymised."""
    return (now or utcnow()) - dt.timedelta(days=round(months * 365.25 / 12))


def expired_persons(months: int, now: Optional[dt.datetime] = None) -> list[Expired]:
    """Return the persons whose last contact is older than the period and who have nothing open."""
    last_call = sa.select(sa.func.max(Call.started_at)).where(Call.person_id == Person.id).scalar_subquery()
    last = sa.func.coalesce(Person.last_contact_at, last_call, Person.created_at)
    open_case = sa.select(Case.id).where(Case.person_id == Person.id, Case.status != "closed").exists()
    open_followup = (
        sa.select(FollowUp.id).where(FollowUp.person_id == Person.id, FollowUp.status.in_(OPEN_FOLLOWUP)).exists()
    )
    stmt = (
        sa.select(Person.id, last.label("last"))
        .where(Person.pseudonymised_at.is_(None), ~open_case, ~open_followup)
        .order_by(Person.id)
    )
    limit = cutoff(months, now)
    result = []
    for person_id, last_contact in db.session.execute(stmt):
        # Compare in Python: the coalesced value comes back naive on some back ends.
        moment = (
            Person.__table__.c.last_contact_at.type.process_result_value(last_contact, None)
            if isinstance(last_contact, dt.datetime) and last_contact.tzinfo is None
            else last_contact
        )
        if moment < limit:
            result.append(Expired(person_id, moment))
    return result


def run_retention(months: int, *, dry_run: bool, now: Optional[dt.datetime] = None) -> list[Expired]:
    """Pseudonymise every expired person (unless dry_run) and return them."""
    expired = expired_persons(months, now)
    if dry_run:
        return expired
    for item in expired:
        person = db.session.get(Person, item.person_id)
        pseudonymise(person, f"retention: no contact for {months} months", action="retention")
    db.session.commit()
    return expired
