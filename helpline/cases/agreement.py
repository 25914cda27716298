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
