"""Helpers of the case-management tests: synthetic persons, calls, cases and structures."""

from __future__ import annotations

import datetime as dt

from helpline.persons.service import record_consent, set_names
from models import Call, Case, Person, Structure, User, db, utcnow

# Staff accounts with the suite's test password (tests/support.py), re-exported for the case tests.
from support import PASSWORD, make_user  # noqa: E402,F401


def add_person(first: str = "Yvonne", last: str = "Testeuse", consent: bool = True, by: User | None = None) -> Person:
    """Create a synthetic person (with a referral consent unless told otherwise)."""
    person = Person(birth_date=dt.date(1940, 5, 17), postcode="4020", lives_alone=True, gp_name="Dr Généraliste")
    set_names(person, first, last)
    db.session.add(person)
    if consent:
        record_consent(person, "referral", True, dt.date.today(), (by or make_user("nurse")).id)
    db.session.commit()
    return person


def add_call(nurse: User, person: Person | None = None, priority: str = "high", **fields) -> Call:
    """Create a call oriented to case management."""
    call = Call(
        direction="incoming",
        channel="phone",
        started_at=utcnow() - dt.timedelta(minutes=20),
        caller_type="carer",
        person=person or add_person(by=nurse),
        nurse_id=nurse.id,
        route="case_management",
        priority=priority,
        summary="Chutes répétées, aides refusées.",
        autonomy_problem=True,
        medical_problem=True,
        support_inadequate=True,
        **fields,
    )
    call.topics = ["home_help"]
    db.session.add(call)
    db.session.commit()
    return call


def add_case(
    manager: User | None = None,
    status: str = "active",
    priority: str = "routine",
    opened_at: dt.datetime | None = None,
    assigned_at: dt.datetime | None = None,
    person: Person | None = None,
) -> Case:
    """Create a case directly (already assigned when a manager is given)."""
    case = Case(
        person=person or add_person(consent=False),
        status=status,
        priority=priority,
        case_manager_id=manager.id if manager else None,
        opened_at=opened_at or utcnow(),
        assigned_at=assigned_at or (utcnow() if manager else None),
    )
    db.session.add(case)
    db.session.commit()
    return case


def add_structure(name: str = "Soins Démo", category: str = "home_care_coordination") -> Structure:
    """Create a structure of the directory."""
    structure = Structure(name=name, category=category, status="active", description="", services=[])
    db.session.add(structure)
    db.session.commit()
    return structure
