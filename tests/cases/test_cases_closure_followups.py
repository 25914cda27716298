"""Closing a case after the person died plans no follow-up call and cancels the person's open ones."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import sqlalchemy as sa
from cases_support import add_case, add_person, add_structure

from helpline.followups.cancellation import PERSON_DIED
from models import AuditEvent, FollowUp, Referral, db
from models.vocabulary import CLOSURE_REASONS

# Opened before the closure date the tests post, so they pass whatever day they run on.
OPENED_AT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _referral_followups(person, by, statuses: dict[int, str]) -> dict[str, FollowUp]:
    """Give a person a referral with one follow-up per status (keyed by offset in days)."""
    referral = Referral(
        person_id=person.id, structure=add_structure(), category="home_care_coordination", created_by_id=by.id
    )
    db.session.add(referral)
    db.session.flush()
    followups = {}
    for offset, status in statuses.items():
        followups[status] = FollowUp(
            person_id=person.id,
            referral_id=referral.id,
            offset_days=offset,
            due_date=dt.date(2026, 12, 1) + dt.timedelta(days=offset),
            status=status,
            claimed_by_id=by.id if status == "claimed" else None,
            cancel_reason="Refuse les appels" if status == "cancelled" else None,
        )
    db.session.add_all(followups.values())
    db.session.commit()
    return followups


@pytest.fixture
def died_case(staff):
    """Return an active case whose person has follow-ups in every state from referrals and an older case."""
    person = add_person(first="Odette", last="Fictive", by=staff["nurse"])
    case = add_case(staff["cm1"], person=person, opened_at=OPENED_AT)
    followups = _referral_followups(
        person, staff["nurse"], {30: "pending", 60: "claimed", 90: "done", 120: "unreachable", 150: "cancelled"}
    )
    old_case = add_case(staff["cm2"], status="closed", person=person)
    followups["old case"] = FollowUp(
        person_id=person.id, case_id=old_case.id, offset_days=182, due_date=dt.date(2027, 1, 4)
    )
    stranger = add_person(first="Léon", last="Inventé", by=staff["nurse"])
    followups["stranger"] = _referral_followups(stranger, staff["nurse"], {30: "pending"})["pending"]
    db.session.add(followups["old case"])
    db.session.commit()
    return case, followups


def _status(followup: FollowUp) -> tuple:
    db.session.expire_all()
    again = db.session.get(FollowUp, followup.id)
    return again.status, again.cancel_reason


def test_closing_a_case_as_died_plans_no_call_and_cancels_the_persons_open_follow_ups(
    client, staff, switch_to, died_case
):
    case, followups = died_case
    switch_to(staff["cm1"])

    response = client.post(
        f"/cases/{case.id}/close", data={"reason": "died", "closed_on": "2026-11-16"}, follow_redirects=True
    )

    page = html.unescape(response.get_data(as_text=True))
    assert (
        "Dossier clôturé. Aucun appel de suivi n'est prévu ; 3 suivis ouverts de la personne ont été annulés." in page
    )
    db.session.expire_all()
    assert (case.status, case.closure_reason) == ("closed", "died")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp).where(FollowUp.case_id == case.id)) == 0
    for key in ("pending", "claimed", "old case"):
        cancelled = db.session.get(FollowUp, followups[key].id)
        assert (cancelled.status, cancelled.cancel_reason, cancelled.cancelled_by_id) == (
            "cancelled",
            PERSON_DIED,
            staff["cm1"].id,
        ), key
        assert cancelled.cancelled_at is not None and cancelled.claimed_by_id is None
    assert _status(followups["done"]) == ("done", None)
    assert _status(followups["unreachable"]) == ("unreachable", None)
    assert _status(followups["cancelled"]) == ("cancelled", "Refuse les appels")
    assert _status(followups["stranger"]) == ("pending", None)
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "cancel")).all()
    assert sorted(e.object_id for e in events) == sorted(followups[k].id for k in ("pending", "claimed", "old case"))
    assert {(e.user_id, e.person_id, e.detail["reason"]) for e in events} == {
        (staff["cm1"].id, case.person_id, PERSON_DIED)
    }


def test_the_flash_counts_one_cancelled_follow_up_in_the_singular(client, staff, switch_to):
    person = add_person(first="Odette", last="Fictive", by=staff["nurse"])
    case = add_case(staff["cm1"], person=person, opened_at=OPENED_AT)
    _referral_followups(person, staff["nurse"], {30: "pending", 182: "done"})
    switch_to(staff["cm1"])

    response = client.post(
        f"/cases/{case.id}/close", data={"reason": "died", "closed_on": "2026-11-16"}, follow_redirects=True
    )

    assert "1 suivi ouvert de la personne a été annulé." in html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("reason", [r for r in CLOSURE_REASONS if r != "died"])
def test_a_case_closed_for_another_reason_still_plans_both_calls_and_cancels_nothing(
    client, staff, switch_to, died_case, reason
):
    case, followups = died_case
    switch_to(staff["cm1"])

    response = client.post(
        f"/cases/{case.id}/close", data={"reason": reason, "closed_on": "2026-11-16"}, follow_redirects=True
    )

    assert "La ligne rappellera la personne après 30 et 182 jours." in html.unescape(response.get_data(as_text=True))
    planned = db.session.scalars(
        sa.select(FollowUp).where(FollowUp.case_id == case.id).order_by(FollowUp.offset_days)
    ).all()
    assert [(f.offset_days, f.status) for f in planned] == [(30, "pending"), (182, "pending")]
    assert _status(followups["pending"]) == ("pending", None) and _status(followups["claimed"]) == ("claimed", None)
    assert _status(followups["old case"]) == ("pending", None)
    assert not db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "cancel"))


def test_the_closure_form_says_beforehand_that_a_death_plans_no_call(client, staff, switch_to):
    case = add_case(staff["cm1"])
    switch_to(staff["cm1"])

    page = html.unescape(client.get(f"/cases/{case.id}").get_data(as_text=True))
    assert "Si la personne est décédée, aucun appel de suivi n'est prévu" in page

    refused = client.post(f"/cases/{case.id}/close", data={"reason": "died", "closed_on": ""})
    page = html.unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422 and 'id="closed_on-error"' in page
    assert "La personne est décédée : aucun appel de suivi ne sera prévu" in page
    assert "La ligne appellera la personne 30 et 182 jours après la clôture." not in page
