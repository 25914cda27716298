"""Builders of follow-up test data: synthetic persons, referrals, closed cases and follow-ups."""

from __future__ import annotations

import datetime as dt
import itertools

from helpline.persons.service import set_names
from models import Case, Consent, FollowUp, Person, Referral, Structure, User, db

_numbers = itertools.count(1)


def add_person(phone: str | None = "+32470999001", sms: bool | None = None, by=None) -> Person:
    """Create a synthetic person, with an SMS consent (or refusal) when asked."""
    person = Person(phone=phone, postcode="4020")
    set_names(person, "Yvonne", f"Testeuse{next(_numbers)}")
    db.session.add(person)
    db.session.flush()
    if sms is not None:
        db.session.add(
            Consent(person_id=person.id, purpose="sms", granted=sms, given_on=dt.date(2025, 1, 6), recorded_by_id=by.id)
        )
    db.session.commit()
    return person


def add_referral(person: Person, by, sent: dt.date = dt.date(2025, 3, 3)) -> Referral:
    """Create a referral of a person to a demo structure, made by a user on a day."""
    structure = Structure(name=f"Répit Démo {next(_numbers)}", category="carer_support", services=[])
    sent_at = dt.datetime.combine(sent, dt.time(10), tzinfo=dt.UTC)
    referral = Referral(
        person_id=person.id,
        structure=structure,
        category="carer_support",
        created_by_id=by.id,
        sent_at=sent_at,
        status_changed_at=sent_at,
    )
    db.session.add(referral)
    db.session.commit()
    return referral


def add_closed_case(person: Person, manager, closed: dt.date = dt.date(2025, 3, 3)) -> Case:
    """Create a case of a person, closed on a day by its case manager."""
    closed_at = dt.datetime.combine(closed, dt.time(15), tzinfo=dt.UTC)
    case = Case(
        person_id=person.id,
        status="closed",
        case_manager_id=manager.id if manager else None,
        closed_at=closed_at,
        closure_reason="goals_reached",
    )
    db.session.add(case)
    db.session.commit()
    return case


def add_followup(person: Person, referral: Referral, due: dt.date, offset: int = 30, **fields) -> FollowUp:
    """Create a follow-up of a referral due on a given day (bypassing the scheduler)."""
    followup = FollowUp(
        person_id=person.id,
        referral_id=referral.id,
        offset_days=offset,
        due_date=due,
        status=fields.pop("status", "pending"),
        **fields,
    )
    db.session.add(followup)
    db.session.commit()
    return followup


def add_user(role: str = "nurse", name: str = "Soignante Démo", **fields) -> User:
    """Create a staff account that does not log in."""
    user = User(email=f"{role}-{next(_numbers)}@test.invalid", name=name, roles=role, password_hash="-", **fields)
    db.session.add(user)
    db.session.commit()
    return user


def today_local() -> dt.date:
    """Return the helpline's today."""
    from helpline.formatting import local_now

    return local_now().date()
