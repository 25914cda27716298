"""Synthetic demo data: staff of every role, a few persons and calls. No real person is named."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from models import Call, Person, User, utcnow

from .auth.passwords import hash_password
from .extensions import db
from .formatting import local_now
from .persons.service import record_consent, set_names

# (e-mail, name, roles, password): demo accounts only, printed by `make run`.
DEMO_USERS = (
    ("infirmiere@demo.invalid", "Inès Infirmière", "nurse", "demo-nurse-2026"),
    ("infirmier@demo.invalid", "Noé Infirmier", "nurse", "demo-nurse-2026"),
    ("gestionnaire@demo.invalid", "Camille Gestion", "case_manager", "demo-case-2026"),
    ("gestionnaire2@demo.invalid", "Dominique Gestion", "case_manager", "demo-case-2026"),
    ("coordination@demo.invalid", "Claude Coordination", "coordinator", "demo-coord-2026"),
    ("admin@demo.invalid", "Alex Admin", "admin", "demo-admin-2026"),
)

DEMO_PERSONS = (
    # first, last, birth date, postcode, phone, lives alone
    ("Jeanne", "Exemple", dt.date(1941, 3, 12), "4000", "+32470999901", True),
    ("Marcel", "Fictif", dt.date(1938, 11, 2), "4100", "+32470999902", True),
    ("Rosa", "Démo", dt.date(1950, 6, 30), "4020", "+32470999903", False),
    ("Henri", "Essai", dt.date(1962, 1, 15), "4460", "+32470999904", False),
    ("Lucie", "Modèle", dt.date(1947, 9, 8), "5000", "+32470999905", True),
)

DEMO_CALLS = (
    # person index, caller type, topics, summary, criteria, route
    (0, "carer", ["carer_support"], "Fille épuisée, cherche du répit quelques heures par semaine.", 0, "external"),
    (
        1,
        "professional",
        ["home_help", "administrative"],
        "Le médecin traitant signale chutes répétées, plus de famille, aides refusées.",
        4,
        "case_management",
    ),
    (3, "patient", ["transport"], "Cherche un transport pour ses séances de dialyse.", 0, "external"),
    (2, "patient", ["information"], "Demande le numéro de sa mutualité.", 0, "information"),
)


def load_demo_data() -> bool:
    """Create the demo data unless it is already there; return whether anything was created."""
    if db.session.scalar(sa.select(User).where(User.email == DEMO_USERS[0][0])):
        return False
    users = {}
    for email, name, roles, password in DEMO_USERS:
        user = User(
            email=email,
            name=name,
            roles=roles,
            password_hash=hash_password(password),
            phone="+3247099980" + str(len(users)),
        )
        db.session.add(user)
        users[roles] = users.get(roles) or user
    db.session.flush()
    nurse = users["nurse"]
    persons = []
    for first, last, born, postcode, phone, alone in DEMO_PERSONS:
        person = Person(
            birth_date=born,
            postcode=postcode,
            phone=phone,
            lives_alone=alone,
            gp_name="Dr Généraliste",
            last_contact_at=utcnow(),
        )
        set_names(person, first, last)
        record_consent(person, "referral", True, local_now().date(), nurse.id)
        db.session.add(person)
        persons.append(person)
    db.session.flush()
    _load_calls(persons, nurse)
    from .cases.demo import load_demo_cases
    from .directory.demo import load_demo_directory
    from .meetings.demo import load_demo_meeting
    from .referrals.demo import load_demo_referrals

    # Each area's demo data, given {role: first demo user of that role} and the demo persons.
    for load in (load_demo_directory, load_demo_referrals, load_demo_meeting, load_demo_cases):
        load(users, persons)
    db.session.commit()
    return True


def _load_calls(persons: list[Person], nurse: User) -> None:
    from flask import current_app

    from .rules import active_ruleset

    ruleset = active_ruleset(current_app)
    for days_ago, (index, caller_type, topics, summary, criteria, _route) in enumerate(DEMO_CALLS, start=1):
        person = persons[index]
        flags = {
            c: criteria >= 4
            for c in ("autonomy_problem", "medical_problem", "support_inadequate", "no_coordinator_in_entourage")
        }
        request = {
            "caller": {"type": caller_type, **({"professional_role": "gp"} if caller_type == "professional" else {})},
            "person": {"postcode": person.postcode, "consent": True, "age": person.age_on(local_now().date())},
            "request": {"topics": topics, "summary": summary},
            "complexity": {**flags, "rupture_events": []},
        }
        proposal = ruleset.decide(request).to_dict()
        call = Call(
            direction="incoming",
            channel="phone",
            started_at=utcnow() - dt.timedelta(days=days_ago),
            duration_minutes=12,
            caller_type=caller_type,
            person=person,
            nurse_id=nurse.id,
            summary=summary,
            route=proposal["route"],
            priority=proposal["priority"],
            categories=proposal["categories"],
            follow_up_days=proposal["follow_up_days"],
            team_review=proposal["team_review"],
            proposal=proposal,
            triage_input=request,
            ruleset_name=proposal["ruleset"]["name"],
            ruleset_version=proposal["ruleset"]["version"],
            ruleset_sha256=proposal["ruleset"]["sha256"],
            caller_professional_role=request["caller"].get("professional_role"),
            **flags,
        )
        call.topics = topics
        db.session.add(call)
