"""Finding persons, recognising repeat callers and keeping their details."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Optional

import sqlalchemy as sa

from models import Call, Consent, Person, PersonContact

from ..extensions import db
from ..phones import PhoneError, looks_like_phone, normalise_phone

SEARCH_LIMIT = 20


def name_key(name: str) -> str:
    """Return a name lower-cased with accents folded, for search and duplicate checks."""
    folded = unicodedata.normalize("NFKD", name or "")
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", folded).strip().lower()


def _prefix(column, text: str):
    """Match a prefix with a range, so the index is used on SQLite and PostgreSQL alike."""
    return sa.and_(column >= text, column < text + "\uffff")


def parse_search_date(text: str) -> Optional[dt.date]:
    """Return the date a search text means (dd/mm/yyyy or yyyy-mm-dd), else None."""
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def search_persons(query: str, region: str = "BE", limit: int = SEARCH_LIMIT) -> list[Person]:
    """Find persons by name, phone (theirs or a caller's about them) or date of birth."""
    text = (query or "").strip()
    if not text:
        return []
    day = parse_search_date(text)
    if day:
        stmt = sa.select(Person).where(Person.birth_date == day)
    elif looks_like_phone(text):
        try:
            number = normalise_phone(text, region)
        except PhoneError:
            return []
        return persons_for_phone(number, limit)
    else:
        stmt = sa.select(Person)
        for token in name_key(text).split(" ")[:4]:
            stmt = stmt.where(sa.or_(_prefix(Person.last_name_key, token), _prefix(Person.first_name_key, token)))
    stmt = stmt.where(Person.pseudonymised_at.is_(None), Person.merged_into_id.is_(None)).order_by(
        Person.last_name_key, Person.first_name_key
    )
    return list(db.session.scalars(stmt.limit(limit)))


def persons_for_phone(number: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """Return the persons known for a phone number: their own, a contact's, or a caller's about them."""
    # A UNION of two index lookups, not "phone = ? OR id IN (...)": with the OR, PostgreSQL walked
    # every person in name order to filter them (linear in the number of persons).
    # A record merged into another one is found by its number as the person it was merged into.
    own = sa.select(sa.func.coalesce(Person.merged_into_id, Person.id)).where(Person.phone == number)
    called_about = sa.select(Call.person_id).where(Call.caller_phone == number)
    contact_of = sa.select(PersonContact.person_id).where(PersonContact.phone == number)
    stmt = (
        sa.select(Person)
        .where(Person.id.in_(sa.union(own, called_about, contact_of)))
        .where(Person.pseudonymised_at.is_(None), Person.merged_into_id.is_(None))
        .order_by(Person.last_name_key)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def persons_for_phones(numbers: list[str], limit: int = SEARCH_LIMIT) -> dict[str, list[Person]]:
    """Return `persons_for_phone` of each number, for a list of numbers, in one SELECT."""
    numbers = list(dict.fromkeys(numbers))
    found: dict[str, list[Person]] = {number: [] for number in numbers}
    if not numbers:
        return found
    own = sa.select(Person.phone.label("number"), Person.id.label("person_id")).where(Person.phone.in_(numbers))
    called_about = sa.select(Call.caller_phone, Call.person_id).where(Call.caller_phone.in_(numbers))
    contact_of = sa.select(PersonContact.phone, PersonContact.person_id).where(PersonContact.phone.in_(numbers))
    known = sa.union(own, called_about, contact_of).subquery()
    rank = sa.func.row_number().over(partition_by=known.c.number, order_by=Person.last_name_key)
    ranked = (
        sa.select(known.c.number, known.c.person_id, rank.label("rank"))
        .join(Person, Person.id == known.c.person_id)
        .where(Person.pseudonymised_at.is_(None))
        .subquery()
    )
    stmt = (
        sa.select(ranked.c.number, Person)
        .join(Person, Person.id == ranked.c.person_id)
        .where(ranked.c.rank <= limit)
        .order_by(ranked.c.number, ranked.c.rank)
    )
    for number, person in db.session.execute(stmt):
        found[number].append(person)
    return found


def possible_duplicates(
    first_name: str, last_name: str, birth_date: Optional[dt.date], phone: Optional[str], postcode: Optional[str]
) -> list[Person]:
    """Return existing persons a new person could be a duplicate of."""
    same_name = sa.and_(Person.last_name_key == name_key(last_name), Person.first_name_key == name_key(first_name))
    clauses = []
    if phone:
        clauses.append(sa.and_(Person.phone == phone, Person.last_name_key == name_key(last_name)))
    if birth_date:
        clauses.append(sa.and_(same_name, Person.birth_date == birth_date))
    if postcode:
        clauses.append(sa.and_(same_name, Person.postcode == postcode))
    if not birth_date and not postcode and not phone:
        clauses.append(same_name)
    stmt = sa.select(Person).where(sa.or_(*clauses), Person.pseudonymised_at.is_(None), Person.merged_into_id.is_(None))
    stmt = stmt.limit(10)
    return list(db.session.scalars(stmt))


def set_names(person: Person, first_name: str, last_name: str) -> None:
    """Set a person's names and their search keys."""
    person.first_name = first_name.strip()
    person.last_name = last_name.strip()
    person.first_name_key = name_key(first_name)
    person.last_name_key = name_key(last_name)


def record_consent(person: Person, purpose: str, granted: bool, given_on: dt.date, user_id: int) -> Consent:
    """Record a consent when it differs from the person's latest one for that purpose."""
    latest = person.consent_for(purpose)
    if latest and latest.granted == granted and latest.given_on == given_on:
        return latest
    consent = Consent(purpose=purpose, granted=granted, given_on=given_on, recorded_by_id=user_id)
    person.consents.append(consent)
    return consent
