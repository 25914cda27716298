"""Cancelling a follow-up that became pointless: the reason, who and when, the audit, the worklist."""

from __future__ import annotations

import datetime as dt
import html

import pytest
import sqlalchemy as sa
from followup_factories import add_followup, add_person, add_referral, add_user, today_local

from helpline.followups.cancellation import PERSON_DIED, cancel_followup
from helpline.followups.claims import claim, claim_next
from models import AuditEvent, FollowUp, db

REASON = "A emménagé dans une maison de repos en Espagne."


@pytest.fixture
def due(referrer):
    """Return a follow-up due today, nobody working on it."""
    person = add_person(phone="+32470000021")
    return add_followup(person, add_referral(person, referrer), today_local())


def _reload(followup: FollowUp) -> FollowUp:
    db.session.expire_all()
    return db.session.get(FollowUp, followup.id)


def _cancel_events(followup: FollowUp) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(
                AuditEvent.action == "cancel", AuditEvent.object_type == "followup", AuditEvent.object_id == followup.id
            )
        )
    )


@pytest.mark.parametrize("role", ["nurse", "coordinator"])
@pytest.mark.parametrize("claimed", [False, True])
def test_an_open_follow_up_is_cancelled_with_its_reason_who_and_when(client, login_as, due, role, claimed):
    if claimed:  # another nurse started it; she is not there to finish
        assert claim(due.id, add_user("nurse"))
    user = login_as(role)

    response = client.post(f"/followups/{due.id}/cancel", data={"reason": f"  {REASON} "})

    assert response.status_code == 302 and response.headers["Location"].endswith(f"/followups/{due.id}")
    cancelled = _reload(due)
    assert (cancelled.status, cancelled.cancel_reason, cancelled.cancelled_by_id) == ("cancelled", REASON, user.id)
    assert dt.datetime.now(dt.UTC) - cancelled.cancelled_at < dt.timedelta(minutes=1)
    assert (cancelled.claimed_by_id, cancelled.claimed_at, cancelled.completed_at) == (None, None, None)
    page = client.get(f"/followups/{due.id}").get_data(as_text=True)
    assert "Suivi annulé : il a quitté la liste de travail." in page
    assert REASON in page and "Annulé le" in page and user.name in page
    assert f'action="/followups/{due.id}/cancel"' not in page  # nothing left to cancel


def test_the_cancellation_is_in_the_audit_trail_without_the_reason_text(client, login_as, due):
    nurse = login_as("nurse")
    client.post(f"/followups/{due.id}/cancel", data={"reason": REASON})

    [event] = _cancel_events(due)
    assert (event.user_id, event.person_id) == (nurse.id, due.person_id)
    assert {"cancel_reason", "cancelled_at", "cancelled_by_id", "status"} <= set(event.detail["fields"])
    assert event.detail["reason"] == "manual" and "Espagne" not in str(event.detail)
    client.post("/logout")
    login_as("coordinator")
    trail = client.get("/admin/audit", query_string={"action": "cancel"}).get_data(as_text=True)
    assert f"Suivi #{due.id}" in trail and nurse.name in trail  # the record named in words


def test_the_cancellation_form_is_offered_on_an_open_follow_up(client, login_as, due):
    login_as("nurse")
    page = client.get(f"/followups/{due.id}").get_data(as_text=True)
    assert f'action="/followups/{due.id}/cancel"' in page and 'id="reason"' in page


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_cancellation_without_reason_is_refused_naming_the_field(client, login_as, due, reason):
    login_as("nurse")

    response = client.post(f"/followups/{due.id}/cancel", data={} if reason is None else {"reason": reason})

    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert 'id="reason-error"' in page and "Indiquez le motif de l'annulation de ce suivi." in page
    assert "Le suivi n'a pas été annulé : indiquez le motif." in page
    assert '<details class="cancel-followup" open>' in page
    assert _reload(due).status == "pending" and not _cancel_events(due)


def test_a_refused_cancellation_keeps_what_was_typed(client, login_as, due):
    login_as("nurse")
    typed = "Refuse tout appel. " * 60  # longer than the 1,000 characters allowed

    response = client.post(f"/followups/{due.id}/cancel", data={"reason": typed})

    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="reason-error"' in page and typed.strip() in page
    assert _reload(due).status == "pending"


@pytest.mark.parametrize("status", ["done", "unreachable", "cancelled"])
def test_a_closed_follow_up_cannot_be_cancelled(client, login_as, referrer, status):
    person = add_person(phone="+32470000022")
    closed = add_followup(
        person,
        add_referral(person, referrer),
        today_local(),
        status=status,
        cancel_reason="Déjà annulé" if status == "cancelled" else None,
    )
    login_as("coordinator")

    response = client.post(f"/followups/{closed.id}/cancel", data={"reason": REASON})

    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409 and "Ce suivi est déjà clôturé : il ne peut pas être annulé." in page
    assert f'action="/followups/{closed.id}/cancel"' not in page
    again = _reload(closed)
    assert again.status == status and again.cancel_reason == ("Déjà annulé" if status == "cancelled" else None)
    assert not _cancel_events(closed)


def test_a_follow_up_closed_while_the_form_was_open_is_not_cancelled(app, due):
    db.session.execute(sa.update(FollowUp).where(FollowUp.id == due.id).values(status="done"))
    assert cancel_followup(due, REASON, None) is False  # `due` still looks pending in this session
    db.session.commit()
    assert _reload(due).status == "done" and not _cancel_events(due)


def test_an_unknown_follow_up_is_not_found(client, login_as):
    login_as("nurse")
    assert client.post("/followups/999999/cancel", data={"reason": REASON}).status_code == 404


@pytest.mark.parametrize("role", ["case_manager", "admin"])
def test_roles_that_do_not_work_follow_ups_may_not_cancel(client, login_as, due, role):
    login_as(role)

    response = client.post(f"/followups/{due.id}/cancel", data={"reason": REASON})

    assert response.status_code == 403
    assert _reload(due).status == "pending" and not _cancel_events(due)


def test_a_case_manager_reading_her_follow_up_is_not_offered_the_cancellation(client, login_as, due):
    manager = login_as("case_manager")
    due.referral.created_by_id = manager.id  # her own referral: she may read the follow-up
    db.session.commit()
    page = client.get(f"/followups/{due.id}")
    assert page.status_code == 200 and f'action="/followups/{due.id}/cancel"' not in page.get_data(as_text=True)


def test_a_nurse_who_records_the_call_after_a_cancellation_is_told_it_is_closed(client, login_as, due):
    nurse = login_as("nurse")
    assert client.post(f"/followups/{due.id}/start").status_code == 302
    assert cancel_followup(due, REASON, add_user("coordinator").id)
    db.session.commit()

    response = client.post(f"/followups/{due.id}", data={"reached": "no", "notes": "Messagerie"})

    assert response.status_code == 409 and "Ce suivi est déjà clôturé." in response.get_data(as_text=True)
    kept = _reload(due)
    assert (kept.status, kept.attempts, kept.claimed_by_id, kept.notes) == ("cancelled", 0, None, "")
    assert not kept.attempt_log and nurse.id != kept.cancelled_by_id


def test_cancelled_follow_ups_leave_the_worklist_and_show_under_cancelled_with_their_reason(
    client, login_as, referrer, due
):
    other = add_person(phone="+32470000023")
    kept = add_followup(other, add_referral(other, referrer), today_local() - dt.timedelta(days=2))
    nurse = login_as("nurse")
    client.post(f"/followups/{due.id}/cancel", data={"reason": REASON})
    cancelled_name, kept_name = due.person.display_name, kept.person.display_name

    open_list = client.get("/followups/").get_data(as_text=True)
    assert kept_name in open_list and cancelled_name not in open_list
    home = client.get("/").get_data(as_text=True)
    assert kept_name in home and cancelled_name not in home
    listing = client.get("/followups/", query_string={"status": "cancelled", "when": "all"}).get_data(as_text=True)
    assert cancelled_name in listing and REASON in listing and kept_name not in listing
    assert claim_next(nurse, today_local()) == kept.id
    assert claim_next(add_user("nurse"), today_local()) is None  # the cancelled one is never handed out


def test_the_person_timeline_shows_the_follow_up_as_cancelled(client, login_as, due):
    login_as("nurse")
    client.post(f"/followups/{due.id}/cancel", data={"reason": REASON})
    page = client.get(f"/persons/{due.person_id}").get_data(as_text=True)
    assert f'<a href="/followups/{due.id}">Suivi à 30 jours</a> — <span class="detail">Annulé</span>' in page


def test_an_automatic_reason_is_shown_in_the_readers_language(client, login_as, due):
    assert cancel_followup(due, PERSON_DIED, None)
    db.session.commit()
    login_as("nurse")
    assert "Personne décédée (clôture du dossier)" in client.get(f"/followups/{due.id}").get_data(as_text=True)
    client.post("/language/en")
    assert "Person died (case closed)" in client.get(f"/followups/{due.id}").get_data(as_text=True)
