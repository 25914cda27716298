"""Fixtures of the security tests: one of everything, owned by the users who may read it."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from models import (
    Call,
    Case,
    FollowUp,
    Handoff,
    Notification,
    Person,
    PhoneCall,
    PlanItem,
    Referral,
    ReviewItem,
    ServicePlan,
    Structure,
    Task,
    Visit,
    db,
    utcnow,
)
from tests.conftest import make_user

ROLES = ("nurse", "case_manager", "coordinator", "admin")


def make_person(**fields) -> Person:
    """Add a synthetic person."""
    values = dict(
        first_name="Yvonne",
        last_name="Testeuse",
        first_name_key="yvonne",
        last_name_key="testeuse",
        birth_date=dt.date(1940, 5, 17),
        postcode="4020",
        phone="+32470999910",
        lives_alone=True,
        gp_name="Dr Généraliste",
        last_contact_at=utcnow(),
    )
    values.update(fields)
    person = Person(**values)
    db.session.add(person)
    db.session.flush()
    return person


def make_call(person: Person, nurse, **fields) -> Call:
    """Add a synthetic call about a person."""
    values = dict(
        direction="incoming",
        channel="phone",
        started_at=utcnow(),
        caller_type="carer",
        caller_name="Paul Appelant",
        caller_phone="+32470999911",
        person_id=person.id,
        nurse_id=nurse.id,
        summary="Fils épuisé, cherche du répit.",
        route="external",
        triage_input={"request": {"topics": ["carer_support"], "summary": "Fils épuisé"}},
    )
    values.update(fields)
    call = Call(**values)
    db.session.add(call)
    db.session.flush()
    return call


@pytest.fixture
def world(app):
    """Create a user per role and one record of each kind, owned by those users."""
    users = {role: make_user(role) for role in ROLES}
    other = make_user("nurse", name="Other Nurse")
    nurse, cm, coordinator = users["nurse"], users["case_manager"], users["coordinator"]
    person = make_person()
    call = make_call(person, nurse)
    structure = Structure(name="Service test", category="social_service")
    db.session.add(structure)
    db.session.flush()
    referral = Referral(
        call_id=call.id,
        person_id=person.id,
        structure_id=structure.id,
        category="social_service",
        message="Demande de répit",
        consent_checked=True,
        created_by_id=nurse.id,
    )
    case = Case(
        person_id=person.id, origin_call_id=call.id, status="active", case_manager_id=cm.id, assigned_at=utcnow()
    )
    db.session.add_all([referral, case])
    db.session.flush()
    visit = Visit(case_id=case.id, scheduled_for=utcnow() + dt.timedelta(days=2))
    plan = ServicePlan(case_id=case.id, version=1, goals="Rester à domicile", by_id=cm.id)
    db.session.add_all([visit, plan])
    db.session.flush()
    plan_item = PlanItem(plan_id=plan.id, need="Aide ménagère", service="Aide familiale")
    handoff = Handoff(
        call_id=call.id, case_id=case.id, from_user_id=nurse.id, to_user_id=cm.id, situation="Situation test"
    )
    followup = FollowUp(person_id=person.id, case_id=case.id, offset_days=30, due_date=dt.date.today())
    review = ReviewItem(call_id=call.id)
    db.session.add_all([plan_item, handoff, followup, review])
    db.session.flush()
    task = Task(
        title="Rappeler",
        due_date=dt.date.today(),
        person_id=person.id,
        assignee_id=nurse.id,
        review_item_id=review.id,
        created_by_id=coordinator.id,
    )
    phone_call = PhoneCall(call_sid="CA" + "0" * 32, direction="inbound", from_number="+32470999911")
    db.session.add_all([task, phone_call])
    db.session.flush()
    notices = {role: Notification(user_id=u.id, key=f"test-{role}", message="Test") for role, u in users.items()}
    db.session.add_all(notices.values())
    db.session.commit()
    return SimpleNamespace(
        users=users,
        other=other,
        person=person,
        call=call,
        structure=structure,
        referral=referral,
        case=case,
        visit=visit,
        plan=plan,
        plan_item=plan_item,
        handoff=handoff,
        followup=followup,
        review=review,
        task=task,
        phone_call=phone_call,
        notices=notices,
    )


def as_user(client, user) -> None:
    """Put a user's login in the client's session without the (slow, rate-limited) login form."""
    import time

    import sqlalchemy as sa

    from models import User

    version = db.session.scalar(sa.select(User.session_version).where(User.id == user.id))
    with client.session_transaction() as session:
        session.clear()
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        session["last_seen"] = time.time()
        session["session_version"] = version  # a logout or password change earlier ends it, as in use
