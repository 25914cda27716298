"""Factories of the reports tests: rows written straight to the database, with chosen timestamps."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from zoneinfo import ZoneInfo

from models import Call, Case, Consent, FollowUp, Handoff, Person, Referral, Structure, User, db

BRUSSELS = ZoneInfo("Europe/Brussels")


def local(year, month, day, hour=10, minute=0) -> dt.datetime:
    """Return an aware datetime given in Brussels time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


def add_user(role: str = "nurse", name: str = "Staff Demo", **fields) -> User:
    """Create a staff account that never logs in."""
    fields.setdefault("password_hash", "x")
    user = User(email=f"{role}-{uuid.uuid4().hex[:8]}@test.invalid", name=name, roles=role, **fields)
    db.session.add(user)
    db.session.flush()
    return user


def add_person(first: str = "Yvonne", last: str = "Testeuse", consents=("referral", "case_management"), **fields):
    """Create a person with the given consents granted."""
    person = Person(
        first_name=first, last_name=last, first_name_key=first.lower(), last_name_key=last.lower(), **fields
    )
    db.session.add(person)
    db.session.flush()
    nurse = db.session.get(User, 1) or add_user()
    for purpose in consents:
        db.session.add(
            Consent(
                person_id=person.id,
                purpose=purpose,
                granted=True,
                given_on=dt.date(2024, 1, 1),
                recorded_by_id=nurse.id,
            )
        )
    return person


def add_call(
    person: Person,
    nurse: User,
    started_at: dt.datetime,
    *,
    caller_type="patient",
    topics=(),
    proposed: str | None = "information",
    route="information",
    summary="",
    caller_name=None,
) -> Call:
    """Create a call with its proposal and final route."""
    call = Call(
        direction="incoming",
        channel="phone",
        started_at=started_at,
        caller_type=caller_type,
        caller_name=caller_name,
        person_id=person.id,
        nurse_id=nurse.id,
        summary=summary,
        proposal={"route": proposed} if proposed else None,
        route=route,
        overridden=proposed not in (None, route),
    )
    call.topics = list(topics)
    db.session.add(call)
    db.session.flush()
    return call


def add_structure(name="Structure Démo", category="housing_service") -> Structure:
    """Create a structure of the directory."""
    structure = Structure(
        name=name,
        category=category,
        phone="+3240000001",
        email="accueil@demo.invalid",
        city="Liège",
        postal_code="4000",
        country="BE",
    )
    db.session.add(structure)
    db.session.flush()
    return structure


def add_referral(
    person, structure, nurse, sent_at, *, category=None, status="sent", outcome=None, reason=None, **fields
) -> Referral:
    """Create a referral in a given state."""
    referral = Referral(
        person_id=person.id,
        structure_id=structure.id,
        category=category or structure.category,
        message=fields.pop("message", "Merci de contacter la personne."),
        consent_checked=True,
        status=status,
        outcome=outcome,
        reason=reason,
        created_by_id=nurse.id,
        sent_at=sent_at,
        status_changed_at=sent_at,
        **fields,
    )
    db.session.add(referral)
    db.session.flush()
    return referral


def add_followup(person, offset, due, status="pending", completed=None, hospitalisation=None, **fields) -> FollowUp:
    """Create a follow-up due on a day."""
    followup = FollowUp(
        person_id=person.id,
        offset_days=offset,
        due_date=due,
        status=status,
        completed_at=completed,
        unplanned_hospitalisation=hospitalisation,
        **fields,
    )
    db.session.add(followup)
    db.session.flush()
    return followup


def add_handoff(call: Call, nurse: User, created_at: dt.datetime) -> Handoff:
    """Create a handoff of a call."""
    handoff = Handoff(call_id=call.id, from_user_id=nurse.id, situation="Situation complexe.", created_at=created_at)
    db.session.add(handoff)
    db.session.flush()
    return handoff


def add_case(person, status="waiting", manager=None, priority="routine", opened_at=None) -> Case:
    """Create a case."""
    case = Case(
        person_id=person.id,
        status=status,
        case_manager_id=manager.id if manager else None,
        priority=priority,
        opened_at=opened_at or dt.datetime.now(dt.UTC),
    )
    db.session.add(case)
    db.session.flush()
    return case


# Planted themes of synthetic notes: each has its own French words.
THEMES = {
    "housing": (
        "logement",
        "insalubre",
        "humidité",
        "moisissures",
        "propriétaire",
        "loyer",
        "expulsion",
        "chauffage",
        "appartement",
        "relogement",
    ),
    "transport": (
        "transport",
        "taxi",
        "ambulance",
        "trajet",
        "véhicule",
        "déplacement",
        "navette",
        "rendez-vous",
        "kilomètres",
        "chauffeur",
    ),
    "isolation": (
        "solitude",
        "isolée",
        "voisine",
        "visites",
        "ennui",
        "tristesse",
        "sortir",
        "amis",
        "silence",
        "téléassistance",
    ),
    "carer_support": (
        "aidant",
        "épuisé",
        "épuisement",
        "répit",
        "conjoint",
        "relais",
        "fatigue",
        "soutien",
        "hébergement",
        "accueil",
    ),
}
LAST_NAMES = ("Dumoulin", "Verhaegen", "Lambotte", "Charlier", "Wauters")


def planted_notes(n: int, seed: int = 1) -> list[tuple[str, str]]:
    """Return n (theme, note) pairs, each note about one planted theme and naming a person."""
    rng = random.Random(seed)
    notes = []
    for i in range(n):
        theme = sorted(THEMES)[i % len(THEMES)]
        words = rng.sample(THEMES[theme], 5)
        name = LAST_NAMES[i % len(LAST_NAMES)]
        notes.append((theme, f"Appel de Mme {name} : {', '.join(words)}. {name} rappellera."))
    return notes
