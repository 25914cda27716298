"""The person's agreement to case management, recorded as her `case_management` consent when her case opens."""

from __future__ import annotations

import datetime as dt

from models import Consent, Person, User

PURPOSE = "case_management"


class NoAgreement(ValueError):
    """A case is opened (or given a case manager) without the person's agreement to case management."""


def needs_agreement(person: Person) -> bool:
    """Tell whether the person's agreement to case management is still to be recorded."""
    return not person.has_consent(PURPOSE)


def record_agreement(person: Person, given_on: dt.date, how: str, by: User) -> Consent:
    """Record that the person agrees to case management: on which day and how (caller commits).

    The consent is audited like every consent (session listener of helpline.audit).
    """
    how = (how or "").strip()
    if not how or given_on is None:
        raise NoAgreement(person.id)
    consent = Consent(purpose=PURPOSE, granted=True, given_on=given_on, recorded_by_id=by.id, note=how)
    person.consents.append(consent)
    return consent


def record_refusal(person: Person, refused_on: dt.date, how: str, by: User) -> Consent:
    """Record that the person declines case management: on which day and how she said so (caller commits).

    Her latest `case_management` consent is then a no: a case opens only once she agrees later.
    """
    how = (how or "").strip()
    if not how or refused_on is None:
        raise NoAgreement(person.id)
    consent = Consent(purpose=PURPOSE, granted=False, given_on=refused_on, recorded_by_id=by.id, note=how)
    person.consents.append(consent)
    return consent


def refusal_of(person: Person) -> Consent | None:
    """Return the person's refusal of case management when it is her latest answer, else None."""
    consent = person.consent_for(PURPOSE)
    return consent if consent is not None and not consent.granted else None
