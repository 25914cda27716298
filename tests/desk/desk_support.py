"""Builders of the nurse's desk tests: a known person with a carer, her calls."""

from __future__ import annotations

import datetime as dt
import itertools

from helpline.persons.service import set_names
from models import FollowUp, Person, PersonContact, Referral, Structure, db

PERSON_PHONE = "+32470000601"
CARER_PHONE = "+32470000602"
OTHER_PHONE = "+32470000603"
_numbers = itertools.count(1)


def add_person(phone: str | None = PERSON_PHONE, **fields) -> Person:
    """Create a synthetic person."""
    person = Person(phone=phone, postcode=fields.pop("postcode", "4020"), **fields)
    set_names(person, "Odette", f"Exemple{next(_numbers)}")
    db.session.add(person)
    db.session.commit()
    return person


def add_contact(person: Person, phone: str = CARER_PHONE, may_call: bool = True, **fields) -> PersonContact:
    """Add a carer to a person's contacts."""
    contact = PersonContact(
        person_id=person.id,
        phone=phone,
        may_call=may_call,
        name=fields.pop("name", "Marc Aidant"),
        relation=fields.pop("relation", "fils"),
        kind=fields.pop("kind", "carer"),
        **fields,
    )
    db.session.add(contact)
    db.session.commit()
    return contact


def add_followup(person: Person, due: dt.date = dt.date(2026, 12, 1)) -> FollowUp:
    """Create a pending follow-up of a person."""
    followup = FollowUp(person_id=person.id, offset_days=30, due_date=due)
    db.session.add(followup)
    db.session.commit()
    return followup


def add_referral(person: Person, by) -> Referral:
    """Create a referral of a person to a demo structure, with her consent checked."""
    structure = Structure(name=f"Répit Démo {next(_numbers)}", category="carer_support", services=[])
    referral = Referral(
        person_id=person.id,
        structure=structure,
        category="carer_support",
        created_by_id=by.id,
        consent_checked=True,
        message="Demande de répit.",
    )
    db.session.add(referral)
    db.session.commit()
    return referral
