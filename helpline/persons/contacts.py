"""A person's contacts and every number the helpline may call back about her."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _

from models import Call, Case, Person, PersonContact, User
from models.vocabulary import CONTACT_KINDS as CONTACT_CALLER_TYPES  # a carer or a professional who calls

from ..extensions import db
from ..phones import PhoneError, looks_like_phone, normalise_phone


@dataclass(frozen=True)
class Number:
    """One number to call back about a person: whose it is, and whether it may be called."""

    phone: str
    who: str  # "person", "gp", "contact" or "caller"
    name: str = ""
    relation: str = ""
    may_call: bool = True
    contact_id: Optional[int] = None


def record_caller_contact(call: Call) -> Optional[PersonContact]:
    """Add the carer or professional who called to the person's contacts, or update the one known."""
    if call.caller_type not in CONTACT_CALLER_TYPES or not call.caller_phone:
        return None
    contact = db.session.scalar(
        sa.select(PersonContact)
        .where(PersonContact.person_id == call.person_id, PersonContact.phone == call.caller_phone)
        .limit(1)
    )
    if contact is None:
        contact = PersonContact(
            person_id=call.person_id,
            phone=call.caller_phone,
            kind=call.caller_type,
            name=call.caller_name or "",
            relation=call.caller_relation,
        )
        db.session.add(contact)
        return contact
    # A caller who gives her name again keeps the record current; a blank field keeps what is known.
    if call.caller_name and contact.name != call.caller_name:
        contact.name = call.caller_name
    if call.caller_relation and contact.relation != call.caller_relation:
        contact.relation = call.caller_relation
    if contact.kind != call.caller_type:
        contact.kind = call.caller_type
    return contact


def person_numbers(person: Person, call: Optional[Call] = None, *, external: bool = False) -> list[Number]:
    """Return the numbers to call back about a person: hers, the caller's, her contacts', her GP's.

    `external` (a sheet leaving the helpline) keeps only hers and her contacts who may be called.
    """
    numbers: list[Number] = []
    if person.phone:
        numbers.append(Number(person.phone, "person", person.display_name))
    if call is not None and call.caller_phone and call.caller_type != "patient" and not external:
        numbers.append(Number(call.caller_phone, "caller", call.caller_name or "", call.caller_relation or ""))
    for contact in person.contacts:
        if contact.phone and (contact.may_call or not external):
            numbers.append(
                Number(contact.phone, "contact", contact.name, contact.relation or "", contact.may_call, contact.id)
            )
    if person.gp_phone and not external:
        numbers.append(Number(person.gp_phone, "gp", person.gp_name or ""))
    seen: set[str] = set()
    unique = []
    for number in numbers:  # the caller who is also a known contact is listed once, as the contact
        if number.phone in seen:
            continue
        if number.who == "caller" and any(n.phone == number.phone and n.who == "contact" for n in numbers):
            continue
        seen.add(number.phone)
        unique.append(number)
    return unique


def is_number_of(person: Person, phone: str) -> bool:
    """Tell whether a number may be called about this person: hers, a contact's, a caller's, her case manager's."""
    if phone in {n.phone for n in person_numbers(person) if n.may_call}:
        return True
    caller = sa.select(Call.id).where(Call.person_id == person.id, Call.caller_phone == phone).limit(1)
    if db.session.scalar(caller) is not None:
        return True
    manager = (
        sa.select(Case.id)
        .join(User, User.id == Case.case_manager_id)
        .where(Case.person_id == person.id, Case.status == "active", User.phone == phone)
        .limit(1)
    )
    return db.session.scalar(manager) is not None


def contacts_for_phone(text: str, person_ids: list[int], region: str) -> dict[int, PersonContact]:
    """Return, per person, the contact whose number a search text is (one query for all of them)."""
    if not person_ids or not looks_like_phone(text or ""):
        return {}
    try:
        number = normalise_phone(text, region)
    except PhoneError:
        return {}
    rows = db.session.scalars(
        sa.select(PersonContact).where(PersonContact.phone == number, PersonContact.person_id.in_(person_ids))
    )
    return {contact.person_id: contact for contact in rows}


def contact_label(contact: Optional[PersonContact]) -> Optional[str]:
    """Say whose number it is, for the list of persons known for a number."""
    if contact is None:
        return None
    who = contact.name + (f" ({contact.relation})" if contact.relation else "")
    return _("number of %(who)s", who=who)
