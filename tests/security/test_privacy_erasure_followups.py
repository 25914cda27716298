"""GDPR erasure cancels the person's open follow-up calls, in the same transaction as the pseudonymisation."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from helpline.followups.cancellation import ERASURE
from helpline.privacy.erasure import pseudonymise
from models import AuditEvent, FollowUp, Person, db
from tests.security.conftest import as_user, make_person


def _followup(person, status: str, offset: int, **fields) -> FollowUp:
    followup = FollowUp(
        person_id=person.id,
        referral_id=fields.pop("referral_id", None),
        offset_days=offset,
        due_date=dt.date.today(),
        status=status,
        **fields,
    )
    db.session.add(followup)
    return followup


def _more_followups(world) -> dict[str, FollowUp]:
    """Add follow-ups in the other states to the world's person, and one to another person."""
    stranger = make_person(first_name="Léon", last_name="Inventé", phone="+32470000031")
    referral = world.referral.id
    followups = {
        "pending": world.followup,
        "claimed": _followup(world.person, "claimed", 30, referral_id=referral, claimed_by_id=world.users["nurse"].id),
        "done": _followup(world.person, "done", 182, referral_id=referral),
        "cancelled": _followup(
            world.person, "cancelled", 182, cancel_reason="Partie chez sa fille à Namur", case_id=world.case.id
        ),
        "stranger": _followup(stranger, "pending", 30),
    }
    db.session.commit()
    return followups


def _state(followup: FollowUp) -> tuple:
    db.session.expire_all()
    again = db.session.get(FollowUp, followup.id)
    return again.status, again.cancel_reason, again.cancelled_by_id


def test_erasure_cancels_the_persons_open_follow_ups(client, world):
    followups = _more_followups(world)
    coordinator = world.users["coordinator"]
    as_user(client, coordinator)
    assert "Les appels de suivi encore prévus pour cette personne sont annulés." in client.get(
        f"/privacy/persons/{world.person.id}/erase"
    ).get_data(as_text=True)

    response = client.post(f"/privacy/persons/{world.person.id}/erase", data={"reason": "Demande du 01/03"})

    assert response.status_code == 302
    assert _state(followups["pending"]) == ("cancelled", ERASURE, coordinator.id)
    assert _state(followups["claimed"]) == ("cancelled", ERASURE, coordinator.id)
    assert _state(followups["done"]) == ("done", None, None)
    assert _state(followups["cancelled"]) == ("cancelled", "", None)  # a typed reason is free text: erased
    assert _state(followups["stranger"]) == ("pending", None, None)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "cancel")).all()
    assert sorted(e.object_id for e in events) == sorted([followups["pending"].id, followups["claimed"].id])
    assert all(e.user_id == coordinator.id and e.detail["reason"] == ERASURE for e in events)
    listing = client.get("/followups/", query_string={"status": "all", "when": "all"}).get_data(as_text=True)
    assert "Identité effacée à la demande (RGPD)" in listing


def test_the_cancellation_is_part_of_the_erasure_transaction(app, world):
    person = db.session.get(Person, world.person.id)

    pseudonymise(person, "Demande du 01/03", user_id=world.users["coordinator"].id)
    db.session.rollback()  # the erasure failed before its commit: nothing of it stays

    assert _state(world.followup) == ("pending", None, None)
    assert db.session.get(Person, world.person.id).pseudonymised_at is None
